/**
 * Closed-loop load: C workers, each POSTing a request, waiting for the whole answer, and sending the next, for
 * a fixed time. Unlike an open (scheduled) load it never queues more than C requests at the server, so it
 * measures what a server sustains and what each request costs rather than how queues grow. Request bodies are
 * built beforehand and reused in turn, so that the load generator spends its CPU on HTTP only.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EncodedRequest } from './otlp-logs-request';
import { percentile } from './percentile';

/** Longest wait for one answer: a request still open then counts as failed. */
const REQUEST_TIMEOUT_MS = 30_000;
/** Pause of a worker after a failure, so that a refusing server is not spun against. */
const FAILURE_PAUSE_MS = 50;

export interface ClosedLoopOptions {
  readonly url: string;
  /**
   * Prebuilt requests, sent round-robin; or a function giving a worker's next request (built as it is sent;
   * a worker's requests go one after the other, so a worker can keep its own series in order).
   */
  readonly requests: readonly EncodedRequest[] | ((worker: number) => EncodedRequest);
  readonly concurrency: number;
  readonly seconds: number;
}

export interface ClosedLoopResult {
  readonly seconds: number;
  readonly ok: number;
  readonly failed: number;
  /** Latency of answered requests, ms. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The first failure's status or error, for the report. */
  readonly firstFailure: string | undefined;
}

export async function runClosedLoop(opts: ClosedLoopOptions): Promise<ClosedLoopResult> {
  const start = performance.now();
  const deadline = start + opts.seconds * 1000;
  // Bounded by the run: at most one entry per answered request.
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let next = 0;
  let firstFailure: string | undefined;

  const fail = async (why: string): Promise<void> => {
    failed++;
    firstFailure ??= why;
    await sleep(FAILURE_PAUSE_MS);
  };

  const worker = async (id: number): Promise<void> => {
    while (performance.now() < deadline) {
      const req = typeof opts.requests === 'function' ? opts.requests(id) : (opts.requests[next++ % opts.requests.length] as EncodedRequest);
      const sent = performance.now();
      try {
        const res = await fetch(opts.url, {
          method: 'POST',
          headers: { 'Content-Type': req.contentType, ...req.headers },
          body: req.body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const answer = await res.arrayBuffer();
        if (res.status >= 200 && res.status < 300) {
          ok++;
          latencies.push(performance.now() - sent);
        } else {
          await fail(`HTTP ${res.status}: ${Buffer.from(answer).toString('utf8', 0, 200)}`);
        }
      } catch (e) {
        await fail(String(e));
      }
    }
  };

  await Promise.all(Array.from({ length: opts.concurrency }, (_v, id) => worker(id)));
  latencies.sort((a, b) => a - b);
  return {
    seconds: (performance.now() - start) / 1000,
    ok,
    failed,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    firstFailure,
  };
}
