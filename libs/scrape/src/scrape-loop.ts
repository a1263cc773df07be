/**
 * One target's scrape loop, as Prometheus runs it: a scrape every interval at the target's fixed offset
 * (jitter.ts), each with its own deadline; the samples of a successful scrape, the staleness markers of the
 * series it no longer has, and the report series go to the sink together, at the scrape's start time. A
 * failed scrape stores nothing scraped: `up` is 0 and every series of the previous scrape goes stale. Stopping
 * with `stale: true` (the target is gone) marks its last series and its report series stale.
 */
import type { MetricSample } from '@sextant/contracts';
import { parseExposition, selectParser } from '@sextant/exposition';
import { fetchTarget, ScrapeFetchError } from './fetch-target';
import { delayToNextScrapeMs, scrapeOffsetMs } from './jitter';
import { readScrape } from './read-scrape';
import { reportPoints, staleReportPoints } from './report-series';
import type { FamilyMeta, ScrapeFailureReason, ScrapeOutcome } from './scrape-outcome';
import type { ScrapeTarget } from './scrape-target';
import { StalenessTracker } from './staleness-tracker';
import { toMetricSamples, type OutputPoint } from './to-metric-samples';

/** Where a loop's samples go: the scraped samples, staleness markers and report series of one scrape. */
export type ScrapeSink = (samples: MetricSample[], target: ScrapeTarget) => Promise<void>;

export interface ScrapeLoopOptions {
  /** `MetricSample.tenant` of every sample. */
  readonly tenant: string;
  readonly sink: ScrapeSink;
  /** Per-replica seed of the scrape offsets (Prometheus hashes its external labels and hostname). Default ''. */
  readonly offsetSeed?: string;
  /** Skip TLS verification of https targets. Default false. */
  readonly insecureSkipVerify?: boolean;
  /** Called after every scrape with its report (for statistics). */
  readonly onReport?: (report: ScrapeReport) => void;
  /** Clock, ms since the epoch. Default Date.now. */
  readonly now?: () => number;
}

/** What one scrape did. */
export interface ScrapeReport {
  readonly target: ScrapeTarget;
  readonly startedMs: number;
  readonly up: boolean;
  /** Why the scrape failed (Prometheus's wording), when it did. */
  readonly error?: string;
  readonly reason?: ScrapeFailureReason;
  readonly durationSeconds: number;
  readonly samplesScraped: number;
  readonly samplesPostRelabeling: number;
  readonly seriesAdded: number;
  /** Scraped samples handed to the sink (0 when the scrape failed). */
  readonly samplesStored: number;
  /** Samples withheld because the scrape exceeded `sample_limit` (all of them, as Prometheus does). */
  readonly samplesDroppedByLimit: number;
  /** Staleness markers handed to the sink. */
  readonly staleMarkers: number;
  /** The sink's error, when it rejected the samples. */
  readonly sinkError?: string;
}

export class ScrapeLoop {
  private readonly tracker = new StalenessTracker();
  private readonly now: () => number;
  private readonly offsetMs: number;
  private timer: NodeJS.Timeout | undefined;
  private nextAtMs = 0;
  private running: Promise<ScrapeReport | undefined> | undefined;
  private inflight: AbortController | undefined;
  private stopped = false;
  private scrapedOnce = false;
  private last: ScrapeReport | undefined;

  constructor(
    readonly target: ScrapeTarget,
    private readonly options: ScrapeLoopOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.offsetMs = scrapeOffsetMs(target.key, target.intervalMs, options.offsetSeed ?? '');
  }

  /** The report of the latest scrape. */
  get lastReport(): ScrapeReport | undefined {
    return this.last;
  }

  /** Schedules the scrapes: the first at the next time the target's offset comes round, then every interval. */
  start(): void {
    if (this.stopped || this.timer !== undefined) return;
    const now = this.now();
    this.nextAtMs = now + delayToNextScrapeMs(now, this.target.intervalMs, this.offsetMs);
    this.schedule();
  }

