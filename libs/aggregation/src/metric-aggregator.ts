// The window engine of one input partition: samples in, MetricRollup rows out when the event-time watermark
// closes their windows. Emission depends only on the sequence of add/addLogRecords/advance calls, so a restart
// from a checkpoint (load after a flush) replays into exactly the rows an uninterrupted run emits.
import { metricSeriesKey, seriesKey, type LogRecord, type MetricRollup, type MetricSample } from '@sextant/contracts';
import { resolveAggregatorConfig, type AggregatorConfig, type PreAggregation } from './aggregation.config';
import type { AggregatorCounterName, AggregatorCounters } from './aggregator-counters';
import type { AggregatorStateStore } from './aggregator-state';
import { contributionOf, deltaCountContribution, overflowContribution, rollupKindOf, type ContributionContext } from './sample-contribution';
import { keptLabels, OVERFLOW_LABELS, overflowKey, seriesLabelsOf } from './series-labels';
import { decodeSeries, encodeHot, encodeIdentityAndKept, STATE_FORMAT_VERSION, tailLength, type Series } from './series-state';
import { decodeSeries as decodeSeriesV1 } from './series-state.v1';
import { applyContribution, newWindow, toRollup, type Contribution, type WindowState } from './window';
import { WindowIndex, type WindowRef } from './window-index';
import { severityLabel } from './log-severity';

const NS_PER_MS = 1_000_000n;
const STALE_FLAG = 1;
const META_KEY = 'p:meta';
const SERIES_PREFIX = 's:';
const CLOSED_PREFIX = 'k:';
/** A series' kept windows are folded into its `k:` value once more than this many are only in `s:`. */
const FOLD_TAIL = 8;
export const DEFAULT_SOURCE_TOPIC = 'ingest.metrics';
export const LOG_SOURCE_TOPIC = 'logs';

export interface MetricAggregatorOptions {
  /** Input partition: the shard of pre-aggregation and overflow rows. */
  partition: number;
  store: AggregatorStateStore<unknown>;
  counters?: AggregatorCounters;
}

export interface AggregatorStats extends Record<AggregatorCounterName, number> {
  series: number;
  overflowSeries: number;
  openWindows: number;
  keptWindows: number;
  /** Watermark, ms since the Unix epoch. */
  watermarkMs: number;
}

/** What a new series is, before it has state. */
interface SeriesSpec {
  tenant: string;
  name: string;
  labels: Record<string, string>;
  serviceName: string;
  unit: string;
  metricType: MetricSample['type'];
  monotonic: boolean;
  temporality: MetricSample['temporality'];
  sourceTopic: string;
}

function zeroCounts(): Record<AggregatorCounterName, number> {
  return {
    late_samples: 0,
    dropped_late: 0,
    corrections: 0,
    overflow_samples: 0,
    refused_series: 0,
    dropped_overflow: 0,
    expired_series: 0,
    state_overflow: 0,
    kind_mismatch: 0,
    bounds_mismatch: 0,
    stale_markers: 0,
    invalid_samples: 0,
  };
}

function budgetKey(tenant: string, name: string): string {
  return `${tenant}\u0000${name}`;
}

interface PendingRow {
  /** Window end, ms (the row's windowEndUnixNano / 10^6, exact). */
  endMs: number;
  res: number;
  row: MetricRollup;
}

function compareRows(a: PendingRow, b: PendingRow): number {
  if (a.endMs !== b.endMs) return a.endMs - b.endMs;
  if (a.res !== b.res) return a.res - b.res;
  const x = a.row.seriesKey;
  const y = b.row.seriesKey;
  if (x !== y) return x < y ? -1 : 1;
  return a.row.revision - b.row.revision;
}

interface MetaV2 {
  v: number;
  wm: number;
  me: number;
  adv: number;
  sw: number;
  c: Record<AggregatorCounterName, number>;
}

