import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DeadLetterInput, DeadLetterPublisher } from './dead-letter.publisher';
import { defaultConsumerConfig, type ResolvedConsumerConfig } from './kafka.config';
import { kafkaMetrics } from './kafka.metrics';
import { OffsetTracker } from './offset.tracker';
import { PartitionBatchRun, type BatchHandler } from './partition-batch.run';
import { RecordDecoder } from './record.decoder';

// A KafkaJS eachBatch payload over an in-memory batch, recording what the run resolves.
function payload(count: number, opts: { heartbeat?: () => Promise<void>; tombstones?: number[] } = {}) {
  const messages: KafkaMessage[] = Array.from({ length: count }, (_, i) => ({
    offset: String(100 + i),
    key: Buffer.from(`k${i}`),
    value: opts.tombstones?.includes(i) ? null : Buffer.from(`v${i}`),
    timestamp: '1700000000000',
    headers: {},
    attributes: 0,
  }));
  const resolved: string[] = [];
  const state = { running: true };
  const p = {
    batch: { topic: 't', partition: 0, highWatermark: String(100 + count), messages },
    resolveOffset: (o: string) => void resolved.push(o),
    heartbeat: opts.heartbeat ?? (async () => undefined),
    pause: () => () => undefined,
    commitOffsetsIfNecessary: async () => undefined,
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => state.running,
    isStale: () => false,
  } as unknown as EachBatchPayload;
  return { p, resolved, state };
}

function run(
  p: EachBatchPayload,
  handler: BatchHandler<Buffer>,
  extra: { cfg?: Partial<ResolvedConsumerConfig>; publish?: (d: DeadLetterInput) => Promise<void>; stopping?: () => boolean; drainDeadline?: Promise<void> } = {},
) {
  const cfg = { ...defaultConsumerConfig('g'), subBatchSize: 2, maxInFlightSubBatches: 1, retryBackoffMs: 5, maxRetryBackoffMs: 20, heartbeatIntervalMs: 10, ...extra.cfg };
  return new PartitionBatchRun<Buffer>(p, {
    cfg,
    handler,
    decoder: new RecordDecoder<Buffer>('raw'),
    deadLetters: { publish: extra.publish ?? (async () => undefined) } as unknown as DeadLetterPublisher,
    tracker: new OffsetTracker(),
    metrics: kafkaMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    stopping: extra.stopping ?? (() => false),
    drainDeadline: extra.drainDeadline ?? new Promise<void>(() => undefined),
    stopSignal: new AbortController().signal,
  }).run();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

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
    await run(
      p,
      async (b) => void handled.push(...b.records.map((r) => r.offset)),
      {
        publish: async (d) => {
          if (refusals-- > 0) throw new Error('kafka down');
          letters.push(d);
        },
      },
    );
    assert.deepEqual(letters.map((d) => [d.errorKind, d.offset, d.key?.toString()]), [['undecodable', '101', 'k1']]);
    assert.deepEqual(handled, ['100', '102']);
    assert.deepEqual(resolved, ['101', '102']);
  });

  it('on stop, abandons a stuck sub-batch after the drain deadline and never resolves it later', async () => {
    const { p, resolved, state } = payload(4);
    let stopping = false;
    let release!: () => void;
    let drain!: () => void;
    const drainDeadline = new Promise<void>((r) => (drain = r));
    const done = run(
      p,
      async (b) => {
        if (b.records[0].offset === '102') await new Promise<void>((r) => (release = r));
      },
      { stopping: () => stopping, drainDeadline },
    );
    await sleep(30);
    stopping = true;
    state.running = false;
    drain();
    await done;
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
});
