/**
 * Exactly-once consume-transform-produce for stages that read one topic and write another (the parser): a
 * sub-batch's outputs and the consumer group's next offset are written in ONE Kafka transaction, so after a
 * crash either both happened or neither did. Downstream consumers read committed data only (KafkaJS's
 * default), so an aborted attempt is never seen.
 *
 * Fencing. KafkaJS has no KIP-447 (its TxnOffsetCommit carries no group generation), so only the
 * transactional id keeps a stale owner of a partition from committing. Two modes (see the README):
 * 'per-partition' (one producer per input partition, id `<base>.<topic>.<partition>`, the same on every
 * replica: whoever takes a partition over fences its previous owner's producer), and 'per-replica' (one
 * producer, id `<base>`, which must be restart-stable and unique per replica). Outputs are split into
 * sendBatch calls of at most maxBatchBytes inside the transaction; a single record above it is refused
 * before anything begins (RecordTooLargeError: dead-letter it). Failures: see transaction.producer.ts.
 */
import type { Message } from 'kafkajs';
import type { Logger } from 'pino';
import { DEFAULT_MAX_BATCH_BYTES, type ProducerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import { KafkaUnavailableError, RecordTooLargeError } from './kafka.errors';
import { kafkaMetrics, type KafkaMetrics } from './kafka.metrics';
import { COMPRESSION_CODECS, messageBytes, type OutboundMessage } from './outbound';
import { TransactionProducer, type TransactionPlan, type TransactionProducerSettings } from './transaction.producer';

export interface TransactionalCommit {
  /** Consumer group whose offset moves with the outputs. */
  groupId: string;
  topic: string;
  partition: number;
  /** Next offset to read (last processed + 1). */
  offset: string;
}

export type TransactionalIdMode = 'per-replica' | 'per-partition';

export const DEFAULT_TRANSACTION_TIMEOUT_MS = 60_000;
export const DEFAULT_WEDGED_AFTER_MS = 120_000;
/** Per producer. With autoCommit off each partition has one sub-batch in flight, so this is ≥ the partitions one replica works on at once. */
export const DEFAULT_MAX_QUEUED_TRANSACTIONS = 32;
/** Per-partition producers kept open at most; the least recently used idle one is closed beyond it. */
export const DEFAULT_MAX_TRANSACTION_PRODUCERS = 64;

export interface TransactionalOutputConfig extends Pick<ProducerConfig, 'compression' | 'sendTimeoutMs'> {
  /** Bytes (keys, values, headers) per sendBatch inside a transaction. Default DEFAULT_MAX_BATCH_BYTES. */
  maxBatchBytes?: number;
  /** Default 'per-replica' (the id is used as given). */
  idMode?: TransactionalIdMode;
  /** Broker-side timeout of an open transaction, ms. Default 60000. */
  transactionTimeoutMs?: number;
  /** isWedged() turns true after failing continuously this long, ms. Default 120000. */
  wedgedAfterMs?: number;
  /** Transactions queued per producer at most (BackpressureError beyond). Default 32. */
  maxQueuedTransactions?: number;
  /** Per-partition mode: producers open at most. Default 64. */
  maxProducers?: number;
}

type Outputs = { topic: string; messages: OutboundMessage[] }[];

export class TransactionalOutput {
  private readonly producers = new Map<string, TransactionProducer>();
  private readonly settings: TransactionProducerSettings;
  private readonly metrics: KafkaMetrics;
  private readonly maxBatchBytes: number;
  private readonly idMode: TransactionalIdMode;
  private readonly wedgedAfterMs: number;
  private connected = false;

  constructor(
    private readonly conn: KafkaConnection,
    /** The id (per-replica) or the prefix of the ids (per-partition). */
    readonly transactionalId: string,
    private readonly cfg: TransactionalOutputConfig,
    private readonly logger: Logger,
  ) {
    this.metrics = kafkaMetrics(conn.metrics);
    this.maxBatchBytes = cfg.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES;
    this.idMode = cfg.idMode ?? 'per-replica';
    this.wedgedAfterMs = cfg.wedgedAfterMs ?? DEFAULT_WEDGED_AFTER_MS;
    this.settings = {
      acks: -1,
      compression: COMPRESSION_CODECS[cfg.compression],
      sendTimeoutMs: cfg.sendTimeoutMs,
      transactionTimeoutMs: cfg.transactionTimeoutMs ?? DEFAULT_TRANSACTION_TIMEOUT_MS,
      maxQueued: cfg.maxQueuedTransactions ?? DEFAULT_MAX_QUEUED_TRANSACTIONS,
      yieldWhenFenced: this.idMode === 'per-partition',
    };
  }

  /** Per-replica: initialises the producer (fencing a predecessor with the same id). Per-partition: producers start at first use. */
  async connect(): Promise<void> {
    if (this.idMode === 'per-replica') await this.producerFor(this.transactionalId).connect();
    this.connected = true;
  }

  /**
   * Readiness: connected, and no producer in use is failing (or being rebuilt after a failure). A producer
   * with no failure for 2 × wedgedAfterMs counts as unused (its partition moved away), not as failing.
   */
  isHealthy(now = Date.now()): boolean {
    if (!this.connected) return false;
    for (const p of this.producers.values()) if (p.failingForMs(now, 2 * this.wedgedAfterMs) !== null) return false;
    return true;
  }

  /** Liveness: a producer in use has failed every transaction for longer than wedgedAfterMs; restart the process. */
  isWedged(now = Date.now()): boolean {
    for (const p of this.producers.values()) if ((p.failingForMs(now, 2 * this.wedgedAfterMs) ?? 0) > this.wedgedAfterMs) return true;
    return false;
  }

  /**
   * Writes the messages and moves the group's offset atomically. Throws RecordTooLargeError (before
   * anything began), BackpressureError (queue full), TransactionCancelledError (`signal` fired before the
   * commit; aborted), KafkaUnavailableError (failed and aborted: retry), RefetchRequiredError (outcome
   * unknown: re-read from the committed offset, do not retry locally).
   */
  commit(outputs: Outputs, offsets: TransactionalCommit, signal?: AbortSignal): Promise<void> {
    if (!this.connected) return Promise.reject(new KafkaUnavailableError('the transactional output is not connected'));
    let plan: TransactionPlan;
    try {
      plan = { ...offsets, chunks: this.chunk(outputs) };
    } catch (err) {
      this.metrics.transactions.inc({ outcome: 'rejected' });
      return Promise.reject(err);
    }
    const id = this.idMode === 'per-partition' ? `${this.transactionalId}.${offsets.topic}.${offsets.partition}` : this.transactionalId;
    return this.producerFor(id).run(plan, signal);
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    const all = [...this.producers.values()];
    this.producers.clear();
    await Promise.all(all.map((p) => p.disconnect()));
  }

  /** Splits outputs into sendBatch payloads of at most maxBatchBytes each, in order; throws on a record above it. */
  private chunk(outputs: Outputs): { topic: string; messages: Message[] }[][] {
    const chunks: { topic: string; messages: Message[] }[][] = [];
    let current: { topic: string; messages: Message[] }[] = [];
    let bytes = 0;
    for (const { topic, messages } of outputs) {
      let entry: { topic: string; messages: Message[] } | null = null;
      for (const m of messages) {
        const size = messageBytes(m);
        if (size > this.maxBatchBytes) throw new RecordTooLargeError(size, this.maxBatchBytes);
        if (bytes + size > this.maxBatchBytes) {
          chunks.push(current);
          current = [];
          entry = null;
          bytes = 0;
        }
        if (!entry) {
          entry = { topic, messages: [] };
          current.push(entry);
        }
        entry.messages.push(m as Message);
        bytes += size;
      }
    }
    if (current.length > 0) chunks.push(current);
    return chunks;
  }

  private producerFor(id: string): TransactionProducer {
    let p = this.producers.get(id);
    if (p) {
      // Map order doubles as recency order for eviction.
      this.producers.delete(id);
      this.producers.set(id, p);
      return p;
    }
    p = new TransactionProducer(this.conn.client, id, this.settings, this.metrics, this.logger);
    this.producers.set(id, p);
    this.evictIdle();
    return p;
  }

  private evictIdle(): void {
    const max = this.cfg.maxProducers ?? DEFAULT_MAX_TRANSACTION_PRODUCERS;
    for (const [id, p] of this.producers) {
      if (this.producers.size <= max) return;
      if (p.pending > 0) continue;
      this.producers.delete(id);
      void p.disconnect();
    }
  }
}
