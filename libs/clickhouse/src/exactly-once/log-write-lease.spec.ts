import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '@sextant/contracts';
import { distinctOffsets, LeaseRevokedError, LogWriteLease, rangeRecords, sortedSources, splitNewRange } from './log-write-lease';

const value = {} as LogRecord;
const key = { table: 'd.t', topic: 'logs', partition: 0, epoch: '' };

describe('LogWriteLease', () => {
  it('turns the state into the plan for the next batch', () => {
    assert.deepEqual(new LogWriteLease(key, 'w', null).plan, { kind: 'free', after: null });
    const state = { version: 2, first: 10n, last: 19n, rows: 30, status: 'pending' as const, referenceTimeNs: 1n };
    assert.deepEqual(new LogWriteLease(key, 'w', state).plan, { kind: 'replay', firstOffset: '10', lastOffset: '19', rows: 30 });
    assert.deepEqual(new LogWriteLease(key, 'w', { ...state, status: 'done' }).plan, { kind: 'free', after: '19' });
  });

  it('runs one write at a time and none once revoked', async () => {
    const lease = new LogWriteLease(key, 'w', null);
    let release!: () => void;
    const first = lease.exclusive(() => new Promise<void>((resolve) => (release = resolve)));
    await assert.rejects(lease.exclusive(async () => undefined), /already running/);
    release();
    await first;
    lease.revoke();
    assert.equal(lease.held, false);
    await assert.rejects(lease.exclusive(async () => undefined), LeaseRevokedError);
  });
});

describe('record ordering', () => {
  it('orders by offset then envelope index, numerically, and slices by offset range', () => {
    const records = [
      { offset: '10', index: 1, value },
      { offset: '9', index: 0, value },
      { offset: '10', index: 0, value },
      { offset: '100', index: -1, value },
    ];
    const sorted = sortedSources(records);
    assert.deepEqual(sorted.map((s) => `${s.offset}/${s.index}`), ['9/0', '10/0', '10/1', '100/-1']);
    assert.deepEqual(distinctOffsets(sorted), [9n, 10n, 100n]);
    assert.deepEqual(rangeRecords(sorted, 10n, 99n).map((s) => `${s.offset}/${s.index}`), ['10/0', '10/1']);
  });
});

describe('splitNewRange', () => {
  const envelopes = (sizes: number[]) =>
    sortedSources(sizes.flatMap((n, offset) => Array.from({ length: n }, (_, index) => ({ offset: String(offset), index, value }))));
  const shape = (parts: ReturnType<typeof splitNewRange>): string[] => parts.map((p) => `${p[0]?.offset}-${p[p.length - 1]?.offset}:${p.length}`);

  it('keeps a batch up to twice the limit whole', () => {
    assert.deepEqual(shape(splitNewRange(envelopes([10, 10]), 10)), ['0-1:20']);
  });
  it('cuts larger batches into near-equal ranges at message boundaries', () => {
    assert.deepEqual(shape(splitNewRange(envelopes([4, 4, 4, 4, 4, 4, 4, 4]), 10)), ['0-1:8', '2-3:8', '4-5:8', '6-7:8']);
  });
  it('never splits an envelope, however large', () => {
    assert.deepEqual(shape(splitNewRange(envelopes([50, 1]), 10)), ['0-0:50', '1-1:1']);
  });
});