export class MetricAggregator {
  readonly config: AggregatorConfig;
  private readonly partition: number;
  private readonly store: AggregatorStateStore<unknown>;
  private readonly counters: AggregatorCounters | undefined;
  private readonly rules = new Map<string, PreAggregation[]>();
  private readonly series = new Map<string, Series>();
  private readonly perMetric = new Map<string, number>();
  private liveSeries = 0;
  private overflowSeries = 0;
  private index = new WindowIndex();
  private corrections: WindowRef[] = [];
  private pending: PendingRow[] = [];
  private readonly dirtyOpen = new Set<Series>();
  private readonly dirtyClosed = new Set<Series>();
  private readonly deleted = new Set<string>();
  private metaDirty = false;
  private maxEventMs = 0;
  private advancedMs = 0;
  private watermarkMs = 0;
  private lastSweepMs = 0;
  private counts = zeroCounts();
  private readonly ctx: ContributionContext;
  private readonly coarsestMs: number;

  constructor(config: Partial<AggregatorConfig>, options: MetricAggregatorOptions) {
    this.config = resolveAggregatorConfig(config);
    this.partition = options.partition;
    this.store = options.store;
    this.counters = options.counters;
    for (const rule of this.config.preAggregations) {
      const list = this.rules.get(rule.metric) ?? [];
      list.push(rule);
      this.rules.set(rule.metric, list);
    }
    this.coarsestMs = this.config.resolutionsMs[this.config.resolutionsMs.length - 1];
    this.ctx = { coarsestWindowStartMs: 0, maxExpBuckets: this.config.maxExponentialBuckets };
  }

  /**
   * Adds one sample. `key` is the sample's metricSeriesKey when the caller computed it already (it is the
   * Kafka key of ingest.metrics); it must equal metricSeriesKey(sample).
   */
  add(sample: MetricSample, sourceTopic: string = DEFAULT_SOURCE_TOPIC, key?: string): void {
    const t = sample.timeUnixNano;
    if (t <= 0n) return this.count('invalid_samples', 1);
    const tMs = Number(t / NS_PER_MS);
    const k = key ?? metricSeriesKey(sample);
    if ((sample.flags & STALE_FLAG) !== 0) {
      const s = this.series.get(k);
      if (s !== undefined && s.continuity !== null) {
        s.continuity = null;
        this.dirtyOpen.add(s);
      }
      this.count('stale_markers', 1);
      return this.observe(tMs);
    }
    let s = this.series.get(k);
    if (s === undefined) {
      const admitted = this.admit(k, sample.tenant, sample.name, () => specOf(sample, sourceTopic));
      if (admitted === undefined) return this.observe(tMs);
      if (admitted.overflow) {
        if (admitted.kind !== rollupKindOf(sample)) this.count('kind_mismatch', 1);
        else this.apply(admitted, overflowContribution(sample), tMs, true);
        return this.observe(tMs);
      }
      s = admitted;
    }
    if (s.metricType !== sample.type || s.monotonic !== (sample.type === 'SUM' && sample.isMonotonic)) {
      this.count('kind_mismatch', 1);
      return this.observe(tMs);
    }
    if (s.temporality !== sample.temporality) {
      // A switch of temporality breaks the comparison with the previous point.
      s.temporality = sample.temporality;
      s.continuity = null;
    }
    this.ctx.coarsestWindowStartMs = tMs - (tMs % this.coarsestMs);
    const c = contributionOf(s, sample, this.ctx);
    this.apply(s, c, tMs, true);
    this.feedAggregates(s, c, tMs);
    this.observe(tMs);
  }

  /** Adds `n` log records of one service and severity at event time `timeNs` to the log-derived counter. */
  addLogRecords(tenant: string, service: string, severity: string, timeNs: bigint, n: number): void {
    if (timeNs <= 0n || !(n > 0)) return this.count('invalid_samples', 1);
    const tMs = Number(timeNs / NS_PER_MS);
    const name = this.config.logCountMetric;
    const labels = { service_name: service, severity };
    const k = seriesKey(tenant, name, labels);
    const s =
      this.series.get(k) ??
      this.admit(k, tenant, name, () => ({
        tenant,
        name,
        labels,
        serviceName: service,
        unit: '1',
        metricType: 'SUM',
        monotonic: true,
        temporality: 'DELTA',
        sourceTopic: LOG_SOURCE_TOPIC,
      }));
    if (s !== undefined) {
      const c = s.overflow ? { ...deltaCountContribution(s, timeNs, n), last: null, min: null, max: null } : deltaCountContribution(s, timeNs, n);
      this.apply(s, c, tMs, true);
      if (!s.overflow) this.feedAggregates(s, c, tMs);
    }
    this.observe(tMs);
  }

