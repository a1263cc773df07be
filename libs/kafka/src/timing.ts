/**
 * Timers that never outlive what they guard: a timeout race that clears its timer when the guarded
 * promise settles first, and an abortable sleep. Both matter in a long-running consumer and in tests,
 * where a forgotten timer keeps the process alive.
 */

export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** Resolves or rejects like `p`, or rejects with TimeoutError after `ms`. `p` keeps running; its late rejection is swallowed. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
  });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Waits `ms`, or less when `signal` aborts (then it resolves early, it does not throw). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
