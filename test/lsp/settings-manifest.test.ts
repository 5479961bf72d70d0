/** The settings are typed once (server/src/settings.ts); package.json must say the same to VS Code. */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_SETTINGS, SETTINGS_SCHEMA, parseSettings } from '../../server/src/settings';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));

describe('settings manifest', () => {
  it('contributes.configuration is exactly SETTINGS_SCHEMA (run npm run sync-settings after changing settings.ts)', () => {
    assert.deepStrictEqual(manifest.contributes.configuration.properties, JSON.parse(JSON.stringify(SETTINGS_SCHEMA)));
  });

  it('every default in the schema is the parsed default', () => {
    const { settings, problems } = parseSettings({});
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(settings, parseSettings(DEFAULT_SETTINGS).settings);
    for (const [key, entry] of Object.entries(SETTINGS_SCHEMA)) {
      // null: not set (the parsed settings leave it out).
      if (entry.default === undefined || entry.default === null) continue;
      const value = key
        .replace(/^pgParallelHints\./, '')
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], settings);
      assert.deepStrictEqual(value, entry.default, key);
    }
  });

  it('a connection field given but unusable rejects the connection; a later layer\'s good value clears it', () => {
    const bad = parseSettings({ connection: { host: 'db', port: '70000' } });
    assert.deepStrictEqual(bad.settings.connection, { host: 'db' });
    assert.strictEqual(bad.settings.connectionRejected, 'connection.port: expected a whole number from 1 to 65535, got "70000"');
    assert.strictEqual(parseSettings({ connection: { port: 70000 } }, { connection: { port: 6432 } }).settings.connectionRejected, undefined);
    const url = parseSettings({ connection: { url: 'postgres://me:pw@db:5432/shop' } });
    assert.deepStrictEqual([url.settings.connection, url.settings.connectionRejected], [{ url: 'postgres://me@db:5432/shop' }, undefined]);
    assert.deepStrictEqual(url.problems, ['connection.url: the password in the URL is ignored; use the "Set database password" command, PGPASSWORD or .pgpass']);
    const broken = parseSettings({ connection: { url: 'postgres://me:pw@db:5432x/shop' } });
    assert.strictEqual(broken.settings.connectionRejected, 'connection.url: not a valid URL (expected postgresql://user@host:port/database, a port from 1 to 65535)');
    assert.ok(!JSON.stringify(broken).includes('pw'), 'the URL, which may hold a password, is never quoted');
    const cut = parseSettings({ connection: { url: 'postgres://me:p#w@db:5432/shop' } });
    assert.strictEqual(cut.settings.connectionRejected, 'connection.url: its password holds a "#", which must be percent-encoded in a URL (as %23)');
    assert.ok(!JSON.stringify(cut).includes('p#w'), 'the URL, which may hold a password, is never quoted');
  });

  it('what VS Code sends for settings nobody set is no problem and connects as configured (a number without a default would be 0)', () => {
    // VS Code's value for a setting without a default: by its type (configurationRegistry).
    const byType: Record<string, unknown> = { string: '', number: 0, boolean: false };
    const sent: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(SETTINGS_SCHEMA)) {
      const path = key.replace(/^pgParallelHints\./, '').split('.');
      const value = 'default' in entry ? entry.default : byType[Array.isArray(entry.type) ? entry.type[0] : entry.type];
      path.slice(0, -1).reduce<Record<string, unknown>>((node, part) => (node[part] ??= {}) as Record<string, unknown>, sent)[path[path.length - 1]] = value;
    }
    (sent.connection as Record<string, unknown>).url = 'postgres://me@db/shop';
    const { settings, problems } = parseSettings(sent);
    assert.deepStrictEqual([problems, settings.connection, settings.connectionRejected], [[], { url: 'postgres://me@db/shop' }, undefined]);
  });

  it('every command the client registers is contributed, and the other way round', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'client', 'src', 'extension.ts'), 'utf8');
    const registered = [...source.matchAll(/'(pgParallelHints\.[A-Za-z]+)': /g)].map((m) => m[1]).sort();
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepStrictEqual(registered, contributed);
  });
});
