/**
 * Fakes for PartitionBatchRun specs (not part of the public API): a KafkaJS eachBatch payload over an
 * in-memory batch that records what the run resolves and commits, and a run wired to fakes.
 */
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { DeadLetterInput, DeadLetterPublisher } from '../dead-letter.publisher';
import { defaultConsumerConfig, type ResolvedConsumerConfig } from '../kafka.config';
import { kafkaMetrics } from '../kafka.metrics';
import { PartitionBatchRun, type BatchHandler } from '../partition-batch.run';
import { PartitionProgress } from '../partition-progress';
import { RecordDecoder } from '../record.decoder';

// A KafkaJS eachBatch payload over an in-memory batch, recording what the run resolves and commits.
/** `fetchedOffset`: the offset the fetch asked for, which KafkaJS keeps on its Batch (default: none, as KafkaJS's types say). */
export function payload(count: number, opts: { heartbeat?: () => Promise<void>; tombstones?: number[]; values?: Buffer[]; fetchedOffset?: string } = {}) {
  const messages: KafkaMessage[] = Array.from({ length: count }, (_, i) => ({
    offset: String(100 + i),
    key: Buffer.from(`k${i}`),
    value: opts.tombstones?.includes(i) ? null : (opts.values?.[i] ?? Buffer.from(`v${i}`)),
    timestamp: '1700000000000',
    headers: {},
    attributes: 0,
  }));
  const resolved: string[] = [];
  const interimCommits: string[] = [];
  const state = { running: true, stale: false };
  const p = {
    batch: { topic: 't', partition: 0, highWatermark: String(100 + count), messages, ...(opts.fetchedOffset !== undefined ? { fetchedOffset: opts.fetchedOffset } : {}) },
    resolveOffset: (o: string) => void resolved.push(o),
    heartbeat: opts.heartbeat ?? (async () => undefined),
    pause: () => () => undefined,
    commitOffsetsIfNecessary: async () => void interimCommits.push('commit'),
    uncommittedOffsets: () => ({ topics: [] }),
    isRunning: () => state.running,
    isStale: () => state.stale,
  } as unknown as EachBatchPayload;
  return { p, resolved, state, interimCommits };
}

export interface Extra<T> {
  cfg?: Partial<ResolvedConsumerConfig>;
  publish?: (d: DeadLetterInput) => Promise<void>;
  stopping?: () => boolean;
  drainDeadline?: Promise<void>;
  decoder?: RecordDecoder<T>;
  progress?: PartitionProgress;
  refetch?: (cause: unknown, keepTrying: () => boolean) => Promise<void>;
}

export const metrics = () => kafkaMetrics(new Registry());
export const pauses = { paused: 0, resumed: 0 };
export function progressFor(maxDeferredRecords = 1000, m = metrics()): PartitionProgress {
  return new PartitionProgress('t', 0, { maxDeferredRecords, metrics: m, onDone: () => undefined, pause: () => void pauses.paused++, resume: () => void pauses.resumed++ });
}

export function run<T = Buffer>(p: EachBatchPayload, handler: BatchHandler<T>, extra: Extra<T> = {}) {
  const cfg = { ...defaultConsumerConfig('g'), subBatchSize: 2, maxInFlightSubBatches: 1, retryBackoffMs: 5, maxRetryBackoffMs: 20, heartbeatIntervalMs: 10, ...extra.cfg };
  return new PartitionBatchRun<T>(p, {
    cfg,
    handler,
    decoder: extra.decoder ?? new RecordDecoder<T>({ mode: 'raw' }),
    deadLetters: { publish: extra.publish ?? (async () => undefined) } as unknown as DeadLetterPublisher,
    progress: extra.progress ?? progressFor(),
    metrics: metrics(),
    logger: pino({ level: 'silent' }),
    stopping: extra.stopping ?? (() => false),
    drainDeadline: extra.drainDeadline ?? new Promise<void>(() => undefined),
    stopSignal: new AbortController().signal,
    refetch: extra.refetch ?? (async () => undefined),
    commit: async () => undefined,
  }).run();
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