  /** One log record: severity is its severityText, or the OpenTelemetry short name of its severityNumber. */
  addLogRecord(record: Pick<LogRecord, 'tenant' | 'serviceName' | 'severityText' | 'severityNumber' | 'timeUnixNano' | 'observedTimeUnixNano'>): void {
    const time = record.timeUnixNano > 0n ? record.timeUnixNano : record.observedTimeUnixNano;
    this.addLogRecords(record.tenant, record.serviceName, severityLabel(record.severityText, record.severityNumber), time, 1);
  }

  /** Pushes the watermark to at least `watermarkNs` (the stage's idle tick: the only wall-clock input). */
  advance(watermarkNs: bigint): void {
    const ms = Number(watermarkNs / NS_PER_MS);
    if (ms > this.advancedMs) {
      this.advancedMs = ms;
      this.metaDirty = true;
    }
    this.processWatermark();
  }

  /** Rows emitted since the last drain, by window end, resolution, series key, revision. */
  drain(): MetricRollup[] {
    const rows = this.pending.sort(compareRows).map((p) => p.row);
    this.pending = [];
    return rows;
  }

  /** Writes changed state to the store: at most one set per changed key. Call drain() first: rows not drained are not state. */
  flush(): void {
    for (const key of this.deleted) this.store.delete(key);
    this.deleted.clear();
    for (const s of this.dirtyOpen) if (!s.removed && !this.dirtyClosed.has(s) && tailLength(s) > FOLD_TAIL) this.dirtyClosed.add(s);
    // k: first: folding moves the tail out of s:, which is then rewritten too.
    for (const s of this.dirtyClosed) {
      if (s.removed) continue;
      if (this.store.set(CLOSED_PREFIX + s.key, encodeIdentityAndKept(s)) === 'overflow') this.evict(s);
      else this.dirtyOpen.add(s);
    }
    for (const s of this.dirtyOpen) {
      if (!s.removed && this.store.set(SERIES_PREFIX + s.key, encodeHot(s)) === 'overflow') this.evict(s);
    }
    this.dirtyOpen.clear();
    this.dirtyClosed.clear();
    if (this.metaDirty) {
      const meta: MetaV2 = { v: STATE_FORMAT_VERSION, wm: this.watermarkMs, me: this.maxEventMs, adv: this.advancedMs, sw: this.lastSweepMs, c: this.counts };
      if (this.store.set(META_KEY, meta) === 'overflow') this.count('state_overflow', 1);
      else this.metaDirty = false;
    }
  }

  /** Rebuilds the engine from the store (after a restore); what the engine held before is discarded. */
  load(): void {
    this.series.clear();
    this.perMetric.clear();
    this.liveSeries = 0;
    this.overflowSeries = 0;
    this.index.clear();
    this.corrections = [];
    this.pending = [];
    this.dirtyOpen.clear();
    this.dirtyClosed.clear();
    this.deleted.clear();
    this.metaDirty = false;
    this.maxEventMs = this.advancedMs = this.watermarkMs = this.lastSweepMs = 0;
    this.counts = zeroCounts();
    const identities = new Map<string, unknown>();
    const hots = new Map<string, unknown>();
    let migrate = false;
    for (const [key, value] of this.store.entries()) {
      if (key === META_KEY) {
        const m = value as MetaV2;
        if (m.v !== undefined && m.v !== STATE_FORMAT_VERSION) throw new Error(`aggregator state p:meta: format version ${m.v}, this engine reads ${STATE_FORMAT_VERSION} (and version 1)`);
        if (m.v === undefined) migrate = true;
        this.watermarkMs = m.wm;
        this.maxEventMs = m.me;
        this.advancedMs = m.adv;
        this.lastSweepMs = m.sw;
        this.counts = { ...zeroCounts(), ...m.c };
      } else if (key.startsWith(CLOSED_PREFIX)) identities.set(key.slice(CLOSED_PREFIX.length), value);
      else if (key.startsWith(SERIES_PREFIX)) hots.set(key.slice(SERIES_PREFIX.length), value);
    }
    const resolutions = this.config.resolutionsMs.length;
    const loaded: Series[] = [];
    for (const [key, hot] of hots) {
      // Version 1 (JSON): s: held the identity, k: only the kept windows.
      if (typeof hot === 'string') continue;
      loaded.push(decodeSeriesV1(hot as Record<string, unknown>, identities.get(key), resolutions));
      migrate = true;
    }
    for (const [key, identity] of identities) {
      if (typeof identity !== 'string' && hots.has(key) && typeof hots.get(key) !== 'string') continue;
      loaded.push(decodeSeries(identity, hots.get(key), resolutions, key));
    }
    for (const s of loaded) {
      this.register(s);
      this.restoreWindows(s);
      if (migrate) {
        this.dirtyOpen.add(s);
        this.dirtyClosed.add(s);
      }
    }
    // Checkpoints of version 1 are rewritten as version 2 by the next flush.
    if (migrate) this.metaDirty = true;
  }

