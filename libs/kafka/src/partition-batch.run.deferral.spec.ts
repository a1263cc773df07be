import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeliveryHandle } from './consumed-batch';
import { RefetchRequiredError } from './kafka.errors';
import { metrics, pauses, payload, progressFor, run, sleep } from './testing/fake-batch-run';

describe('PartitionBatchRun: deferred acknowledgement and re-reads', () => {
  it('with defer(), moves the fetch position at once but counts records done only when ack() is called', async () => {
    const { p, resolved } = payload(4);
    const progress = progressFor();
    const handles: DeliveryHandle[] = [];
    await run(p, async (b) => void handles.push(b.defer()), { progress });
    assert.deepEqual(resolved, ['101', '103'], 'handled: fetching moves on');
    assert.equal(progress.committable(), null, 'nothing done before an ack');
    assert.equal(progress.deferredRecords, 4);
    handles[1].ack();
    assert.equal(progress.committable(), null, 'the first batch still waits');
    handles[0].ack();
    handles[0].ack();
    assert.equal(progress.committable(), 104n);
    assert.equal(progress.deferredRecords, 0);
  });

  it('pauses fetching when deferred records exceed the bound, and resumes once acks drain', async () => {
    const { p, resolved } = payload(6);
    const progress = progressFor(3);
    pauses.paused = 0;
    pauses.resumed = 0;
    const handles: DeliveryHandle[] = [];
    await run(p, async (b) => void handles.push(b.defer()), { progress });
    assert.equal(handles.length, 2, 'the third sub-batch was not started');
    assert.deepEqual(resolved, ['101', '103']);
    assert.deepEqual([pauses.paused, pauses.resumed], [1, 0]);
    for (const h of handles) h.ack();
    assert.deepEqual([pauses.paused, pauses.resumed], [1, 1]);
    assert.equal(progress.committable(), 104n);
  });

  it('ignores and counts an ack that arrives after the partition was dropped, and aborts the handle', async () => {
    const m = metrics();
    const { p } = payload(2);
    const progress = progressFor(1000, m);
    let handle!: DeliveryHandle;
    await run(p, async (b) => void (handle = b.defer()), { progress });
    progress.drop();
    assert.equal(handle.signal.aborted, true);
    handle.ack();
    assert.equal(progress.committable(), null);
    assert.equal((await m.lateAcks.get()).values[0]?.value, 1);
  });

  it('on RefetchRequiredError, does not retry: asks for a re-read once and resolves nothing after it', async () => {
    const { p, resolved } = payload(6);
    const calls: string[] = [];
    const refetches: unknown[] = [];
    await run(
      p,
      async (b) => {
        calls.push(b.records[0].offset);
        if (b.records[0].offset === '102') throw new RefetchRequiredError('transaction outcome unknown');
      },
      { refetch: async (cause) => void refetches.push(cause) },
    );
    assert.deepEqual(calls, ['100', '102']);
    assert.equal(refetches.length, 1);
    assert.deepEqual(resolved, ['101']);
  });

  it('heartbeats while the committed offset of a re-read is looked up, and stops looking when the group rebalances', async () => {
    let beats = 0;
    let failBeats = false;
    const { p } = payload(4, {
      heartbeat: async () => {
        beats++;
        if (failBeats) throw new Error('REBALANCE_IN_PROGRESS');
      },
    });
    let lookups = 0;
    const done = run(p, async () => Promise.reject(new RefetchRequiredError('unknown')), {
      refetch: async (_cause, keepTrying) => {
        while (keepTrying()) {
          lookups++;
          await sleep(5); // the admin lookup keeps failing
        }
      },
    });
    await sleep(60);
    const beatsWhileLooking = beats;
    failBeats = true;
    await assert.rejects(done, /REBALANCE_IN_PROGRESS/);
    assert.ok(beatsWhileLooking >= 3, `heartbeats while looking up: ${beatsWhileLooking}`);
    assert.ok(lookups > 1);
  });
});
