/**
 * Which build the bin runs (bin/pg-parallel-hints.js): the bundle dist/cli.js when it is at least as
 * new as the last compile of out/, so an edit compiled with `tsc -b` is never shadowed by an older
 * bundle. On a package tree of its own, with the files' times set.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { bin } from './command';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { entry } = require(bin) as { entry: (root: string) => string };

describe('the build the bin runs', () => {
  let root: string;
  const bundle = () => path.join(root, 'dist', 'cli.js');
  const buildInfo = () => path.join(root, 'out', 'server', 'tsconfig.tsbuildinfo');
  const compiled = () => path.join(root, 'out', 'server', 'src', 'cli-entry.js');
  const write = (file: string, secondsAgo: number) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    const time = new Date(Date.now() - secondsAgo * 1000);
    fs.utimesSync(file, time, time);
  };

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'pgph-entry-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('runs the bundle made after the last compile', () => {
    write(buildInfo(), 60);
    write(bundle(), 30);
    assert.strictEqual(entry(root), bundle());
  });

  it('runs out/ when it was compiled after the bundle was made', () => {
    write(bundle(), 60);
    write(buildInfo(), 30);
    assert.strictEqual(entry(root), compiled());
  });

  it('runs out/ when there is no bundle', () => {
    write(buildInfo(), 30);
    assert.strictEqual(entry(root), compiled());
  });

  it('runs the bundle when nothing was compiled (a package with the bundle only)', () => {
    write(bundle(), 30);
    assert.strictEqual(entry(root), bundle());
  });
});