  /**
   * Closes again the stored open windows the watermark has passed (closing does not rewrite a series' state:
   * such a window was emitted once and kept, exactly as closeDue did), indexes the others, and queues the
   * reopened kept windows for their correction.
   */
  private restoreWindows(s: Series): void {
    const horizonEnd = this.watermarkMs - this.config.correctionHorizonMs;
    for (let r = 0; r < s.open.length; r++) {
      const open = s.open[r];
      const kept = s.closed[r];
      let due = 0;
      while (due < open.length && this.closeAt(open[due].start, r) <= this.watermarkMs) due++;
      for (let i = 0; i < due; i++) {
        const w = open[i];
        w.emitted++;
        w.enc = null;
        if (this.config.emitCorrections) insertSorted(kept, w);
      }
      if (due > 0) open.splice(0, due);
      const res = this.config.resolutionsMs[r];
      let stale = 0;
      while (stale < kept.length && kept[stale].start + res <= horizonEnd && !kept[stale].reopened) stale++;
      if (stale > 0) kept.splice(0, stale);
      for (const w of open) this.index.add(this.closeAt(w.start, r), { series: s, resolution: r, window: w });
      for (const w of kept) if (w.reopened) this.corrections.push({ series: s, resolution: r, window: w });
    }
  }

  stats(): AggregatorStats {
    let openWindows = 0;
    let keptWindows = 0;
    for (const s of this.series.values()) {
      for (const ws of s.open) openWindows += ws.length;
      for (const ws of s.closed) keptWindows += ws.length;
    }
    return { ...this.counts, series: this.series.size, overflowSeries: this.overflowSeries, openWindows, keptWindows, watermarkMs: this.watermarkMs };
  }

  private count(name: AggregatorCounterName, n: number): void {
    this.counts[name] += n;
    this.metaDirty = true;
    this.counters?.inc(name, n);
  }

  private closeAt(start: number, resolution: number): number {
    return start + this.config.resolutionsMs[resolution] + this.config.allowedLatenessMs;
  }

  /** The series for a new key, or its metric's overflow series when the budget is spent, or undefined. */
  private admit(key: string, tenant: string, name: string, spec: () => SeriesSpec): Series | undefined {
    const budget = budgetKey(tenant, name);
    const used = this.perMetric.get(budget) ?? 0;
    if (used < this.config.maxSeriesPerMetric && this.liveSeries < this.config.maxSeries) {
      const s = this.create(key, spec(), false);
      this.adopt(s);
      return s;
    }
    this.count('refused_series', 1);
    const oKey = overflowKey(tenant, name);
    let o = this.series.get(oKey);
    if (o === undefined) {
      if (this.overflowSeries >= this.config.maxOverflowSeries) {
        this.count('dropped_overflow', 1);
        return undefined;
      }
      o = this.create(oKey, { ...spec(), labels: { ...OVERFLOW_LABELS }, serviceName: '' }, true);
      this.adopt(o);
    }
    this.count('overflow_samples', 1);
    return o;
  }

  private create(key: string, spec: SeriesSpec, overflow: boolean, shard = -1): Series {
    const rules = overflow || shard >= 0 ? [] : (this.rules.get(spec.name) ?? []);
    const n = this.config.resolutionsMs.length;
    return {
      key,
      tenant: spec.tenant,
      name: spec.name,
      labels: spec.labels,
      serviceName: spec.serviceName,
      unit: spec.unit,
      kind: rollupKindOf({ type: spec.metricType, isMonotonic: spec.monotonic }),
      sourceTopic: spec.sourceTopic,
      overflow,
      shard,
      metricType: spec.metricType,
      monotonic: spec.metricType === 'SUM' && spec.monotonic,
      temporality: spec.temporality,
      lastSeenMs: 0,
      total: 0,
      continuity: null,
      open: Array.from({ length: n }, () => []),
      closed: Array.from({ length: n }, () => []),
      aggregates: rules.map((rule) => seriesKey(spec.tenant, rule.record, keptLabels(rule, spec.labels))),
      removed: false,
      identity: null,
      boundsDict: [],
      dictEnc: null,
    };
  }

