/**
 * Commits each owned partition's highest contiguous done offset to the group, from inside eachBatch or from a
 * deferred ack arriving at any time. Requests are coalesced: at most one commit per commitIntervalMs and one
 * in flight; flush() commits now (after each fetched batch, before leaving the group). KafkaJS runs with its
 * own auto-commit off, because its commit takes the fetch position, which runs ahead of what deferred acks
 * have confirmed. Disabled for consumers whose offsets move only inside Kafka transactions. Also reads the
 * group's committed offset back from the broker, for a re-read.
 */
import type { Admin } from 'kafkajs';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import type { PartitionProgress } from './partition-progress';

export interface OffsetCommit {
  topic: string;
  partition: number;
  offset: string;
}

export class OffsetCommitter {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | null = null;
  private lastCommitAt = 0;
  private closed = false;

  constructor(
    private readonly enabled: boolean,
    private readonly intervalMs: number,
    private readonly partitions: () => Iterable<PartitionProgress>,
    private readonly commit: (offsets: OffsetCommit[]) => Promise<void>,
    private readonly logger: Logger,
  ) {}

  /** Something became committable: commit within commitIntervalMs. */
  request(): void {
    if (!this.enabled || this.closed || this.timer) return;
    const wait = Math.max(0, this.lastCommitAt + this.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush().catch(() => undefined);
    }, wait);
    this.timer.unref();
  }

  /** Commits what is committable now; resolves when done. Failures are logged; the next request retries them. */
  async flush(): Promise<void> {
    if (!this.enabled) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    this.inFlight = this.commitOnce().finally(() => {
      this.inFlight = null;
    });
    await this.inFlight;
  }

  /** No more commits (the consumer left the group). */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async commitOnce(): Promise<void> {
    const due: { p: PartitionProgress; next: bigint }[] = [];
    for (const p of this.partitions()) {
      const next = p.committable();
      if (!p.dropped && next !== null && (p.committed === null || next > p.committed)) due.push({ p, next });
    }
    this.lastCommitAt = Date.now();
    if (due.length === 0) return;
    try {
      await this.commit(due.map(({ p, next }) => ({ topic: p.topic, partition: p.partition, offset: next.toString() })));
      for (const { p, next } of due) if (p.committed === null || next > p.committed) p.committed = next;
    } catch (err) {
      // A rebalance or a coordinator move: the next request (or the next owner, from the last commit) takes over.
      this.logger.warn({ err: errorMessage(err), partitions: due.length }, 'offset commit failed; retrying');
      this.request();
    }
  }
}

/**
 * Where the group will read `partition` from, as the broker has it (a Kafka transaction may have moved it
 * behind our back): its committed offset, or the earliest retained one when it has none.
 */
export async function groupOffset(admin: Admin, groupId: string, topic: string, partition: number): Promise<string> {
  const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = t.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
  if (BigInt(committed) >= 0n) return committed;
  return (await admin.fetchTopicOffsets(topic)).find((p) => p.partition === partition)?.low ?? '0';
}
