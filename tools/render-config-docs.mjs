#!/usr/bin/env node
// Rewrites the configuration table in README.md from libs/config (build first: npm run build).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { renderConfigTable, CONFIG_REFERENCE, CONFIG_TABLE_BEGIN, CONFIG_TABLE_END } = require('../libs/config/dist/index.js');
const path = new URL('../README.md', import.meta.url);
const text = readFileSync(path, 'utf8');
const b = text.indexOf(CONFIG_TABLE_BEGIN);
const e = text.indexOf(CONFIG_TABLE_END);
if (b < 0 || e < b) throw new Error('README.md lacks the config-table markers');
writeFileSync(path, `${text.slice(0, b + CONFIG_TABLE_BEGIN.length)}\n${renderConfigTable(CONFIG_REFERENCE)}${text.slice(e)}`);
console.log('README.md configuration table updated');
