/**
 * Processing of one fetched batch of one partition (one KafkaJS eachBatch call), in the shape of PostHog's
 * each-batch and castle's each-sized-batch. Messages are decoded in order and cut into sub-batches of at most
 * subBatchSize records (an envelope is never split: a message is done only when all its records are);
 * undecodable messages are dead-lettered whole. Up to maxInFlightSubBatches sub-batches are in the handler at
 * once. When a handler resolves (and every dead letter it asked for is acknowledged), the fetch position
 * moves past its messages (KafkaJS resolveOffset, contiguously), and its messages are done in the partition's
 * long-lived PartitionProgress, at once or, after batch.defer(), when the handle is acked; commits follow from
 * there. A failed sub-batch is retried after a capped exponential backoff and no new one starts meanwhile.
 * RefetchRequiredError is not retried: the partition is re-read from the group's committed offset. New
 * sub-batches stop when the consumer stops, the batch goes stale (rebalance, seek) or too many records wait
 * for acks (fetching pauses); in-flight ones may finish within drainTimeoutMs, after which they are abandoned:
 * their signal is aborted and their completion resolves nothing. The consumer heartbeats throughout.
 */
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { BatchHandler } from './consumed-batch';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { errorMessage } from './error-message';
import { retryDelayMs, type ResolvedConsumerConfig } from './kafka.config';
import { RefetchRequiredError } from './kafka.errors';
import type { KafkaMetrics } from './kafka.metrics';
import { OffsetTracker } from './offset.tracker';
import type { PartitionProgress } from './partition-progress';
import type { RecordDecoder } from './record.decoder';
import { attemptSubBatch, type DeferredHandle, type SubBatch, type SubBatchDeps } from './sub-batch';
import { sleep } from './timing';

export type { BatchHandler, ConsumedBatch, DeliveryHandle } from './consumed-batch';

export interface PartitionBatchDeps<T> {
  cfg: ResolvedConsumerConfig;
  handler: BatchHandler<T>;
  decoder: RecordDecoder<T>;
  deadLetters: DeadLetterPublisher;
  progress: PartitionProgress;
  metrics: KafkaMetrics;
  logger: Logger;
  /** True once the consumer's stop() began. */
  stopping: () => boolean;
  /** Resolves drainTimeoutMs after stop() began; pending forever before. */
  drainDeadline: Promise<void>;
  /** Aborted when stop() begins: cuts retry waits short. */
  stopSignal: AbortSignal;
  /**
   * Re-reads the partition from the group's committed offset; resolves once the next fetch will start there,
   * or once keepTrying() turned false (a rejoin reads the committed offset anyway). Never rejects.
   */
  refetch: (cause: unknown, keepTrying: () => boolean) => Promise<void>;
  /** Commits what is done now (after the batch, and before a rebalance takes the partition). */
  commit: () => Promise<void>;
}

export class PartitionBatchRun<T> {
  private closed = false;
  private heartbeatError: unknown = null;
  private failing = 0;
  private refetching: Promise<void> | null = null;
  private readonly handled = new OffsetTracker();
  private lastResolved: bigint | null = null;
  private readonly topic: string;
  private readonly partition: number;
  private readonly inFlightAborts = new Set<AbortController>();
  private readonly subBatchDeps: SubBatchDeps<T>;

  constructor(
    private readonly p: EachBatchPayload,
    private readonly d: PartitionBatchDeps<T>,
  ) {
    this.topic = p.batch.topic;
    this.partition = p.batch.partition;
    this.subBatchDeps = { topic: this.topic, partition: this.partition, groupId: d.cfg.groupId, handler: d.handler, decoder: d.decoder, deadLetters: d.deadLetters, metrics: d.metrics, handleEmpty: !d.cfg.autoCommit };
  }

