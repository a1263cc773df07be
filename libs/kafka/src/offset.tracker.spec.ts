import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OffsetTracker } from './offset.tracker';

function tracking(offsets: number[]): OffsetTracker {
  const t = new OffsetTracker();
  for (const o of offsets) t.track(String(o));
  return t;
}

describe('OffsetTracker', () => {
  it('yields nothing until the first tracked offset is done', () => {
    const t = tracking([10, 11, 12]);
    t.markDone('11');
    t.markDone('12');
    assert.equal(t.committable(), null);
    assert.equal(t.pending, 3);
  });

  it('yields the highest offset below which everything is done, whatever the order of completion', () => {
    const t = tracking([10, 11, 12, 13, 14]);
    t.markDone('12');
    t.markDone('10');
    assert.equal(t.committable(), 10n);
    t.markDone('14');
    t.markDone('11');
    assert.equal(t.committable(), 12n);
    t.markDone('13');
    assert.equal(t.committable(), 14n);
    assert.equal(t.pending, 0);
  });

  it('handles gaps in offsets (compacted topics, transaction markers)', () => {
    const t = tracking([5, 9, 20]);
    t.markDone('9');
    t.markDone('5');
    assert.equal(t.committable(), 9n);
    t.markDone('20');
    assert.equal(t.committable(), 20n);
  });

  it('handles offsets beyond 2^53', () => {
    const big = 2n ** 60n;
    const t = new OffsetTracker();
    t.track(big);
    t.track(big + 1n);
    t.markDone((big + 1n).toString());
    t.markDone(big.toString());
    assert.equal(t.committable(), big + 1n);
  });

  it('rejects new offsets that do not increase and offsets never tracked', () => {
    const t = tracking([1, 5]);
    assert.throws(() => t.track('3'), /must increase/);
    assert.throws(() => t.markDone('7'), /not tracked/);
  });

  it('ignores offsets tracked again (a re-fetch after abandoned work), pending or done', () => {
    const t = tracking([1, 2, 3]);
    t.markDone('1');
    t.markDone('3');
    for (const o of ['1', '2', '3']) t.track(o);
    t.track('4');
    assert.equal(t.pending, 3);
    t.markDone('2');
    assert.equal(t.committable(), 3n);
    assert.equal(t.pending, 1);
  });

  it('ignores a second markDone of an offset already covered', () => {
    const t = tracking([1, 2]);
    t.markDone('1');
    t.markDone('1');
    assert.equal(t.committable(), 1n);
  });

  it('starts over on reset', () => {
    const t = tracking([1, 2]);
    t.markDone('1');
    t.reset();
    assert.equal(t.committable(), null);
    t.track('1');
    t.markDone('1');
    assert.equal(t.committable(), 1n);
  });

  it('keeps working past its compaction threshold', () => {
    const t = new OffsetTracker();
    for (let i = 0; i < 5000; i++) t.track(String(i));
    for (let i = 4999; i >= 2500; i--) t.markDone(String(i));
    assert.equal(t.committable(), null);
    for (let i = 0; i < 2500; i++) t.markDone(String(i));
    assert.equal(t.committable(), 4999n);
  });
});
