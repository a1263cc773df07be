import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BackpressureError, RecordTooLargeError } from './kafka.errors';
import { SendBuffer } from './send.buffer';

const limits = { maxBatchRecords: 3, maxBatchBytes: 100, maxBufferedRecords: 10, maxBufferedBytes: 1000 };
const sized = (n: number, bytes = 10): number[] => Array.from({ length: n }, () => bytes);

describe('SendBuffer', () => {
  it('splits a call into chunks that each fit one batch, and batches chunks in arrival order', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    const call = b.accept('t', sized(7), 0, 5);
    assert.equal(call.chunksLeft, 3);
    assert.deepEqual(b.takeBatch().map((c) => c.messages.length), [3]);
    assert.deepEqual(b.takeBatch().map((c) => c.messages.length), [3]);
    assert.deepEqual(b.takeBatch().map((c) => c.messages.length), [1]);
    assert.deepEqual(b.takeBatch(), []);
  });

  it('puts several small calls into one batch up to the record and byte limits', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    b.accept('a', [40], 0, 5);
    b.accept('b', [40], 0, 5);
    b.accept('c', [40], 0, 5);
    const first = b.takeBatch();
    assert.deepEqual(first.map((c) => c.topic), ['a', 'b']);
    assert.deepEqual(b.takeBatch().map((c) => c.topic), ['c']);
  });

  it('rejects a call that does not fit with BackpressureError and buffers nothing of it', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    b.accept('t', sized(8), 0, 5);
    assert.throws(
      () => b.accept('t', sized(3), 0, 42),
      (e: unknown) => e instanceof BackpressureError && e.retryAfterMs === 42,
    );
    assert.equal(b.bufferedRecords, 8);
    assert.equal(b.queuedRecords, 8);
    b.accept('t', sized(2), 0, 5);
    assert.equal(b.bufferedRecords, 10);
  });

  it('applies the byte limit as well as the record limit', () => {
    const b = new SendBuffer<number>({ ...limits, maxBufferedBytes: 100 }, (m) => m);
    b.accept('t', [60], 0, 5);
    assert.throws(() => b.accept('t', [50], 0, 5), BackpressureError);
    assert.equal(b.bufferedBytes, 60);
  });

  it('refuses one record larger than a batch', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    assert.throws(() => b.accept('t', [101], 0, 5), RecordTooLargeError);
    assert.equal(b.bufferedRecords, 0);
  });

  it('keeps a call accounted while in flight and frees it on release, once', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    const call = b.accept('t', sized(2), 0, 5);
    b.takeBatch();
    assert.equal(b.queuedRecords, 0);
    assert.equal(b.bufferedRecords, 2);
    assert.equal(b.release(call), true);
    assert.equal(b.release(call), false);
    assert.equal(b.bufferedRecords, 0);
  });

  it('drops the queued chunks of a call released early (timed out)', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    const early = b.accept('early', sized(2), 0, 5);
    b.accept('late', sized(1), 0, 5);
    b.release(early);
    // Gone at once, not when the stuck producer next takes a batch: released calls hold no memory.
    assert.equal(b.queuedRecords, 1);
    assert.deepEqual(b.takeBatch().map((c) => c.topic), ['late']);
    assert.equal(b.oldestQueuedAt, null);
  });

  it('reports a full batch waiting', () => {
    const b = new SendBuffer<number>(limits, (m) => m);
    b.accept('t', sized(2), 7, 5);
    assert.equal(b.batchReady, false);
    assert.equal(b.oldestQueuedAt, 7);
    b.accept('t', sized(1), 9, 5);
    assert.equal(b.batchReady, true);
  });
});
