// One tumbling window of one series: what a sample adds to it (a Contribution, always in delta form whatever
// the input's temporality) and the MetricRollup it becomes when it closes.
import type { MetricRollup, QuantileValue, RollupKind } from '@sextant/contracts';
import { bucketQuantile, sameBounds } from './explicit-histogram';
import { cloneExp, expQuantile, fitExp, mergeExp, type ExpHistogram } from './exponential-histogram';

/** What one sample adds to a window, after the series' continuity turned it into a delta. */
export interface Contribution {
  timeNs: bigint;
  /** Samples (gauges, sums) or observations (histograms, summaries). */
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  /** Value for the window's `last` (by event time); null when the sample does not set it. */
  last: number | null;
  /** Counter increase; null when not known (overflowed counters) or not a counter. */
  increase: number | null;
  resets: number;
  bounds: number[] | null;
  buckets: number[] | null;
  exp: ExpHistogram | null;
  quantiles: QuantileValue[] | null;
}

export interface WindowState {
  /** Kept (emitted) and stored in the series' `k:` value as it is now; changing it means rewriting `k:`. */
  persisted: boolean;
  /** The window's encoded segment (series-state.ts), cached; null after any change. */
  enc: string | null;
  /** Window start, milliseconds since the Unix epoch. */
  start: number;
  /** Times the window was emitted so far: the revision of its next emission. */
  emitted: number;
  /** Emitted, then changed by late samples: waits for the watermark to move to be emitted again. */
  reopened: boolean;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  last: number;
  /** Event time of the sample that set `last` (and summary quantiles); -1 before any. */
  lastT: bigint;
  increase: number | null;
  resets: number;
  bounds: number[] | null;
  buckets: number[] | null;
  exp: ExpHistogram | null;
  quantiles: QuantileValue[] | null;
}

export function newWindow(start: number): WindowState {
  return {
    persisted: false,
    enc: null,
    start,
    emitted: 0,
    reopened: false,
    count: 0,
    sum: 0,
    min: null,
    max: null,
    last: 0,
    lastT: -1n,
    increase: null,
    resets: 0,
    bounds: null,
    buckets: null,
    exp: null,
    quantiles: null,
  };
}

/**
 * Adds the contribution. Returns false (nothing changed) when its explicit bounds differ from those the window
 * already holds: buckets of different layouts cannot be added. `aggregate` windows (pre-aggregations) keep no
 * `last` and no summary quantiles: across series they mean nothing.
 */
export function applyContribution(w: WindowState, c: Contribution, aggregate: boolean, maxExpBuckets: number): boolean {
  if (c.bounds !== null && c.buckets !== null) {
    if (w.bounds === null || w.buckets === null) {
      w.bounds = c.bounds;
      w.buckets = [...c.buckets];
    } else {
      if (!sameBounds(w.bounds, c.bounds)) return false;
      for (let i = 0; i < c.buckets.length; i++) w.buckets[i] += c.buckets[i];
    }
  }
  w.enc = null;
  if (c.exp !== null) w.exp = w.exp === null ? fitExp(cloneExp(c.exp), maxExpBuckets) : mergeExp(w.exp, c.exp, maxExpBuckets);
  w.count += c.count;
  w.sum += c.sum;
  if (c.min !== null && (w.min === null || c.min < w.min)) w.min = c.min;
  if (c.max !== null && (w.max === null || c.max > w.max)) w.max = c.max;
  if (c.increase !== null) w.increase = (w.increase ?? 0) + c.increase;
  w.resets += c.resets;
  if (!aggregate && c.timeNs >= w.lastT) {
    if (c.last !== null) w.last = c.last;
    if (c.quantiles !== null) w.quantiles = c.quantiles;
    w.lastT = c.timeNs;
  }
  return true;
}

/** The identity and metadata a rollup row carries besides its window. */
export interface RollupIdentity {
  tenant: string;
  key: string;
  name: string;
  labels: Record<string, string>;
  serviceName: string;
  unit: string;
  kind: RollupKind;
  sourceTopic: string;
  overflow: boolean;
  shard: number;
}

const NS_PER_MS = 1_000_000n;
const MS_PER_S = 1000;

export function toRollup(id: RollupIdentity, w: WindowState, resolutionMs: number, quantiles: readonly number[]): MetricRollup {
  const counter = id.kind === 'COUNTER';
  let estimated: QuantileValue[] = [];
  if (w.bounds !== null && w.buckets !== null) {
    const { bounds, buckets } = w;
    estimated = quantiles.map((q) => ({ quantile: q, value: bucketQuantile(q, bounds, buckets) }));
  } else if (w.exp !== null) {
    const exp = w.exp;
    estimated = quantiles.map((q) => ({ quantile: q, value: expQuantile(q, exp) }));
  } else if (w.quantiles !== null) {
    estimated = w.quantiles.map((q) => ({ quantile: q.quantile, value: q.value }));
  }
  const increase = counter ? w.increase : null;
  return {
    tenant: id.tenant,
    seriesKey: id.key,
    name: id.name,
    labels: { ...id.labels },
    serviceName: id.serviceName,
    unit: id.unit,
    windowStartUnixNano: BigInt(w.start) * NS_PER_MS,
    windowEndUnixNano: BigInt(w.start + resolutionMs) * NS_PER_MS,
    kind: id.kind,
    count: BigInt(w.count),
    sum: w.sum,
    min: w.min,
    max: w.max,
    last: w.last,
    increase,
    rate: increase === null ? null : increase / (resolutionMs / MS_PER_S),
    resets: w.resets,
    histogram: w.bounds !== null && w.buckets !== null ? { explicitBounds: [...w.bounds], bucketCounts: w.buckets.map((c) => BigInt(c)) } : null,
    exponentialHistogram:
      w.exp === null
        ? null
        : {
            scale: w.exp.scale,
            zeroCount: BigInt(w.exp.zeroCount),
            zeroThreshold: w.exp.zeroThreshold,
            positive: { offset: w.exp.positive.offset, bucketCounts: w.exp.positive.counts.map((c) => BigInt(c)) },
            negative: { offset: w.exp.negative.offset, bucketCounts: w.exp.negative.counts.map((c) => BigInt(c)) },
          },
    quantiles: estimated,
    overflow: id.overflow,
    sourceTopic: id.sourceTopic,
    revision: w.emitted,
    shard: id.shard,
  };
}
