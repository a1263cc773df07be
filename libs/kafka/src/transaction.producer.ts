/**
 * One KafkaJS transactional producer and what keeps it usable: its transactions run one at a time from a
 * bounded queue, and after any failure it cannot vouch for (a failed commit, a failed abort, a failed
 * begin) it is disconnected and recreated with the same transactional id. KafkaJS never leaves the
 * COMMITTING or ABORTING state on its own, so without this one failed EndTxn stalls the stage for good;
 * the new producer's InitProducerId makes the coordinator abort or complete whatever the old one left open
 * and fences it. A transaction whose producer had to be rebuilt has an unknown outcome: RefetchRequiredError.
 */
import type { Kafka, Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import { BackpressureError, KafkaUnavailableError, RefetchRequiredError, TransactionCancelledError } from './kafka.errors';
import type { KafkaMetrics } from './kafka.metrics';
import { createMurmur2Partitioner } from './murmur2.partitioner';
import { withTimeout } from './timing';

/** Broker errors after which this producer can never succeed again: another holder of the id fenced it. */
const FENCED = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED', 'INVALID_PRODUCER_ID_MAPPING', 'INVALID_TXN_STATE']);

function isFenced(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const type = (e as { type?: unknown }).type;
    if (typeof type === 'string' && FENCED.has(type)) return true;
  }
  return false;
}

export interface TransactionPlan {
  /** Each entry is one sendBatch inside the transaction (the byte cap is applied by the caller). */
  chunks: { topic: string; messages: Message[] }[][];
  groupId: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface TransactionProducerSettings {
  acks: -1;
  compression: number;
  sendTimeoutMs: number;
  transactionTimeoutMs: number;
  maxQueued: number;
  /**
   * Fencing means another owner legitimately took the id over (per-partition ids: the partition moved), so
   * the producer is dropped without counting as a failure and re-created only if this id is used again;
   * restarting it at once would fence the new owner in turn.
   */
  yieldWhenFenced: boolean;
}

export class TransactionProducer {
  private producer: Producer | null = null;
  private connecting: Promise<Producer> | null = null;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** When the current run of failures began (null after a success), and its latest failure. */
  private failingSince: number | null = null;
  private lastFailureAt = 0;
  private closed = false;

  constructor(
    private readonly client: Kafka,
    readonly transactionalId: string,
    private readonly settings: TransactionProducerSettings,
    private readonly metrics: KafkaMetrics,
    private readonly logger: Logger,
  ) {}

  /** Creates and initialises the producer (InitProducerId: fences any earlier holder of the id). */
  async connect(): Promise<void> {
    await this.ensureProducer();
  }

  /**
   * Milliseconds of continuous failure so far; null after a success, and null once no transaction has failed
   * for `staleAfterMs` (nobody uses this producer any more, e.g. its input partition moved to another replica).
   */
  failingForMs(now: number, staleAfterMs: number): number | null {
    if (this.failingSince === null || now - this.lastFailureAt >= staleAfterMs) return null;
    return now - this.failingSince;
  }

  get pending(): number {
    return this.queued;
  }

  /** Queues the transaction behind the ones before it; rejects at once with BackpressureError when the queue is full. */
  run(plan: TransactionPlan, signal?: AbortSignal): Promise<void> {
    if (this.closed) return Promise.reject(new KafkaUnavailableError(`transactional producer ${this.transactionalId} is closed`));
    if (this.queued >= this.settings.maxQueued) {
      this.metrics.transactions.inc({ outcome: 'rejected' });
      return Promise.reject(new BackpressureError(`${this.queued} transactions already queued for ${this.transactionalId}`, this.settings.sendTimeoutMs));
    }
    this.queued++;
    this.metrics.transactionQueued.inc();
    const run = this.queue.then(() => this.transact(plan, signal));
    this.queue = run.then(
      () => this.dequeued(),
      () => this.dequeued(),
    );
    return run;
  }

  /** Waits for queued transactions (callers bound them with their signals), then disconnects. */
  async disconnect(): Promise<void> {
    this.closed = true;
    await this.queue;
    const p = this.producer ?? (await this.connecting?.catch(() => null)) ?? null;
    this.producer = null;
    if (p) await this.drop(p);
  }

  private dequeued(): void {
    this.queued--;
    this.metrics.transactionQueued.dec();
  }

