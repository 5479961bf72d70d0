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
      if (entry.default === undefined) continue;
      const value = key
        .replace(/^pgParallelHints\./, '')
        .split('.')
        .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], settings);
      assert.deepStrictEqual(value, entry.default, key);
    }
  });

  it('every command the client registers is contributed, and the other way round', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'client', 'src', 'extension.ts'), 'utf8');
    const registered = [...source.matchAll(/'(pgParallelHints\.[A-Za-z]+)': /g)].map((m) => m[1]).sort();
    const contributed = manifest.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepStrictEqual(registered, contributed);
  });
});
