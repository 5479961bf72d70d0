#!/usr/bin/env node
'use strict';
// `npm run demo`: a throwaway PostgreSQL from npm, the example schema, and the real output of
// `pg-parallel-hints check --verify` on examples/reports.sql. Nothing outside a temp folder is touched.
const path = require('path');
const fs = require('fs');
const { Client } = require('pg');

const root = path.join(__dirname, '..');
const { startPostgres } = require(path.join(root, 'out/test/harness/postgres.js'));
const { main } = require(path.join(root, 'out/server/src/cli.js'));

async function demo() {
  process.stdout.write('Starting a throwaway PostgreSQL 18 from npm...\n');
  const cluster = await startPostgres({ major: 18 });
  try {
    const url = await cluster.createDatabase('demo');
    const client = new Client({ connectionString: url });
    await client.connect();
    process.stdout.write('Loading examples/schema.sql (50,000 customers, 400,000 orders)...\n');
    await client.query(fs.readFileSync(path.join(root, 'examples/schema.sql'), 'utf8'));
    await client.end();

    const args = ['check', '--db', url, '--verify', 'examples/reports.sql'];
    process.stdout.write(`\n$ pg-parallel-hints ${args.map((a) => (a === url ? 'postgres://…/demo' : a)).join(' ')}\n\n`);
    const code = await main(args, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: {}, cwd: root });
    process.stdout.write(`\n(exit code ${code}: 1 means findings at or above --fail-on, as a CI gate would see it)\n`);
  } finally {
    await cluster.stop();
  }
}

demo().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`demo failed: ${error && error.stack ? error.stack : error}\n`);
    process.exit(1);
  },
);
