/**
 * Processing of one fetched batch of one partition (one KafkaJS eachBatch call), in the shape of PostHog's
 * each-batch and castle's each-sized-batch: the batch is cut into sub-batches of subBatchSize; up to
 * maxInFlightSubBatches of them are in the handler at once; a sub-batch is decoded here (undecodable records
 * are dead-lettered and count as done), handed to the handler, and marked done in the partition's
 * OffsetTracker only when the handler's promise and every dead letter it asked for resolved. The offset
 * resolved is the tracker's: everything at or below it is done. A failed sub-batch is retried after a
 * capped exponential backoff, and no new sub-batch starts while one fails, so nothing is skipped and,
 * with one sub-batch in flight, the handler sees records strictly in order. New sub-batches stop when the
 * consumer stops or the batch goes stale (rebalance, seek); in-flight ones may finish within drainTimeoutMs.
 * The consumer heartbeats between sub-batches and while it waits, so a slow handler keeps its partitions.
 */
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { headersAsText, type DeadLetterPublisher } from './dead-letter.publisher';
import { errorMessage } from './error-message';
import type { ResolvedConsumerConfig } from './kafka.config';
import type { KafkaMetrics } from './kafka.metrics';
import type { OffsetTracker } from './offset.tracker';
import { normalizeHeaders, type ConsumedRecord, type DecodeOutcome, type RecordDecoder } from './record.decoder';
import { sleep } from './timing';

export interface ConsumedBatch<T> {
  topic: string;
  partition: number;
  /** Decoded records in offset order (undecodable ones were already dead-lettered and are not here). */
  records: ConsumedRecord<T>[];
  /**
   * Dead-letters one record of this batch (invalid content). The batch counts as done only after this
   * resolves, even when the handler does not await it.
   */
  deadLetter(record: ConsumedRecord<T>, reason: string, errorKind: string, tenant?: string): Promise<void>;
  /** Consumer group reading this batch (for offsets committed inside a Kafka transaction). */
  groupId: string;
  /** Offset of the next record after this batch: what a transaction commits when the batch is done. */
  nextOffset: string;
}

/** Resolve when every output of the batch is acknowledged; throw to have the batch retried. */
export type BatchHandler<T> = (batch: ConsumedBatch<T>) => Promise<void>;

export interface PartitionBatchDeps<T> {
  cfg: ResolvedConsumerConfig;
  handler: BatchHandler<T>;
  decoder: RecordDecoder<T>;
  deadLetters: DeadLetterPublisher;
  tracker: OffsetTracker;
  metrics: KafkaMetrics;
  logger: Logger;
  /** True once the consumer's stop() began. */
  stopping: () => boolean;
  /** Resolves drainTimeoutMs after stop() began; pending forever before. */
  drainDeadline: Promise<void>;
  /** Aborted when stop() begins: cuts retry waits short. */
  stopSignal: AbortSignal;
}

export class PartitionBatchRun<T> {
  private closed = false;
  private heartbeatError: unknown = null;
  private failing = 0;
  private lastResolved: bigint | null = null;
  private committing = false;
  private readonly topic: string;
  private readonly partition: number;

  constructor(
    private readonly p: EachBatchPayload,
    private readonly d: PartitionBatchDeps<T>,
  ) {
    this.topic = p.batch.topic;
    this.partition = p.batch.partition;
  }

  async run(): Promise<void> {
    const { messages } = this.p.batch;
    const { subBatchSize, maxInFlightSubBatches, drainTimeoutMs } = this.d.cfg;
    this.d.tracker.reset();
    for (const m of messages) this.d.tracker.track(m.offset);
    this.d.metrics.consumedRecords.inc({ topic: this.topic }, messages.length);

    const inFlight = new Set<Promise<void>>();
    let next = 0;
    while (next < messages.length && this.canContinue()) {
      if (inFlight.size >= maxInFlightSubBatches || (this.failing > 0 && inFlight.size > 0)) {
        await Promise.race([this.waitHeartbeating(Promise.race(inFlight)), this.d.drainDeadline]);
        continue;
      }
      const task: Promise<void> = this.runSubBatch(messages.slice(next, next + subBatchSize)).finally(() => inFlight.delete(task));
      inFlight.add(task);
      next += subBatchSize;
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
    this.closed = true;
    if (inFlight.size > 0) {
      this.d.logger.warn({ topic: this.topic, partition: this.partition, subBatches: inFlight.size }, 'drain timeout: in-flight sub-batches abandoned unresolved; they will be redelivered');
    }
    if (this.heartbeatError !== null) throw this.heartbeatError;
  }

  private canContinue(): boolean {
    return !this.closed && this.heartbeatError === null && !this.d.stopping() && this.p.isRunning() && !this.p.isStale();
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
      () => {
        settled = true;
      },
      () => {
        settled = true;
      },
    );
    while (!settled && !this.closed) {
      const ac = new AbortController();
      await Promise.race([done, sleep(this.d.cfg.heartbeatIntervalMs, ac.signal)]);
      ac.abort();
      if (!settled && !this.closed) await this.heartbeat();
    }
  }

