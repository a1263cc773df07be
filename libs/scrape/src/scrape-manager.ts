/**
 * Runs the scrape loops of the targets this replica is to scrape: keeps the latest snapshot of every
 * discovery, and on each snapshot or ownership change diffs the owned targets against the running loops,
 * starting, stopping and restarting (settings changed) loops. At most `maxTargets` loops run; the excess
 * (the keys sorting last) is counted in the stats and flagged, never dropped silently.
 */
import type { Discovery, TargetSnapshot } from './discovery';
import type { ScrapeFailureReason } from './scrape-outcome';
import { ScrapeLoop, type ScrapeLoopOptions, type ScrapeReport } from './scrape-loop';
import { sameTargetSettings, type ScrapeTarget } from './scrape-target';
import { OWN_ALL_TARGETS, type ShardOwnership } from './sharding/shard-ownership';

/** Default `maxTargets`. */
export const DEFAULT_MAX_TARGETS = 10_000;

/** The loop options (tenant, sink, offset seed, TLS, clock, `onReport` for every loop's scrapes), and: */
export interface ScrapeManagerOptions extends ScrapeLoopOptions {
  /** Which targets are this replica's. Default: all. */
  readonly ownership?: ShardOwnership;
  /** Most loops to run; owned targets beyond it are not scraped and are counted. Integer ≥ 1. Default 10000. */
  readonly maxTargets?: number;
}

/** Counters and gauges for the stage's metrics. Counters count since the manager was made. */
export interface ScrapeManagerStats {
  /** Distinct targets over all discoveries' latest snapshots. */
  readonly targetsDiscovered: number;
  /** Of those, the ones this replica owns. */
  readonly targetsOwned: number;
  /** Loops running. */
  readonly targetsActive: number;
  /** Owned targets not scraped because of `maxTargets`. */
  readonly targetsOverLimit: number;
  /** True while `targetsOverLimit` > 0. */
  readonly overLimit: boolean;
  /** Active targets whose latest scrape succeeded. */
  readonly targetsUp: number;
  readonly scrapesOk: number;
  readonly scrapesFailed: number;
  readonly failuresByReason: Readonly<Partial<Record<ScrapeFailureReason, number>>>;
  /** Samples in the bodies scraped. */
  readonly samplesScraped: number;
  /** Scraped samples handed to the sink. */
  readonly samplesStored: number;
  /** Samples of scrapes that failed on `sample_limit`. */
  readonly samplesDroppedByLimit: number;
  readonly staleMarkers: number;
  /** Scrapes whose samples the sink rejected. */
  readonly sinkFailures: number;
}

export class ScrapeManager {
  private readonly snapshots = new Map<string, readonly ScrapeTarget[]>();
  private readonly loops = new Map<string, ScrapeLoop>();
  private readonly stopping = new Set<Promise<void>>();
  private readonly discoveries: Discovery[] = [];
  private readonly ownership: ShardOwnership;
  private readonly maxTargets: number;
  private readonly unsubscribe: () => void;
  private counts = { discovered: 0, owned: 0, overLimit: 0 };
  private readonly totals = { scrapesOk: 0, scrapesFailed: 0, samplesScraped: 0, samplesStored: 0, samplesDroppedByLimit: 0, staleMarkers: 0, sinkFailures: 0 };
  private readonly failures: Partial<Record<ScrapeFailureReason, number>> = {};
  private closed = false;

  constructor(private readonly options: ScrapeManagerOptions) {
    this.ownership = options.ownership ?? OWN_ALL_TARGETS;
    this.maxTargets = options.maxTargets ?? DEFAULT_MAX_TARGETS;
    if (!Number.isSafeInteger(this.maxTargets) || this.maxTargets < 1) throw new Error(`maxTargets must be an integer ≥ 1, got ${this.maxTargets}`);
    this.unsubscribe = this.ownership.onChange(() => this.reconcile());
  }

