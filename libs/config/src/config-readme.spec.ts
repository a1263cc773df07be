import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderConfigTable } from './config-docs';
import { CONFIG_REFERENCE, CONFIG_TABLE_BEGIN, CONFIG_TABLE_END } from './config-reference';

// dist/ -> libs/config -> libs -> repo root
const README = join(__dirname, '..', '..', '..', 'README.md');

describe('README configuration table', () => {
  it('matches the configuration the services load', () => {
    const text = readFileSync(README, 'utf8');
    const begin = text.indexOf(CONFIG_TABLE_BEGIN);
    const end = text.indexOf(CONFIG_TABLE_END);
    assert.ok(begin >= 0 && end > begin, 'README.md must hold the config-table markers');
    const current = text.slice(begin + CONFIG_TABLE_BEGIN.length, end).trim();
    assert.equal(current, renderConfigTable(CONFIG_REFERENCE).trim(), 'README config table is stale: run `npm run docs:config`');
  });
});
