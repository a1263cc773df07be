/**
 * What both producers send and how they send it: the outbound message, its size as the byte limits count
 * it, the KafkaJS codec of each configured compression, and the finite KafkaJS retry settings that keep a
 * failing send within its caller's timeout.
 */
import type { RetryOptions } from 'kafkajs';
import { CompressionTypes } from './kafkajs';
import type { ProducerConfig } from './kafka.config';

export interface OutboundMessage {
  /** Partitioning key (murmur2, Java-compatible); null spreads records over partitions. */
  key: string | Buffer | null;
  /** The value; null is a tombstone (deletes the key on a compacted topic, such as a state changelog). */
  value: Buffer | null;
  headers?: Record<string, string | Buffer>;
  /** Record timestamp, ms since the epoch as a decimal string; the broker's clock when absent. */
  timestamp?: string;
  /** Explicit partition; chosen from the key when absent (the normal case). */
  partition?: number;
}

/** Per-record framing Kafka adds beyond key, value and headers (rough, for buffer accounting). */
const RECORD_OVERHEAD_BYTES = 24;

export function messageBytes(m: OutboundMessage): number {
  let n = RECORD_OVERHEAD_BYTES + (m.value?.length ?? 0);
  if (m.key !== null) n += typeof m.key === 'string' ? Buffer.byteLength(m.key) : m.key.length;
  for (const [k, v] of Object.entries(m.headers ?? {})) n += Buffer.byteLength(k) + (typeof v === 'string' ? Buffer.byteLength(v) : v.length);
  return n;
}

/** KafkaJS codec of each configured compression. */
export const COMPRESSION_CODECS: Record<ProducerConfig['compression'], CompressionTypes> = {
  snappy: CompressionTypes.Snappy,
  gzip: CompressionTypes.GZIP,
  none: CompressionTypes.None,
};

/** KafkaJS's jitter (±20%) and backoff multiplier, from its retry defaults. */
const RETRY_JITTER = 0.2;
const RETRY_MULTIPLIER = 2;
const INITIAL_RETRY_MS = 100;

/**
 * Finite KafkaJS retry settings for a send: even with the worst jitter, the delays between attempts add up
 * to at most half of sendTimeoutMs, so a failing send gives up at about the time its callers do. (KafkaJS's
 * maxRetryTime caps each delay, not the total, so unlimited retries never end while Kafka is away.)
 */
export function boundedSendRetry(sendTimeoutMs: number): RetryOptions & { retries: number; maxRetryTime: number } {
  const maxRetryTime = Math.max(INITIAL_RETRY_MS, Math.floor(sendTimeoutMs / 4));
  let retries = 0;
  let total = 0;
  let delay = INITIAL_RETRY_MS * (1 + RETRY_JITTER);
  while (total + delay <= sendTimeoutMs / 2) {
    total += delay;
    retries++;
    delay = Math.min(delay * (1 + RETRY_JITTER) * RETRY_MULTIPLIER, maxRetryTime);
  }
  // KafkaJS refuses an idempotent producer without at least one retry.
  return { initialRetryTime: INITIAL_RETRY_MS, maxRetryTime, retries: Math.max(1, retries), factor: RETRY_JITTER, multiplier: RETRY_MULTIPLIER };
}
