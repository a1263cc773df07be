/**
 * What one consumer remembers about one assigned partition for as long as it owns it, across fetched batches:
 * which fetched messages are done (an OffsetTracker), which were handled but wait for a deferred ack, how far
 * fetching got, what was committed, and whether it keeps failing (liveness). Dropping it (revocation, re-read,
 * stop) aborts its signal: every batch still deferred on it learns that its work is abandoned, and a late
 * ack is ignored and counted instead of moving offsets the partition's next owner is responsible for.
 */
import type { KafkaMetrics } from './kafka.metrics';
import { OffsetTracker } from './offset.tracker';

export interface PartitionProgressDeps {
  maxDeferredRecords: number;
  metrics: KafkaMetrics;
  /** Something became committable. */
  onDone: () => void;
  /** Stop fetching this partition / fetch it again. */
  pause: () => void;
  resume: () => void;
}

export class PartitionProgress {
  readonly tracker = new OffsetTracker();
  /** Next offset to fetch: one past the highest offset whose handler resolved, with everything below it. */
  fetchFrontier: bigint | null = null;
  /** Next offset the group has from us (committed), or null before our first commit. */
  committed: bigint | null = null;
  /** Set while a sub-batch fails; cleared when one completes. */
  failingSince: number | null = null;
  lastCompletedAt = Date.now();
  private deferred = 0;
  private paused = false;
  private readonly abort = new AbortController();
  private readyHook: Promise<void> | null = null;

  constructor(
    readonly topic: string,
    readonly partition: number,
    private readonly d: PartitionProgressDeps,
  ) {}

  /** Aborted once the partition is dropped. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get dropped(): boolean {
    return this.abort.signal.aborted;
  }

  get deferredRecords(): number {
    return this.deferred;
  }

  /** The next offset to commit (one past the highest contiguous done offset), or null when nothing is done. */
  committable(): bigint | null {
    const c = this.tracker.committable();
    return c === null ? null : c + 1n;
  }

  track(offsets: readonly string[]): void {
    if (this.dropped) return;
    for (const o of offsets) this.tracker.track(o);
  }

  markDone(offsets: readonly string[]): void {
    if (this.dropped) return;
    for (const o of offsets) this.tracker.markDone(o);
    this.d.onDone();
  }

  /**
   * Holds `offsets` (carrying `records` records) until the returned function is called, which marks them done.
   * The function is safe to call twice, and after a drop (then it only counts the late ack).
   */
  hold(offsets: readonly string[], records: number): () => void {
    let settled = false;
    this.addDeferred(records);
    if (this.deferred > this.d.maxDeferredRecords && !this.paused) {
      this.paused = true;
      this.d.metrics.deferralPauses.inc({ topic: this.topic });
      this.d.pause();
    }
    return () => {
      if (settled) return;
      settled = true;
      if (this.dropped) {
        this.d.metrics.lateAcks.inc({ topic: this.topic });
        return;
      }
      this.addDeferred(-records);
      this.markDone(offsets);
      if (this.paused && this.deferred <= this.d.maxDeferredRecords / 2) {
        this.paused = false;
        this.d.resume();
      }
    };
  }

  /** True while fetching is paused for too many unacknowledged records: stop taking sub-batches. */
  get overDeferredLimit(): boolean {
    return this.paused;
  }

  /** Runs `hook` once before the partition's first batch; a failed hook runs again for the next batch. */
  async ready(hook: () => Promise<void> | void): Promise<void> {
    this.readyHook ??= Promise.resolve().then(hook);
    try {
      await this.readyHook;
    } catch (err) {
      this.readyHook = null;
      throw err;
    }
  }

  /** Stalled: failing and nothing completed for `timeoutMs`. */
  stalled(now: number, timeoutMs: number): boolean {
    return !this.dropped && this.failingSince !== null && now - Math.max(this.failingSince, this.lastCompletedAt) >= timeoutMs;
  }

  /** Forgets the partition: aborts the signal, so deferred batches know, and resumes fetching if paused. */
  drop(): void {
    if (this.dropped) return;
    this.abort.abort(new Error(`partition ${this.topic}/${this.partition} was revoked or is re-read`));
    this.d.metrics.deferredRecords.remove({ topic: this.topic, partition: String(this.partition) });
    if (this.paused) {
      this.paused = false;
      this.d.resume();
    }
  }

  private addDeferred(n: number): void {
    this.deferred += n;
    this.d.metrics.deferredRecords.set({ topic: this.topic, partition: String(this.partition) }, this.deferred);
  }
}