  /** Starts `discovery` and applies each of its snapshots. */
  async attach(discovery: Discovery): Promise<void> {
    this.discoveries.push(discovery);
    await discovery.start((snapshot) => this.apply(snapshot));
  }

  /** Replaces the target set of `snapshot.source` and reconciles the loops. */
  apply(snapshot: TargetSnapshot): void {
    if (this.closed) return;
    this.snapshots.set(snapshot.source, snapshot.targets);
    this.reconcile();
  }

  /** The targets being scraped, by key order. */
  activeTargets(): ScrapeTarget[] {
    return [...this.loops.values()].map((l) => l.target).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /** The loop of an active target (tests, diagnostics). */
  loopOf(key: string): ScrapeLoop | undefined {
    return this.loops.get(key);
  }

  stats(): ScrapeManagerStats {
    const targetsUp = [...this.loops.values()].filter((l) => l.lastReport?.up === true).length;
    return {
      targetsDiscovered: this.counts.discovered,
      targetsOwned: this.counts.owned,
      targetsActive: this.loops.size,
      targetsOverLimit: this.counts.overLimit,
      overLimit: this.counts.overLimit > 0,
      targetsUp,
      ...this.totals,
      failuresByReason: { ...this.failures },
    };
  }

  /** Resolves once every loop stopped so far has finished stopping (its staleness markers are out). */
  async settled(): Promise<void> {
    while (this.stopping.size > 0) await Promise.all([...this.stopping]);
  }

  /** Stops discoveries and loops (no staleness markers: the targets still exist). */
  async stop(): Promise<void> {
    this.closed = true;
    this.unsubscribe();
    await Promise.all(this.discoveries.map((d) => d.stop()));
    for (const key of [...this.loops.keys()]) this.stopLoop(key, false);
    await this.settled();
  }

  private reconcile(): void {
    if (this.closed) return;
    const discovered = new Map<string, ScrapeTarget>();
    for (const source of [...this.snapshots.keys()].sort()) {
      for (const t of this.snapshots.get(source) ?? []) if (!discovered.has(t.key)) discovered.set(t.key, t);
    }
    const owned = [...discovered.values()].filter((t) => this.ownership.owns(t.key)).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const admitted = new Map(owned.slice(0, this.maxTargets).map((t) => [t.key, t]));
    this.counts = { discovered: discovered.size, owned: owned.length, overLimit: owned.length - admitted.size };
    for (const [key, loop] of [...this.loops]) {
      const next = admitted.get(key);
      if (next === undefined) {
        // Gone, or over the limit: nobody scrapes it now, so its series go stale. Moved to another replica: not.
        const stillOwned = discovered.has(key) && this.ownership.owns(key);
        this.stopLoop(key, !discovered.has(key) || stillOwned);
      } else if (!sameTargetSettings(loop.target, next)) {
        this.stopLoop(key, false);
      }
    }
    for (const [key, target] of admitted) {
      if (this.loops.has(key)) continue;
      const loop = new ScrapeLoop(target, { ...this.options, onReport: (report) => this.count(report) });
      this.loops.set(key, loop);
      loop.start();
    }
  }

  private stopLoop(key: string, stale: boolean): void {
    const loop = this.loops.get(key);
    if (loop === undefined) return;
    this.loops.delete(key);
    const done: Promise<void> = loop.stop({ stale }).finally(() => this.stopping.delete(done));
    this.stopping.add(done);
  }

  private count(report: ScrapeReport): void {
    if (report.up) this.totals.scrapesOk++;
    else this.totals.scrapesFailed++;
    if (report.reason !== undefined) this.failures[report.reason] = (this.failures[report.reason] ?? 0) + 1;
    this.totals.samplesScraped += report.samplesScraped;
    this.totals.samplesStored += report.samplesStored;
    this.totals.samplesDroppedByLimit += report.samplesDroppedByLimit;
    this.totals.staleMarkers += report.staleMarkers;
    if (report.sinkError !== undefined) this.totals.sinkFailures++;
    this.options.onReport?.(report);
  }
}
