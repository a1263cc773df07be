import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decideRange, type RangeAction, type RangeDecision, type StoredRange } from './range-decision';

const range = (from: number, to: number): bigint[] => Array.from({ length: to - from + 1 }, (_, i) => BigInt(from + i));
const stored = (first: number, last: number, status: StoredRange['status']): StoredRange => ({ first: BigInt(first), last: BigInt(last), rows: 1, status });
const act = (kind: RangeAction['kind'], first: number, last: number): RangeAction => ({ kind, first: BigInt(first), last: BigInt(last) });
const go = (actions: RangeAction[], gap: [number, number] | null = null): RangeDecision => ({
  kind: 'proceed',
  actions,
  gap: gap === null ? null : { from: BigInt(gap[0]), to: BigInt(gap[1]) },
  reset: false,
});

describe('decideRange: named states', () => {
  it('no state: everything is new', () => {
    assert.deepEqual(decideRange(null, range(5, 9)), go([act('insert', 5, 9)]));
  });
  it('same range, done: skip it all', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(10, 19)), go([act('skip', 10, 19)]));
  });
  it('same range, pending: replay it exactly', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(10, 19)), go([act('replay', 10, 19)]));
  });
  it('overlapping, done: skip the stored head, insert the tail', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(10, 30)), go([act('skip', 10, 19), act('insert', 20, 30)]));
  });
  it('overlapping, pending: replay the head exactly, then insert the tail', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(10, 30)), go([act('replay', 10, 19), act('insert', 20, 30)]));
  });
  it('starting before the state: the part before is done already', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(5, 25)), go([act('skip', 5, 9), act('replay', 10, 19), act('insert', 20, 25)]));
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(5, 25)), go([act('skip', 5, 19), act('insert', 20, 25)]));
  });
  it('contained in a done range: skip', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(12, 15)), go([act('skip', 12, 15)]));
  });
  it('contained in a pending range, starting inside it: re-read from the range start', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(12, 25)), { kind: 'refetch', from: 10n });
  });
  it('starting the pending range but ending inside it: cut at its last offset instead', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(10, 15)), { kind: 'incomplete', upTo: 19n });
  });
  it('previous: a batch wholly before the state is skipped', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(3, 8)), go([act('skip', 3, 8)]));
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(3, 8)), go([act('skip', 3, 8)]));
  });
  it('new right after a done range: insert, no gap', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(20, 29)), go([act('insert', 20, 29)]));
  });
  it('new after a hole: insert, and report the hole as a gap', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(25, 29)), go([act('insert', 25, 29)], [20, 24]));
  });
  it('a hole the consumer read through (markers) is no gap; reading from inside the hole reports only the rest', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(22, 29), 20n), go([act('insert', 22, 29)]));
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(22, 29), 15n), go([act('insert', 22, 29)]));
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(25, 29), 23n), go([act('insert', 25, 29)], [20, 22]));
  });
  it('sparse offsets (markers inside the batch) still cut at the stored bounds', () => {
    const offsets = [8n, 10n, 13n, 19n, 21n, 24n];
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), offsets), go([act('skip', 8, 8), act('replay', 10, 19), act('insert', 21, 24)]));
    assert.deepEqual(decideRange(stored(10, 19, 'done'), offsets), go([act('skip', 8, 19), act('insert', 21, 24)]));
  });
  it('pending after the batch start moved past it: refetch, or a gap when the reader cannot go back', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(20, 29)), { kind: 'refetch', from: 10n });
    assert.deepEqual(decideRange(stored(10, 19, 'pending'), range(25, 29), 25n), go([act('insert', 25, 29)], [10, 24]));
  });
  it('zeroed: offsets restarting at 0 below the state mean a recreated topic', () => {
    assert.deepEqual(decideRange(stored(10, 19, 'done'), range(0, 4)), { kind: 'proceed', actions: [act('insert', 0, 4)], gap: null, reset: true });
  });
  it('refuses an empty batch', () => {
    assert.throws(() => decideRange(null, []), /at least one offset/);
  });
});

/**
 * Every stored range and status against every contiguous batch over offsets 0..9, checked against the model:
 * offsets at or below a done range's end are stored; below a pending range's start are stored; a pending
 * range is stored in part and must be re-sent whole or not at all; everything after is new.
 */
describe('decideRange: exhaustive over small ranges', () => {
  it('skips exactly the stored offsets, replays pending ranges whole, inserts every new offset once', () => {
    let cases = 0;
    for (const status of ['pending', 'done'] as const) {
      for (let sf = 1; sf <= 6; sf++) {
        for (let sl = sf; sl <= 7; sl++) {
          for (let bf = 0; bf <= 9; bf++) {
            for (let bl = bf; bl <= 9; bl++) {
              cases++;
              checkModel(stored(sf, sl, status), range(bf, bl));
            }
          }
        }
      }
    }
    assert.equal(cases, 2 * 27 * 55);
  });
});

function checkModel(s: StoredRange, offsets: bigint[]): void {
  const label = `${s.status} [${s.first},${s.last}] batch [${offsets[0]},${offsets[offsets.length - 1]}]`;
  const d = decideRange(s, offsets);
  const first = offsets[0] as bigint;
  const last = offsets[offsets.length - 1] as bigint;
  if (d.kind === 'refetch') {
    assert.equal(s.status, 'pending', label);
    assert.ok(first > s.first && last >= s.first, label);
    assert.equal(d.from, s.first, label);
    return;
  }
  if (d.kind === 'incomplete') {
    assert.ok(s.status === 'pending' && first <= s.first && last < s.last && last >= s.first, label);
    return;
  }
  if (d.reset) {
    assert.ok(first === 0n && last < s.first, label);
    return;
  }
  const covered = new Map<bigint, RangeAction['kind']>();
  for (const a of d.actions) {
    for (const o of offsets) if (o >= a.first && o <= a.last) {
      assert.ok(!covered.has(o), `${label}: offset ${o} in two actions`);
      covered.set(o, a.kind);
    }
  }
  for (const o of offsets) {
    const expected = s.status === 'done' ? (o <= s.last ? 'skip' : 'insert') : o < s.first ? 'skip' : o <= s.last ? 'replay' : 'insert';
    assert.equal(covered.get(o), expected, `${label}: offset ${o}`);
  }
  const replay = d.actions.find((a) => a.kind === 'replay');
  if (replay) assert.deepEqual([replay.first, replay.last], [s.first, s.last], `${label}: replay must be the stored range`);
  const gapExpected = s.status === 'done' && first > s.last + 1n;
  assert.equal(d.gap !== null, gapExpected, `${label}: gap`);
}