  /** Runs one scrape now and hands its samples to the sink; undefined when the loop stopped meanwhile. */
  scrapeOnce(): Promise<ScrapeReport | undefined> {
    if (this.running !== undefined) return this.running;
    const run = this.scrape().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  /**
   * Stops the loop: a scrape in flight is abandoned (its samples dropped), a sink call in flight awaited. With
   * `stale`, the last scrape's series and the report series get staleness markers (the target is gone; not
   * when it merely moved to another replica or the process shuts down, as Prometheus does on shutdown).
   */
  async stop(options: { readonly stale: boolean }): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.inflight?.abort();
    await this.running;
    if (!options.stale || !this.scrapedOnce) return;
    const at = this.now();
    const points = [...this.tracker.emptied(at), ...staleReportPoints(this.target.labels, at)];
    await this.options.sink(toMetricSamples(points, new Map(), this.options.tenant), this.target).catch(() => undefined);
  }

  private schedule(): void {
    const now = this.now();
    while (this.nextAtMs <= now) this.nextAtMs += this.target.intervalMs; // missed ticks are skipped
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.scrapeOnce().finally(() => {
        if (!this.stopped) this.schedule();
      });
    }, this.nextAtMs - now);
  }

  private async scrape(): Promise<ScrapeReport | undefined> {
    if (this.stopped) return undefined;
    const startedMs = this.now();
    const outcome = await this.fetchAndRead(startedMs);
    if (this.stopped) return undefined;
    const durationSeconds = (this.now() - startedMs) / 1000;
    let points: OutputPoint[];
    let metadata: ReadonlyMap<string, FamilyMeta> = new Map();
    let staleMarkers: number;
    let seriesAdded = 0;
    if (outcome.ok) {
      const change = this.tracker.succeeded(outcome.series, startedMs);
      seriesAdded = change.seriesAdded;
      staleMarkers = change.stale.length;
      metadata = outcome.metadata;
      points = [...outcome.series, ...change.stale];
    } else {
      points = this.tracker.emptied(startedMs);
      staleMarkers = points.length;
    }
    const values = { up: outcome.ok, durationSeconds, samplesScraped: outcome.samplesScraped, samplesPostRelabeling: outcome.samplesPostRelabeling, seriesAdded };
    points.push(...reportPoints(this.target.labels, values, startedMs));
    this.scrapedOnce = true;
    let sinkError: string | undefined;
    try {
      await this.options.sink(toMetricSamples(points, metadata, this.options.tenant), this.target);
    } catch (err) {
      sinkError = err instanceof Error ? err.message : String(err);
    }
    const report: ScrapeReport = {
      target: this.target,
      startedMs,
      ...values,
      ...(outcome.ok ? {} : { error: outcome.error, reason: outcome.reason }),
      samplesStored: outcome.ok ? outcome.series.length : 0,
      samplesDroppedByLimit: !outcome.ok && outcome.reason === 'sample_limit' ? outcome.samplesPostRelabeling : 0,
      staleMarkers,
      ...(sinkError === undefined ? {} : { sinkError }),
    };
    this.last = report;
    this.options.onReport?.(report);
    return report;
  }

  private async fetchAndRead(startedMs: number): Promise<ScrapeOutcome> {
    const controller = new AbortController();
    this.inflight = controller;
    const deadline = setTimeout(() => controller.abort(), this.target.timeoutMs);
    const failed = (error: string, reason: ScrapeFailureReason): ScrapeOutcome => ({ ok: false, error, reason, samplesScraped: 0, samplesPostRelabeling: 0, samplesDropped: 0 });
    try {
      const response = await fetchTarget(this.target, { signal: controller.signal, insecureSkipVerify: this.options.insecureSkipVerify === true });
      try {
        const selection = selectParser(response.contentType, this.target.fallbackProtocol === undefined ? {} : { fallbackProtocol: this.target.fallbackProtocol });
        if (!selection.ok) return failed(selection.error, 'content_type');
        const entries = parseExposition(response.body, { format: selection.format, limits: { maxBodyBytes: this.target.bodySizeLimitBytes } });
        return await readScrape(entries, this.target, startedMs);
      } finally {
        response.discard();
      }
    } catch (err) {
      if (err instanceof ScrapeFetchError) return failed(err.message, err.reason);
      return failed(err instanceof Error ? err.message : String(err), 'http');
    } finally {
      clearTimeout(deadline);
      this.inflight = undefined;
    }
  }
}