  async run(): Promise<void> {
    const { messages } = this.p.batch;
    const { maxInFlightSubBatches, drainTimeoutMs } = this.d.cfg;
    const offsets = messages.map((m) => m.offset);
    this.d.progress.track(offsets);
    for (const o of offsets) this.handled.track(o);

    const inFlight = new Set<Promise<void>>();
    let next = 0;
    while (next < messages.length && this.canContinue()) {
      if (inFlight.size >= maxInFlightSubBatches || (this.failing > 0 && inFlight.size > 0)) {
        await Promise.race([this.waitHeartbeating(Promise.race(inFlight)), this.d.drainDeadline]);
        continue;
      }
      // Too many records wait for deferred acks: fetching is paused; the rest is fetched again on resume.
      if (this.d.progress.overDeferredLimit) break;
      const sub = await this.cut(messages, next);
      if (sub === null) break;
      next += sub.messages.length;
      const task: Promise<void> = this.runSubBatch(sub).finally(() => inFlight.delete(task));
      inFlight.add(task);
      await this.heartbeat();
    }

    if (inFlight.size > 0) {
      const ac = new AbortController();
      const bounds: Promise<unknown>[] = [this.waitHeartbeating(Promise.all(inFlight)), this.d.drainDeadline];
      // Stopped early for a rebalance or seek: the partition may be someone else's soon.
      if (!this.canContinue() && !this.d.stopping()) bounds.push(sleep(drainTimeoutMs, ac.signal));
      await Promise.race(bounds);
      ac.abort();
    }
    // Heartbeating meanwhile: the committed offset is read from the broker, which may take a few retries.
    if (this.refetching) await this.waitHeartbeating(this.refetching);
    this.closed = true;
    if (this.inFlightAborts.size > 0) {
      this.d.metrics.abandonedSubBatches.inc({ topic: this.topic }, this.inFlightAborts.size);
      this.d.logger.warn({ topic: this.topic, partition: this.partition, subBatches: this.inFlightAborts.size }, 'in-flight sub-batches abandoned unresolved (signal aborted); they will be redelivered');
      for (const ac of this.inFlightAborts) ac.abort(new Error('sub-batch abandoned: drain deadline, rebalance or seek'));
    }
    await this.d.commit();
    if (this.heartbeatError !== null) throw this.heartbeatError;
  }

  private canContinue(): boolean {
    return !this.closed && this.refetching === null && this.heartbeatError === null && !this.d.progress.dropped && !this.d.stopping() && this.p.isRunning() && !this.p.isStale();
  }

  private async heartbeat(): Promise<void> {
    if (this.heartbeatError !== null) return;
    try {
      await this.p.heartbeat();
    } catch (err) {
      // Usually a rebalance: stop taking sub-batches, let in-flight ones finish, then rethrow so KafkaJS rejoins.
      this.heartbeatError = err;
      this.d.logger.info({ topic: this.topic, partition: this.partition, err: errorMessage(err) }, 'heartbeat failed; finishing in-flight work');
    }
  }

  /** Awaits `p`, heartbeating every heartbeatIntervalMs meanwhile. */
  private async waitHeartbeating(p: Promise<unknown>): Promise<void> {
    let settled = false;
    const done = p.then(
      () => void (settled = true),
      () => void (settled = true),
    );
    while (!settled && !this.closed) {
      const ac = new AbortController();
      await Promise.race([done, sleep(this.d.cfg.heartbeatIntervalMs, ac.signal)]);
      ac.abort();
      if (!settled && !this.closed) await this.heartbeat();
    }
  }

  /**
   * Where reading the sub-batch starting at `from` began: the fetch's own offset (KafkaJS keeps it on the batch,
   * though its types do not declare it) for the first, one past the previous message for the others.
   */
  private readFrom(messages: KafkaMessage[], from: number): string {
    const previous = messages[from - 1];
    if (previous !== undefined) return (BigInt(previous.offset) + 1n).toString();
    const fetched = (this.p.batch as { fetchedOffset?: unknown }).fetchedOffset;
    return typeof fetched === 'string' && /^\d+$/.test(fetched) ? fetched : (messages[from]?.offset ?? '0');
  }

  /** Decodes messages from `from` until subBatchSize records (or messages); null when the batch may not continue. */
  private async cut(messages: KafkaMessage[], from: number): Promise<SubBatch<T> | null> {
    const sub: SubBatch<T> = { fetchedFrom: this.readFrom(messages, from), messages: [], outcomes: [], records: 0 };
    const limit = this.d.cfg.subBatchSize;
    for (let i = from; i < messages.length && sub.records < limit && sub.messages.length < limit; i++) {
      const outcome = await this.retrying(messages[i].offset, 1, () => this.d.decoder.decode(this.topic, this.partition, messages[i]));
      if (outcome === null) return null;
      sub.messages.push(messages[i]);
      sub.outcomes.push(outcome);
      if (outcome.ok) sub.records += outcome.records.length;
    }
    // An undecodable message counts as one record: it was fetched, and it is dead-lettered as one.
    this.d.metrics.consumedRecords.inc({ topic: this.topic }, sub.records + sub.outcomes.filter((o) => !o.ok).length);
    return sub;
  }