  /** Never throws: failures are retried here until they succeed or the batch may no longer continue. */
  private async runSubBatch(messages: KafkaMessage[]): Promise<void> {
    const outcomes: (DecodeOutcome<T> | undefined)[] = new Array(messages.length);
    const deadLettered: boolean[] = new Array(messages.length).fill(false);
    let counted = false;
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await this.attempt(messages, outcomes, deadLettered);
          this.complete(messages);
          return;
        } catch (err) {
          this.d.metrics.handlerFailures.inc({ topic: this.topic });
          if (!counted) {
            counted = true;
            this.failing++;
          }
          const delay = Math.min(this.d.cfg.retryBackoffMs * 2 ** Math.min(attempt - 1, 30), this.d.cfg.maxRetryBackoffMs);
          this.d.logger.warn(
            { topic: this.topic, partition: this.partition, firstOffset: messages[0].offset, records: messages.length, attempt, retryInMs: delay, err: errorMessage(err) },
            'sub-batch failed; it will be retried, nothing after it is committed meanwhile',
          );
          if (!(await this.backoff(delay))) return;
        }
      }
    } finally {
      if (counted) this.failing--;
    }
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

  private async attempt(messages: KafkaMessage[], outcomes: (DecodeOutcome<T> | undefined)[], deadLettered: boolean[]): Promise<void> {
    for (let i = 0; i < messages.length; i++) {
      outcomes[i] ??= await this.d.decoder.decode(this.topic, this.partition, messages[i]);
    }
    const letters: Promise<void>[] = [];
    const records: ConsumedRecord<T>[] = [];
    outcomes.forEach((o, i) => {
      if (o === undefined) return;
      if (o.ok) records.push(o.record);
      else if (!deadLettered[i]) letters.push(this.deadLetterUndecodable(messages[i], o.reason).then(() => void (deadLettered[i] = true)));
    });
    await Promise.all(letters);
    if (records.length === 0) return;

    const asked: Promise<void>[] = [];
    const lastMessage = messages[messages.length - 1];
    const batch: ConsumedBatch<T> = {
      topic: this.topic,
      partition: this.partition,
      records,
      groupId: this.d.cfg.groupId,
      nextOffset: lastMessage ? (BigInt(lastMessage.offset) + 1n).toString() : '0',
      deadLetter: (record, reason, errorKind, tenant) => {
        const sent = this.d.deadLetters.publish({
          reason,
          errorKind,
          topic: record.topic,
          partition: record.partition,
          offset: record.offset,
          key: record.key,
          value: messages.find((m) => m.offset === record.offset)?.value ?? null,
          headers: headersAsText(record.headers),
          timestampMs: Number(record.timestamp),
          ...(tenant !== undefined ? { tenant } : {}),
        });
        sent.catch(() => undefined); // awaited below; this only keeps an un-awaited failure from crashing the process
        asked.push(sent);
        return sent;
      },
    };
    const endTimer = this.d.metrics.batchSeconds.startTimer({ topic: this.topic });
    this.d.metrics.batchRecords.observe({ topic: this.topic }, records.length);
    try {
      await this.d.handler(batch);
      await Promise.all(asked);
    } finally {
      endTimer();
    }
  }

  private deadLetterUndecodable(m: KafkaMessage, reason: string): Promise<void> {
    return this.d.deadLetters.publish({
      reason,
      errorKind: 'undecodable',
      topic: this.topic,
      partition: this.partition,
      offset: m.offset,
      key: m.key ?? null,
      value: m.value,
      headers: headersAsText(normalizeHeaders(m.headers)),
      timestampMs: Number(m.timestamp),
    });
  }

  private complete(messages: KafkaMessage[]): void {
    // Abandoned after a drain timeout or a rebalance: whoever owns the partition now redoes these records.
    if (this.closed) return;
    for (const m of messages) this.d.tracker.markDone(m.offset);
    const c = this.d.tracker.committable();
    if (c === null || (this.lastResolved !== null && c <= this.lastResolved)) return;
    this.lastResolved = c;
    try {
      this.p.resolveOffset(c.toString());
    } catch (err) {
      this.d.logger.warn({ topic: this.topic, partition: this.partition, err: errorMessage(err) }, 'could not resolve offset (partition revoked?)');
      return;
    }
    const lag = BigInt(this.p.batch.highWatermark) - c - 1n;
    this.d.metrics.consumerLag.set({ topic: this.topic, partition: String(this.partition) }, Number(lag > 0n ? lag : 0n));
    void this.commitIfNecessary();
  }

  private async commitIfNecessary(): Promise<void> {
    if (this.committing) return;
    this.committing = true;
    try {
      await this.p.commitOffsetsIfNecessary();
    } catch (err) {
      // The commit after the batch (or the next interval) retries it; a rebalance shows up in the heartbeat.
      this.d.logger.debug({ topic: this.topic, partition: this.partition, err: errorMessage(err) }, 'interim offset commit failed');
    } finally {
      this.committing = false;
    }
  }
}
