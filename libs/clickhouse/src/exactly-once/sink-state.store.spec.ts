import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { resolvePartitionState, type StateRow } from './sink-state.store';

const row = (version: number, writer: string, status: StateRow['status'], first: number, last: number, claimedAt: number): StateRow => ({
  version,
  writer,
  status,
  first: BigInt(first),
  last: BigInt(last),
  rows: last - first + 1,
  referenceTimeNs: 7n,
  claimedAt: String(claimedAt).padStart(20, '0'),
});

describe('resolvePartitionState', () => {
  it('is null without claims', () => {
    assert.equal(resolvePartitionState([]), null);
  });
  it('takes the highest version; pending until a done row of that version confirms the same range', () => {
    const rows = [row(1, 'a', 'pending', 0, 9, 1), row(1, 'a', 'done', 0, 9, 2), row(2, 'a', 'pending', 10, 19, 3)];
    assert.deepEqual(resolvePartitionState(rows), { version: 2, first: 10n, last: 19n, rows: 10, status: 'pending', referenceTimeNs: 7n });
    assert.equal(resolvePartitionState([...rows, row(2, 'b', 'done', 10, 19, 4)])?.status, 'done');
  });
  it('when two writers claim one version, the earliest claim wins and only its range counts', () => {
    const rows = [row(3, 'late', 'pending', 20, 50, 9), row(3, 'early', 'pending', 20, 29, 5), row(3, 'late', 'done', 20, 50, 10)];
    const state = resolvePartitionState(rows);
    assert.deepEqual([state?.first, state?.last, state?.status], [20n, 29n, 'pending']);
  });
  it('breaks a tie on the server clock by writer id', () => {
    const state = resolvePartitionState([row(1, 'b', 'pending', 0, 5, 1), row(1, 'a', 'pending', 0, 3, 1)]);
    assert.equal(state?.last, 3n);
  });
});