  private register(s: Series): void {
    this.series.set(s.key, s);
    if (s.overflow) this.overflowSeries++;
    else {
      const budget = budgetKey(s.tenant, s.name);
      this.perMetric.set(budget, (this.perMetric.get(budget) ?? 0) + 1);
      this.liveSeries++;
    }
  }

  /** A new series: counted, and both its keys written by the next flush. */
  private adopt(s: Series): void {
    this.register(s);
    this.dirtyOpen.add(s);
    this.dirtyClosed.add(s);
  }

  private remove(s: Series): void {
    s.removed = true;
    this.series.delete(s.key);
    if (s.overflow) this.overflowSeries--;
    else {
      const budget = budgetKey(s.tenant, s.name);
      const left = (this.perMetric.get(budget) ?? 1) - 1;
      if (left > 0) this.perMetric.set(budget, left);
      else this.perMetric.delete(budget);
      this.liveSeries--;
    }
    this.dirtyOpen.delete(s);
    this.dirtyClosed.delete(s);
    this.deleted.add(SERIES_PREFIX + s.key);
    this.deleted.add(CLOSED_PREFIX + s.key);
  }

  /** The store refused the series' state: drop it (its data is lost, counted) rather than diverge from the store. */
  private evict(s: Series): void {
    this.remove(s);
    for (const key of this.deleted) this.store.delete(key);
    this.deleted.clear();
    this.count('state_overflow', 1);
  }

  private feedAggregates(member: Series, c: Contribution, tMs: number): void {
    for (let i = 0; i < member.aggregates.length; i++) {
      const key = member.aggregates[i];
      let agg = this.series.get(key);
      if (agg === undefined) {
        const rule = (this.rules.get(member.name) ?? [])[i];
        if (rule === undefined) continue;
        const used = this.perMetric.get(budgetKey(member.tenant, rule.record)) ?? 0;
        if (used >= this.config.maxSeriesPerMetric || this.liveSeries >= this.config.maxSeries) {
          this.count('refused_series', 1);
          continue;
        }
        const spec = { ...member, name: rule.record, labels: keptLabels(rule, member.labels), serviceName: '', monotonic: member.monotonic };
        agg = this.create(key, spec, false, this.partition);
        this.adopt(agg);
      }
      if (agg.kind !== member.kind) this.count('kind_mismatch', 1);
      else this.apply(agg, c, tMs, false);
    }
  }

  /** Adds the contribution to the series' window of each resolution (a kept one when late). */
  private apply(s: Series, c: Contribution, tMs: number, own: boolean): void {
    if (tMs > s.lastSeenMs) s.lastSeenMs = tMs;
    const aggregate = s.shard >= 0;
    let late = false;
    let dropped = false;
    let mismatch = false;
    for (let r = 0; r < this.config.resolutionsMs.length; r++) {
      const res = this.config.resolutionsMs[r];
      const start = tMs - (tMs % res);
      if (this.closeAt(start, r) > this.watermarkMs) {
        const w = findOrInsert(s.open[r], start, () => {
          const created = newWindow(start);
          this.index.add(this.closeAt(start, r), { series: s, resolution: r, window: created });
          return created;
        });
        if (!applyContribution(w, c, aggregate, this.config.maxExponentialBuckets)) mismatch = true;
        continue;
      }
      late = true;
      if (!this.config.emitCorrections || start + res <= this.watermarkMs - this.config.correctionHorizonMs) {
        dropped = true;
        continue;
      }
      const w = findOrInsert(s.closed[r], start, () => newWindow(start));
      if (!applyContribution(w, c, aggregate, this.config.maxExponentialBuckets)) mismatch = true;
      else {
        if (!w.reopened) {
          w.reopened = true;
          this.corrections.push({ series: s, resolution: r, window: w });
        }
        // A kept window stored in k: changed: k: is rewritten; one in the tail goes with s: (dirty below).
        if (w.persisted) this.dirtyClosed.add(s);
      }
    }
    this.dirtyOpen.add(s);
    if (own && late) this.count('late_samples', 1);
    if (own && dropped) this.count('dropped_late', 1);
    if (mismatch) this.count('bounds_mismatch', 1);
  }

