import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { DeadLetterInput } from './dead-letter.publisher';
import { RecordDecoder } from './record.decoder';
import { FakeSerde } from './testing/fake-serde';
import { payload, run, sleep } from './testing/fake-batch-run';

describe('PartitionBatchRun', () => {
  it('resolves only offsets below the first unfinished sub-batch when sub-batches finish out of order', async () => {
    const { p, resolved } = payload(6);
    await run(
      p,
      async (b) => {
        await sleep(b.records[0].offset === '100' ? 60 : 5);
      },
      { cfg: { maxInFlightSubBatches: 3 } },
    );
    assert.deepEqual(resolved, ['105']);
  });

  it('tells each sub-batch where its reading started: the fetch offset, then one past the previous message', async () => {
    // The fetch asked for 97: 97-99 held only transaction markers or aborted records.
    const { p } = payload(5, { fetchedOffset: '97' });
    const seen: string[] = [];
    await run(p, async (b) => void seen.push(`${b.fetchedFrom}..${b.records[0]?.offset}`), { cfg: { subBatchSize: 2 } });
    assert.deepEqual(seen, ['97..100', '102..102', '104..104']);
    const bare = payload(1);
    const first: string[] = [];
    await run(bare.p, async (b) => void first.push(b.fetchedFrom));
    assert.deepEqual(first, ['100'], 'without the fetch offset, the first message is where reading started');
  });

  it('retries a failed sub-batch before starting the next one, resolving nothing past it meanwhile', async () => {
    const { p, resolved } = payload(4);
    const calls: string[] = [];
    let failures = 2;
    await run(
      p,
      async (b) => {
        calls.push(`${b.records[0].offset}:${resolved.join(',')}`);
        if (b.records[0].offset === '102' && failures-- > 0) throw new Error('down');
      },
      { cfg: { maxInFlightSubBatches: 2 } },
    );
    assert.deepEqual(calls.map((c) => c.split(':')[0]), ['100', '102', '102', '102']);
    assert.deepEqual(resolved, ['101', '103']);
  });

  it('dead-letters a record without a value, counts it done, and retries when the dead letter is not acknowledged', async () => {
    const { p, resolved } = payload(3, { tombstones: [1] });
    const letters: DeadLetterInput[] = [];
    let refusals = 1;
    const handled: string[] = [];
    await run(p, async (b) => void handled.push(...b.records.map((r) => r.offset)), {
      publish: async (d) => {
        if (refusals-- > 0) throw new Error('kafka down');
        letters.push(d);
      },
    });
    assert.deepEqual(letters.map((d) => [d.errorKind, d.offset, d.index, d.key?.toString()]), [['undecodable', '101', -1, 'k1']]);
    assert.deepEqual(handled, ['100', '102']);
    assert.deepEqual(resolved, ['101', '102']);
  });

  it('on stop, abandons a stuck sub-batch after the drain deadline: its signal aborts and it never resolves later', async () => {
    const { p, resolved, state } = payload(4);
    let stopping = false;
    let release!: () => void;
    let drain!: () => void;
    let stuck: AbortSignal | undefined;
    const drainDeadline = new Promise<void>((r) => (drain = r));
    const done = run(
      p,
      async (b) => {
        if (b.records[0].offset === '102') {
          stuck = b.signal;
          await new Promise<void>((r) => (release = r));
        }
      },
      { stopping: () => stopping, drainDeadline },
    );
    await sleep(30);
    assert.equal(stuck?.aborted, false);
    stopping = true;
    state.running = false;
    drain();
    await done;
    assert.equal(stuck?.aborted, true, 'the abandoned handler was told to stop writing');
    release();
    await sleep(10);
    assert.deepEqual(resolved, ['101']);
  });

  it('stops taking sub-batches when a heartbeat fails (rebalance), finishes in-flight work, then rethrows', async () => {
    let beats = 0;
    const { p, resolved } = payload(8, {
      heartbeat: async () => {
        if (++beats >= 2) throw new Error('REBALANCE_IN_PROGRESS');
      },
    });
    const started: string[] = [];
    await assert.rejects(
      run(
        p,
        async (b) => {
          started.push(b.records[0].offset);
          await sleep(20);
        },
        { cfg: { maxInFlightSubBatches: 2 } },
      ),
      /REBALANCE_IN_PROGRESS/,
    );
    assert.deepEqual(started, ['100', '102']);
    assert.deepEqual(resolved, ['101', '103']);
  });

  it('never commits through the payload (interim commits would bypass transactions and deferred acks)', async () => {
    const { p, interimCommits } = payload(6);
    await run(p, async () => undefined, { cfg: { autoCommit: false, commitIntervalMs: 1 } });
    assert.deepEqual(interimCommits, []);
  });

  it('hands envelope records flat in (offset, index) order, never splits an envelope, and dead-letters one inner record alone', async () => {
    const ITEM = { type: 'record', name: 'Item', namespace: 'io.sextant.test', fields: [{ name: 'n', type: 'int' }] };
    const BATCH = { type: 'record', name: 'ItemBatch', namespace: 'io.sextant.test', fields: [{ name: 'records', type: { type: 'array', items: ITEM } }] };
    const serde = new FakeSerde().register(1, ITEM).register(2, BATCH);
    const values = [await serde.encode(1, { n: 0 }), await serde.encode(2, { records: [{ n: 1 }, { n: 2 }, { n: 3 }] }), await serde.encode(1, { n: 4 })];
    const { p, resolved } = payload(3, { values });
    const letters: DeadLetterInput[] = [];
    const calls: [string, number, number][][] = [];
    await run<{ n: number }>(
      p,
      async (b) => {
        calls.push(b.records.map((r) => [r.offset, r.index, r.value.n]));
        for (const r of b.records) if (r.value.n === 2) void b.deadLetter(r, 'n must not be 2', 'invalid');
      },
      { decoder: new RecordDecoder({ mode: 'avro', serde: serde.asSerde(), envelopeSchema: BATCH, recordSchemaId: 1 }), publish: async (d) => void letters.push(d) },
    );
    assert.deepEqual(calls, [
      [
        ['100', -1, 0],
        ['101', 0, 1],
        ['101', 1, 2],
        ['101', 2, 3],
      ],
      [['102', -1, 4]],
    ]);
    assert.deepEqual(letters.map((d) => [d.offset, d.index, d.errorKind]), [['101', 1, 'invalid']]);
    const value = letters[0].value;
    assert.ok(value);
    assert.equal(value.readUInt32BE(1), 1, 'framed as a single record');
    assert.equal(((await serde.decode<{ n: number }>(value)).value).n, 2);
    assert.deepEqual(resolved, ['101', '102']);
  });

  it('with offsets moved only by transactions (autoCommit false), still calls the handler for an all-dead-lettered sub-batch', async () => {
    const { p, resolved } = payload(4, { tombstones: [2, 3] });
    const calls: [number, string][] = [];
    await run(p, async (b) => void calls.push([b.records.length, b.nextOffset]), { cfg: { autoCommit: false } });
    assert.deepEqual(calls, [
      [2, '102'],
      [0, '104'],
    ]);
    assert.deepEqual(resolved, ['101', '103']);
  });

  it('does not send a dead letter again when the sub-batch that asked for it is retried', async () => {
    const { p, resolved } = payload(2);
    const letters: DeadLetterInput[] = [];
    let attempts = 0;
    await run(
      p,
      async (b) => {
        await b.deadLetter(b.records[0], 'bad', 'invalid');
        if (++attempts === 1) throw new Error('output down');
      },
      { publish: async (d) => void letters.push(d) },
    );
    assert.equal(attempts, 2);
    assert.deepEqual(letters.map((d) => [d.offset, d.index]), [['100', -1]]);
    assert.deepEqual(resolved, ['101']);
  });
});
