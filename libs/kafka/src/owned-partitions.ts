/**
 * The partitions one consumer owns, each with its PartitionProgress: created when assigned (or first
 * fetched), dropped when revoked, re-created for a re-read. Assignment changes drive the stage's lifecycle
 * hooks; a retained partition resumes fetching where its handlers got to, and a re-read seeks to the group's
 * committed offset as the broker has it.
 */
import type { Logger } from 'pino';
import type { PartitionLifecycle, TopicPartition } from './consumed-batch';
import { errorMessage } from './error-message';
import { retryDelayMs, type ResolvedConsumerConfig } from './kafka.config';
import type { KafkaMetrics } from './kafka.metrics';
import { PartitionProgress } from './partition-progress';
import { sleep } from './timing';

export interface OwnedPartitionsDeps {
  cfg: ResolvedConsumerConfig;
  metrics: KafkaMetrics;
  logger: Logger;
  lifecycle?: PartitionLifecycle;
  /** Something became committable. */
  onDone: () => void;
  flowControl: (op: 'pause' | 'resume', partitions: { topic: string; partitions: number[] }[]) => void;
  seek: (topic: string, partition: number, offset: string) => void;
  /** Where the group will read the partition from, as the broker has it. */
  groupOffset: (topic: string, partition: number) => Promise<string>;
  /** Aborted when the consumer stops: cuts retry waits short. */
  stopSignal: AbortSignal;
}

const key = (topic: string, partition: number): string => `${topic}|${partition}`;

export class OwnedPartitions {
  private readonly byKey = new Map<string, PartitionProgress>();

  constructor(private readonly d: OwnedPartitionsDeps) {}

  values(): IterableIterator<PartitionProgress> {
    return this.byKey.values();
  }

  /** The partition's progress, created (with the assigned hook still to run) when first seen. */
  get(topic: string, partition: number): PartitionProgress {
    let p = this.byKey.get(key(topic, partition));
    if (!p) {
      p = new PartitionProgress(topic, partition, {
        maxDeferredRecords: this.d.cfg.maxDeferredRecords,
        metrics: this.d.metrics,
        onDone: this.d.onDone,
        pause: () => this.d.flowControl('pause', [{ topic, partitions: [partition] }]),
        resume: () => this.d.flowControl('resume', [{ topic, partitions: [partition] }]),
      });
      this.byKey.set(key(topic, partition), p);
    }
    return p;
  }

  /**
   * A new assignment (or none, after a crash or at stop). Revoked partitions are dropped (their deferred work
   * aborts) and their lag forgotten (except at stop: the last figure stays for the final scrape); retained
   * ones resume fetching where their handlers got to, because KafkaJS restarts each generation from the
   * committed offset, behind records still waiting for deferred acks.
   */
  assign(assignment: Record<string, number[]>, forgetLag = true): void {
    const now = new Set(Object.entries(assignment).flatMap(([topic, ps]) => ps.map((p) => key(topic, p))));
    const revoked: TopicPartition[] = [];
    for (const [k, p] of [...this.byKey]) {
      if (now.has(k)) {
        if (p.fetchFrontier !== null) this.d.seek(p.topic, p.partition, p.fetchFrontier.toString());
        continue;
      }
      p.drop();
      this.byKey.delete(k);
      if (forgetLag) this.d.metrics.consumerLag.remove({ topic: p.topic, partition: String(p.partition) });
      revoked.push({ topic: p.topic, partition: p.partition });
    }
    for (const [topic, ps] of Object.entries(assignment)) for (const p of ps) this.get(topic, p);
    if (revoked.length > 0) {
      this.d.logger.info({ revoked }, 'partitions revoked');
      void this.revoked(revoked);
    }
  }

  /** Tells the stage; never rejects (a failing hook is logged: the partitions are gone either way). */
  private async revoked(partitions: TopicPartition[]): Promise<void> {
    try {
      await this.d.lifecycle?.onPartitionsRevoked?.(partitions);
    } catch (err) {
      this.d.logger.error({ err: errorMessage(err), partitions }, 'onPartitionsRevoked failed');
    }
  }

  /**
   * RefetchRequiredError: the outcome of the last output is unknown, so neither the fetch position nor our own
   * bookkeeping can be trusted. Drop the partition's progress (its deferred work aborts) and seek to the offset
   * the group has committed, read from the broker (a transaction may have moved it). A seek, unlike an error
   * thrown from eachBatch, makes KafkaJS fetch from that offset; an error would retry from the fetch position.
   */
  async refetch(old: PartitionProgress, cause: unknown, keepTrying: () => boolean): Promise<void> {
    const { topic, partition } = old;
    this.d.metrics.refetches.inc({ topic });
    old.drop();
    this.byKey.delete(key(topic, partition));
    // A stage's per-partition state includes records after the committed offset: it restores it again.
    await this.revoked([{ topic, partition }]);
    const fresh = this.get(topic, partition);
    fresh.failingSince = Date.now(); // a lookup that never succeeds shows in isLive()
    for (let attempt = 1; keepTrying() && !fresh.dropped; attempt++) {
      try {
        const offset = await this.d.groupOffset(topic, partition);
        this.d.seek(topic, partition, offset);
        fresh.failingSince = null;
        this.d.logger.info({ topic, partition, offset, cause: errorMessage(cause) }, 'partition re-read from the committed offset');
        return;
      } catch (err) {
        const delay = retryDelayMs(this.d.cfg, attempt);
        this.d.logger.warn({ topic, partition, attempt, retryInMs: delay, err: errorMessage(err) }, 'cannot read the committed offset for a re-read; retrying');
        await sleep(delay, this.d.stopSignal);
      }
    }
    // Given up (rebalance, stop): the next generation starts from the committed offset anyway, and the fresh
    // progress has no fetch position to seek back to.
  }
}