  private observe(tMs: number): void {
    if (tMs > this.maxEventMs) {
      this.maxEventMs = tMs;
      this.metaDirty = true;
    }
    this.processWatermark();
  }

  private processWatermark(): void {
    const wm = Math.max(this.maxEventMs - this.config.maxOutOfOrderMs, this.advancedMs);
    if (wm <= this.watermarkMs) return;
    this.watermarkMs = wm;
    this.metaDirty = true;
    for (const ref of this.corrections) {
      if (ref.series.removed || !ref.window.reopened) continue;
      ref.window.reopened = false;
      this.emit(ref);
      this.count('corrections', 1);
      (ref.window.persisted ? this.dirtyClosed : this.dirtyOpen).add(ref.series);
    }
    this.corrections = [];
    if (this.index.next() <= wm) this.closeDue(wm);
    if (wm >= this.lastSweepMs + this.config.resolutionsMs[0]) this.sweep(wm);
  }

  private closeDue(wm: number): void {
    const horizonEnd = wm - this.config.correctionHorizonMs;
    for (const ref of this.index.takeDue(wm)) {
      const { series: s, resolution: r, window: w } = ref;
      if (s.removed) continue;
      const open = s.open[r];
      const at = open.indexOf(w);
      if (at < 0) continue;
      open.splice(at, 1);
      this.emit(ref);
      const kept = s.closed[r];
      if (this.config.emitCorrections) insertSorted(kept, w);
      const res = this.config.resolutionsMs[r];
      let stale = 0;
      while (stale < kept.length && kept[stale].start + res <= horizonEnd && !kept[stale].reopened) stale++;
      if (stale > 0) kept.splice(0, stale);
      // Nothing to write: load() closes the stored open window again (restoreWindows), and the kept windows
      // dropped here past the horizon are dropped there too.
    }
  }

  private emit(ref: WindowRef): void {
    const res = this.config.resolutionsMs[ref.resolution];
    const row = toRollup(ref.series, ref.window, res, this.config.quantiles);
    // Every partition has an overflow series of its own with the same labels: its rows are partials, as a
    // pre-aggregation's are, and carry the partition so that they do not replace each other downstream.
    if (ref.series.overflow) row.shard = this.partition;
    ref.window.emitted++;
    ref.window.enc = null;
    this.pending.push({ endMs: ref.window.start + res, res: ref.resolution, row });
  }

  /** Expires idle series without open or pending windows; their kept windows are past the horizon by config. */
  private sweep(wm: number): void {
    this.lastSweepMs = wm;
    const expired: Series[] = [];
    for (const s of this.series.values()) {
      if (s.lastSeenMs + this.config.seriesIdleTimeoutMs > wm) continue;
      if (s.open.some((ws) => ws.length > 0) || s.closed.some((ws) => ws.some((w) => w.reopened))) continue;
      expired.push(s);
    }
    for (const s of expired) this.remove(s);
    if (expired.length > 0) this.count('expired_series', expired.length);
  }
}

function specOf(sample: MetricSample, sourceTopic: string): SeriesSpec {
  return {
    tenant: sample.tenant,
    name: sample.name,
    labels: seriesLabelsOf(sample),
    serviceName: sample.serviceName,
    unit: sample.unit,
    metricType: sample.type,
    monotonic: sample.isMonotonic,
    temporality: sample.temporality,
    sourceTopic,
  };
}

function findOrInsert(windows: WindowState[], start: number, make: () => WindowState): WindowState {
  for (let i = windows.length - 1; i >= 0; i--) {
    if (windows[i].start === start) return windows[i];
    if (windows[i].start < start) {
      const w = make();
      windows.splice(i + 1, 0, w);
      return w;
    }
  }
  const w = make();
  windows.unshift(w);
  return w;
}

function insertSorted(windows: WindowState[], w: WindowState): void {
  let i = windows.length;
  while (i > 0 && windows[i - 1].start > w.start) i--;
  windows.splice(i, 0, w);
}
