#!/usr/bin/env node
'use strict';
// Writes package.json contributes.configuration from the server's SETTINGS_SCHEMA (the settings are
// typed once, in server/src/settings.ts). test/lsp/settings-manifest.test.ts fails when they drift.
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');
const { SETTINGS_SCHEMA } = require(path.join(root, 'out/server/src/settings.js'));
const file = path.join(root, 'package.json');
const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
manifest.contributes.configuration = { title: 'PostgreSQL Parallel Hints', properties: SETTINGS_SCHEMA };
fs.writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
process.stdout.write(`package.json: ${Object.keys(SETTINGS_SCHEMA).length} settings\n`);