  private async transact(plan: TransactionPlan, signal: AbortSignal | undefined): Promise<void> {
    const what = `transaction ${this.transactionalId} (${plan.topic}[${plan.partition}] to ${plan.offset})`;
    if (signal?.aborted) {
      this.metrics.transactions.inc({ outcome: 'cancelled' });
      throw new TransactionCancelledError(`${what} cancelled before it began`, { cause: signal.reason });
    }
    let producer: Producer;
    try {
      producer = await this.ensureProducer();
    } catch (err) {
      this.failed();
      this.metrics.transactions.inc({ outcome: 'rejected' });
      throw new KafkaUnavailableError(`${what}: cannot initialise the producer: ${errorMessage(err)}`, { cause: err });
    }
    let txn: Awaited<ReturnType<Producer['transaction']>>;
    try {
      txn = await producer.transaction();
    } catch (err) {
      // Nothing of this transaction was sent, but the producer is in a state it will not leave.
      await this.rebuild(producer, err);
      this.metrics.transactions.inc({ outcome: 'rejected' });
      throw new KafkaUnavailableError(`${what}: cannot begin: ${errorMessage(err)}`, { cause: err });
    }
    let cancelled = false;
    try {
      for (const topicMessages of plan.chunks) {
        if (signal?.aborted) break;
        await txn.sendBatch({ topicMessages, acks: this.settings.acks, timeout: this.settings.sendTimeoutMs, compression: this.settings.compression });
      }
      if (!signal?.aborted) {
        await txn.sendOffsets({ consumerGroupId: plan.groupId, topics: [{ topic: plan.topic, partitions: [{ partition: plan.partition, offset: plan.offset }] }] });
      }
      cancelled = signal?.aborted === true;
    } catch (err) {
      return this.abortAfter(producer, txn, what, err);
    }
    if (cancelled) {
      await this.abortAfter(producer, txn, what, null);
      return;
    }
    try {
      await txn.commit();
    } catch (err) {
      // EndTxn may or may not have reached the coordinator: the outcome is unknown.
      await this.rebuild(producer, err);
      this.metrics.transactions.inc({ outcome: 'unknown' });
      throw new RefetchRequiredError(`${what}: commit failed, outcome unknown: ${errorMessage(err)}`, { cause: err });
    }
    this.failingSince = null;
    this.metrics.transactions.inc({ outcome: 'committed' });
  }

  /** Aborts after a failure (`err`) or a cancellation (`err` null), and always throws. */
  private async abortAfter(producer: Producer, txn: { abort(): Promise<void> }, what: string, err: unknown): Promise<never> {
    try {
      await txn.abort();
    } catch (abortErr) {
      await this.rebuild(producer, abortErr);
      this.metrics.transactions.inc({ outcome: 'unknown' });
      throw new RefetchRequiredError(`${what}: ${err === null ? 'cancelled' : `failed (${errorMessage(err)})`}, and the abort failed: ${errorMessage(abortErr)}`, { cause: abortErr });
    }
    if (err !== null && isFenced(err)) {
      // The abort "succeeded" only because nothing had reached the coordinator; the producer stays fenced.
      await this.rebuild(producer, err);
      this.metrics.transactions.inc({ outcome: 'unknown' });
      throw new RefetchRequiredError(`${what}: the producer was fenced: ${errorMessage(err)}`, { cause: err });
    }
    if (err === null) {
      this.metrics.transactions.inc({ outcome: 'cancelled' });
      throw new TransactionCancelledError(`${what} aborted: its signal fired before the commit`);
    }
    this.failed();
    this.metrics.transactions.inc({ outcome: 'aborted' });
    throw new KafkaUnavailableError(`${what} failed and was aborted: ${errorMessage(err)}`, { cause: err });
  }

  private failed(): void {
    this.lastFailureAt = Date.now();
    this.failingSince ??= this.lastFailureAt;
  }

  /** Drops the producer and starts a new one with the same id; a failed restart is retried by the next transaction. */
  private async rebuild(old: Producer, cause: unknown): Promise<void> {
    const yielded = this.settings.yieldWhenFenced && isFenced(cause);
    if (!yielded) this.failed();
    this.metrics.transactionRebuilds.inc();
    this.logger.warn({ transactionalId: this.transactionalId, err: errorMessage(cause) }, yielded ? 'fenced by a new owner of the id; dropping the producer' : 'rebuilding the transactional producer');
    if (this.producer === old) this.producer = null;
    await this.drop(old);
    if (this.closed || yielded) return;
    await this.ensureProducer().catch((err: unknown) => this.logger.warn({ transactionalId: this.transactionalId, err: errorMessage(err) }, 'transactional producer restart failed'));
  }

  private async drop(p: Producer): Promise<void> {
    this.metrics.transactionProducers.dec();
    await withTimeout(p.disconnect(), this.settings.sendTimeoutMs, 'producer disconnect').catch((err: unknown) =>
      this.logger.warn({ transactionalId: this.transactionalId, err: errorMessage(err) }, 'transactional producer disconnect failed'),
    );
  }

  private async ensureProducer(): Promise<Producer> {
    if (this.producer) return this.producer;
    this.connecting ??= this.create().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async create(): Promise<Producer> {
    const p = this.client.producer({
      transactionalId: this.transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      transactionTimeout: this.settings.transactionTimeoutMs,
      createPartitioner: createMurmur2Partitioner(),
    });
    this.metrics.transactionProducers.inc();
    try {
      // KafkaJS sends the transactional InitProducerId only at the first transaction(): begin and end an
      // empty one (no EndTxn on the wire) so that acquiring the id fences its previous holder right away.
      await withTimeout(
        (async () => {
          await p.connect();
          await (await p.transaction()).abort();
        })(),
        this.settings.sendTimeoutMs,
        'transactional producer connect',
      );
    } catch (err) {
      await this.drop(p);
      throw err;
    }
    this.producer = p;
    return p;
  }
}
