/**
 * A fixed set of engine sessions and the bounded queue in front of them. A chDB session runs one query at a
 * time (two queries on one session take twice as long), while sessions on the same data directory run side by
 * side, so the pool hands each request a session of its own. Requests beyond the sessions wait in a FIFO queue
 * of bounded length; one more is refused at once (the caller answers 503 with Retry-After). A request may
 * mark its session spoiled (state it could not reset); the pool closes it and opens a fresh one in its place.
 * `drain()` waits for every admitted request, then closes all sessions.
 */
import type { StoreMetrics } from './store.metrics';

/** The queue is full: refuse with 503 and Retry-After. */
export class QueueFullError extends Error {
  constructor(readonly maxQueued: number) {
    super(`store is busy: ${maxQueued} requests already wait for an engine session`);
    this.name = 'QueueFullError';
  }
}

/** The pool is draining or closed. */
export class PoolClosedError extends Error {
  constructor() {
    super('store is shutting down');
    this.name = 'PoolClosedError';
  }
}

/** What a request does with its session: its result, and whether the session can serve the next one. */
export interface SessionOutcome<T> {
  value: T;
  spoiled: boolean;
}

export interface SessionPoolOptions<S> {
  /** Opens a session; a replacement that fails to open is retried every `reopenDelayMs`. */
  open(): Promise<S>;
  close(session: S): void;
  size: number;
  maxQueued: number;
  metrics: Pick<StoreMetrics, 'queued' | 'busySessions' | 'sessionsReplaced'>;
  reopenDelayMs?: number;
  onReopenError?: (err: unknown) => void;
}

export class SessionPool<S> {
  private readonly idle: S[] = [];
  private readonly waiting: Array<(s: S) => void> = [];
  private busy = 0;
  /** When each running request took its session, to tell a wedged engine from a busy one. */
  private readonly runningSince = new Set<{ since: number }>();
  private closing = false;
  private drained: (() => void) | null = null;

  private constructor(private readonly opts: SessionPoolOptions<S>) {}

  /** Opens `size` sessions, one after the other (the first one loads the data directory). */
  static async create<S>(opts: SessionPoolOptions<S>): Promise<SessionPool<S>> {
    const pool = new SessionPool(opts);
    for (let i = 0; i < opts.size; i++) pool.idle.push(await opts.open());
    return pool;
  }

  /** Requests waiting for a session now. */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Runs `work` on a session of its own once one is free. Throws QueueFullError when the queue is full and
   * PoolClosedError once draining began; both before `work` runs.
   */
  async run<T>(work: (session: S) => Promise<SessionOutcome<T>>): Promise<T> {
    const session = await this.acquire();
    const running = { since: Date.now() };
    this.runningSince.add(running);
    let spoiled = true;
    try {
      const outcome = await work(session);
      spoiled = outcome.spoiled;
      return outcome.value;
    } finally {
      this.runningSince.delete(running);
      this.release(session, spoiled);
    }
  }

  /** How long the longest-running request has held its session (ms); 0 when none runs. */
  oldestRunningMs(now = Date.now()): number {
    let oldest = 0;
    for (const r of this.runningSince) oldest = Math.max(oldest, now - r.since);
    return oldest;
  }

  /** Refuses new requests, waits for admitted ones (running and queued), then closes every session. */
  async drain(): Promise<void> {
    this.closing = true;
    if (this.busy > 0 || this.waiting.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    for (const s of this.idle.splice(0)) this.opts.close(s);
  }

  private acquire(): Promise<S> {
    if (this.closing) return Promise.reject(new PoolClosedError());
    const free = this.idle.pop();
    if (free !== undefined) {
      this.setBusy(this.busy + 1);
      return Promise.resolve(free);
    }
    if (this.waiting.length >= this.opts.maxQueued) return Promise.reject(new QueueFullError(this.opts.maxQueued));
    return new Promise<S>((resolve) => {
      this.waiting.push(resolve);
      this.opts.metrics.queued.set(this.waiting.length);
    });
  }

  private release(session: S, spoiled: boolean): void {
    if (!spoiled) {
      this.handOver(session);
      return;
    }
    this.opts.close(session);
    this.opts.metrics.sessionsReplaced.inc();
    void this.reopen();
  }

  private async reopen(): Promise<void> {
    for (;;) {
      try {
        this.handOver(await this.opts.open());
        return;
      } catch (err: unknown) {
        this.opts.onReopenError?.(err);
        await new Promise((resolve) => setTimeout(resolve, this.opts.reopenDelayMs ?? 1000));
      }
    }
  }

  private handOver(next: S): void {
    const waiter = this.waiting.shift();
    if (waiter !== undefined) {
      this.opts.metrics.queued.set(this.waiting.length);
      waiter(next);
      return;
    }
    this.idle.push(next);
    this.setBusy(this.busy - 1);
    if (this.busy === 0 && this.drained !== null) this.drained();
  }

  private setBusy(n: number): void {
    this.busy = n;
    this.opts.metrics.busySessions.set(n);
  }
}
