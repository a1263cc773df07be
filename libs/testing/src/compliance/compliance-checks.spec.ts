import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { discrepancies, idsFor } from './compliance-checks';

describe('compliance counts', () => {
  it('names ids as missing, duplicated and never produced', () => {
    const ids = idsFor('r', 4);
    const effects = new Map([
      ['r-0', 1],
      ['r-1', 2],
      ['r-3', 1],
      ['stray-9', 1],
    ]);
    assert.deepEqual(discrepancies(effects, ids), { missing: ['r-2'], duplicated: ['r-1'], unknown: ['stray-9'] });
  });

  it('finds nothing wrong with exactly one effect per id', () => {
    const ids = idsFor('r', 3, 10);
    assert.deepEqual(ids, ['r-10', 'r-11', 'r-12']);
    assert.deepEqual(discrepancies(new Map(ids.map((id) => [id, 1])), ids), { missing: [], duplicated: [], unknown: [] });
  });
});
