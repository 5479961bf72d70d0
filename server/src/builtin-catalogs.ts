/**
 * Built-in catalogs of PostgreSQL 14-18, taken from real servers by scripts/generate-builtin-catalogs.js
 * and shipped as data, so the engine works with no database at all.
 */
import * as fs from 'fs';
import type { CatalogSnapshot } from './core/catalog-snapshot';
import { packageFile } from './package-root';

export const supportedMajors = [14, 15, 16, 17, 18];

const loaded = new Map<number, CatalogSnapshot>();

export function builtinCatalogPath(major: number): string {
  return packageFile('server', 'catalogs', `pg${major}.json`);
}

export function loadBuiltinCatalog(major: number): CatalogSnapshot {
  if (!supportedMajors.includes(major)) {
    throw new Error(`no built-in catalog for PostgreSQL ${major}; supported: ${supportedMajors.join(', ')}`);
  }
  let snapshot = loaded.get(major);
  if (!snapshot) {
    snapshot = JSON.parse(fs.readFileSync(builtinCatalogPath(major), 'utf8')) as CatalogSnapshot;
    loaded.set(major, snapshot);
  }
  return snapshot;
}