  /**
   * Runs `fn` until it succeeds, waiting a capped exponential backoff between failures. Null when the batch may
   * no longer continue, or when fn threw RefetchRequiredError (the partition is then re-read).
   */
  private async retrying<R>(firstOffset: string, records: number, fn: () => Promise<R>): Promise<R | null> {
    let counted = false;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await fn();
        } catch (err) {
          if (err instanceof RefetchRequiredError) {
            this.requestRefetch(err);
            return null;
          }
          this.d.metrics.handlerFailures.inc({ topic: this.topic });
          if (!counted) {
            counted = true;
            this.failing++;
            this.d.progress.failingSince ??= Date.now();
          }
          const delay = retryDelayMs(this.d.cfg, attempt);
          this.d.logger.warn(
            { topic: this.topic, partition: this.partition, firstOffset, records, attempt, retryInMs: delay, err: errorMessage(err) },
            'sub-batch failed; it will be retried, nothing after it is committed meanwhile',
          );
          if (!(await this.backoff(delay))) return null;
        }
      }
    } finally {
      if (counted) this.failing--;
    }
  }

  private requestRefetch(cause: RefetchRequiredError): void {
    if (this.refetching) return;
    this.d.logger.warn({ topic: this.topic, partition: this.partition, err: errorMessage(cause) }, 're-reading the partition from the committed offset');
    this.refetching = this.d.refetch(cause, () => this.heartbeatError === null && this.p.isRunning() && !this.d.stopping());
  }

  /** Waits `ms` heartbeating; false when the batch may no longer continue. */
  private async backoff(ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (this.canContinue()) {
      const left = until - Date.now();
      if (left <= 0) return true;
      await sleep(Math.min(left, this.d.cfg.heartbeatIntervalMs), this.d.stopSignal);
      await this.heartbeat();
    }
    return false;
  }

  /** Never throws: failures are retried until they succeed or the batch may no longer continue. */
  private async runSubBatch(sub: SubBatch<T>): Promise<void> {
    const abort = new AbortController();
    this.inFlightAborts.add(abort);
    const signal = AbortSignal.any([abort.signal, this.d.progress.signal]);
    const deadLettered = new Set<string>();
    try {
      const handle = await this.retrying(sub.messages[0].offset, sub.records, () => attemptSubBatch(sub, this.subBatchDeps, deadLettered, signal));
      if (handle !== null) this.complete(sub, handle);
    } finally {
      this.inFlightAborts.delete(abort);
    }
  }

  private complete(sub: SubBatch<T>, handle: DeferredHandle | undefined): void {
    const progress = this.d.progress;
    // Abandoned after a drain timeout, a rebalance or a re-read: whoever owns the partition now redoes these.
    if (this.closed || this.refetching || progress.dropped) return;
    const offsets = sub.messages.map((m) => m.offset);
    progress.failingSince = null;
    progress.lastCompletedAt = Date.now();
    if (handle) handle.arm(progress.hold(offsets, sub.records));
    else progress.markDone(offsets);

    for (const o of offsets) this.handled.markDone(o);
    const c = this.handled.committable();
    if (c === null || (this.lastResolved !== null && c <= this.lastResolved)) return;
    this.lastResolved = c;
    try {
      this.p.resolveOffset(c.toString());
      progress.fetchFrontier = c + 1n;
    } catch (err) {
      this.d.logger.warn({ topic: this.topic, partition: this.partition, err: errorMessage(err) }, 'could not resolve offset (partition revoked?)');
      return;
    }
    const lag = BigInt(this.p.batch.highWatermark) - c - 1n;
    this.d.metrics.consumerLag.set({ topic: this.topic, partition: String(this.partition) }, Number(lag > 0n ? lag : 0n));
  }
}
