/**
 * Files that ship beside the code (catalog queries, built-in catalogs) are found from the package
 * root: the nearest folder above this file whose package.json is ours. That holds for the compiled
 * tree (out/server/src/...), the esbuild bundle (dist/) and the installed extension alike.
 */
import * as fs from 'fs';
import * as path from 'path';

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'pg-parallel-hints') return (root = dir);
      } catch {
        // not ours; keep looking
      }
    }
    if (path.dirname(dir) === dir) throw new Error(`cannot find the pg-parallel-hints package root above ${__dirname}`);
  }
}

export function packageFile(...parts: string[]): string {
  return path.join(packageRoot(), ...parts);
}

/** The product's version, from its package.json ('0.0.0' if that cannot be read). */
export function productVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(packageFile('package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}
