// Turns one sample into what it adds to its window, using (and updating) the series' continuity: cumulative
// points become deltas against the series' previous point, with counter resets detected.
//
// First point of a cumulative series (or the first after a stale marker): when its startTimeUnixNano is set and
// lies within the sample's window of the largest resolution (OpenTelemetry's created time: the series began
// there), its whole value counts as increase; when startTimeUnixNano is 0 (Prometheus) or older, it is only
// the baseline for the next point and adds no increase.
// A cumulative point older than the series' previous point is counted in its window but adds no increase:
// the increase it would explain was already given to the newer point's window.
import type { MetricSample, RollupKind } from '@sextant/contracts';
import { sameBounds, subtractBuckets } from './explicit-histogram';
import { subtractExp, type ExpHistogram } from './exponential-histogram';
import type { Continuity, Series } from './series-state';
import type { Contribution } from './window';

export function rollupKindOf(sample: Pick<MetricSample, 'type' | 'isMonotonic'>): RollupKind {
  switch (sample.type) {
    case 'GAUGE':
      return 'GAUGE';
    case 'SUM':
      return sample.isMonotonic ? 'COUNTER' : 'UPDOWN_COUNTER';
    case 'SUMMARY':
      return 'SUMMARY';
    default:
      return 'HISTOGRAM';
  }
}

function base(timeNs: bigint): Contribution {
  return {
    timeNs,
    count: 0,
    sum: 0,
    min: null,
    max: null,
    last: null,
    increase: null,
    resets: 0,
    bounds: null,
    buckets: null,
    exp: null,
    quantiles: null,
  };
}

export function gaugeContribution(timeNs: bigint, value: number): Contribution {
  const c = base(timeNs);
  c.count = 1;
  c.sum = value;
  c.min = value;
  c.max = value;
  c.last = value;
  return c;
}

/** A delta counter increment (log-derived counts): `n` samples adding `n` to the running total. */
export function deltaCountContribution(series: Series, timeNs: bigint, n: number): Contribution {
  series.total += n;
  const c = base(timeNs);
  c.count = n;
  c.sum = n;
  c.increase = n;
  c.last = series.total;
  c.min = series.total;
  c.max = series.total;
  return c;
}

/** What an overflowed sample adds to its metric's overflow series (deltas of cumulative input are unknown). */
export function overflowContribution(sample: MetricSample): Contribution {
  const c = base(sample.timeUnixNano);
  if (sample.type === 'GAUGE') return gaugeContribution(sample.timeUnixNano, sample.value);
  if (sample.type === 'SUM') {
    // Deltas of cumulative input need the series' previous point, which a refused series does not keep.
    c.count = 1;
    if (sample.temporality === 'DELTA') {
      c.sum = sample.value;
      if (sample.isMonotonic) c.increase = sample.value;
    }
    return c;
  }
  if (sample.temporality === 'DELTA' && sample.histogram) return wholeHistogram(c, sample);
  if (sample.temporality === 'DELTA' && sample.exponentialHistogram) return wholeExp(c, sample.exponentialHistogram);
  return c;
}

export interface ContributionContext {
  /** Start (ms) of the sample's window of the largest resolution. */
  coarsestWindowStartMs: number;
  maxExpBuckets: number;
}

function createdInWindow(sample: MetricSample, ctx: ContributionContext): boolean {
  return sample.startTimeUnixNano > 0n && sample.startTimeUnixNano >= BigInt(ctx.coarsestWindowStartMs) * 1_000_000n;
}

function sumContribution(series: Series, sample: MetricSample, ctx: ContributionContext): Contribution {
  const c = base(sample.timeUnixNano);
  const v = sample.value;
  const counter = series.kind === 'COUNTER';
  c.count = 1;
  let delta: number;
  let last: number;
  if (sample.temporality === 'DELTA') {
    series.total += v;
    delta = v;
    last = series.total;
  } else {
    const prev = series.continuity;
    last = v;
    if (prev === null) delta = createdInWindow(sample, ctx) ? v : 0;
    else if (sample.timeUnixNano < prev.timeNs) delta = 0;
    else if ((prev.startNs !== sample.startTimeUnixNano && prev.startNs > 0n && sample.startTimeUnixNano > 0n) || (counter && v < prev.value)) {
      delta = v;
      c.resets = 1;
    } else delta = v - prev.value;
    if (prev === null || sample.timeUnixNano >= prev.timeNs) series.continuity = scalarContinuity(sample, v, 0, 0);
  }
  c.sum = delta;
  if (counter) c.increase = delta;
  c.last = last;
  c.min = last;
  c.max = last;
  return c;
}

function scalarContinuity(sample: MetricSample, value: number, count: number, sum: number): Continuity {
  return { timeNs: sample.timeUnixNano, startNs: sample.startTimeUnixNano, value, count, sum, bounds: null, buckets: null, exp: null, min: null, max: null };
}

function wholeHistogram(c: Contribution, sample: MetricSample): Contribution {
  const h = sample.histogram;
  if (!h) return c;
  c.count = Number(h.count);
  c.sum = h.sum;
  c.min = h.min;
  c.max = h.max;
  c.bounds = h.explicitBounds;
  c.buckets = h.bucketCounts.map(Number);
  return c;
}

function wholeExp(c: Contribution, e: NonNullable<MetricSample['exponentialHistogram']>): Contribution {
  c.count = Number(e.count);
  c.sum = e.sum;
  c.min = e.min;
  c.max = e.max;
  c.exp = expOf(e);
  return c;
}

function expOf(e: NonNullable<MetricSample['exponentialHistogram']>): ExpHistogram {
  return {
    scale: e.scale,
    zeroCount: Number(e.zeroCount),
    zeroThreshold: e.zeroThreshold,
    positive: { offset: e.positive.offset, counts: e.positive.bucketCounts.map(Number) },
    negative: { offset: e.negative.offset, counts: e.negative.bucketCounts.map(Number) },
  };
}

/** Shared shape of the cumulative histogram-like kinds: first point, out of order, reset, or a delta. */
function cumulativeStep(series: Series, sample: MetricSample, ctx: ContributionContext, count: number): 'first' | 'old' | 'reset' | 'delta' {
  const prev = series.continuity;
  if (prev === null) return createdInWindow(sample, ctx) ? 'reset' : 'first';
  if (sample.timeUnixNano < prev.timeNs) return 'old';
  if (prev.startNs !== sample.startTimeUnixNano && prev.startNs > 0n && sample.startTimeUnixNano > 0n) return 'reset';
  if (count < prev.count) return 'reset';
  return 'delta';
}

function histogramContribution(series: Series, sample: MetricSample, ctx: ContributionContext): Contribution {
  const c = base(sample.timeUnixNano);
  const h = sample.histogram;
  if (!h) return c;
  if (sample.temporality === 'DELTA') return wholeHistogram(c, sample);
  const count = Number(h.count);
  const buckets = h.bucketCounts.map(Number);
  let step = cumulativeStep(series, sample, ctx, count);
  const prev = series.continuity;
  let deltas: number[] | undefined;
  if (step === 'delta' && prev !== null) {
    deltas = prev.bounds !== null && prev.buckets !== null && sameBounds(prev.bounds, h.explicitBounds) ? subtractBuckets(buckets, prev.buckets) : undefined;
    if (deltas === undefined) step = 'reset';
  }
  if (step !== 'old') series.continuity = { ...scalarContinuity(sample, 0, count, h.sum), bounds: h.explicitBounds, buckets, min: h.min, max: h.max };
  if (step === 'reset') {
    c.resets = prev !== null ? 1 : 0;
    return wholeHistogram(c, sample);
  }
  c.bounds = h.explicitBounds;
  if (step === 'delta' && prev !== null && deltas !== undefined) {
    c.count = count - prev.count;
    c.sum = h.sum - prev.sum;
    c.buckets = deltas;
    extremesSince(c, prev, h.min, h.max);
  } else c.buckets = buckets.map(() => 0);
  return c;
}

/**
 * A cumulative point's min and max cover the series' whole life, so they say something about the interval
 * since the previous point only when they moved: a new max is a value seen in that interval, and larger than
 * any other of it (likewise a new min). Otherwise the interval's extremes are unknown and stay null.
 */
function extremesSince(c: Contribution, prev: Continuity, min: number | null, max: number | null): void {
  if (max !== null && prev.max !== null && max > prev.max) c.max = max;
  if (min !== null && prev.min !== null && min < prev.min) c.min = min;
}

function expContribution(series: Series, sample: MetricSample, ctx: ContributionContext): Contribution {
  const c = base(sample.timeUnixNano);
  const e = sample.exponentialHistogram;
  if (!e) return c;
  if (sample.temporality === 'DELTA') return wholeExp(c, e);
  const count = Number(e.count);
  const point = expOf(e);
  let step = cumulativeStep(series, sample, ctx, count);
  const prev = series.continuity;
  let delta: ExpHistogram | undefined;
  if (step === 'delta' && prev !== null) {
    delta = prev.exp !== null ? subtractExp(point, prev.exp, ctx.maxExpBuckets) : undefined;
    if (delta === undefined) step = 'reset';
  }
  if (step !== 'old') series.continuity = { ...scalarContinuity(sample, 0, count, e.sum), exp: point, min: e.min, max: e.max };
  if (step === 'reset') {
    c.resets = prev !== null ? 1 : 0;
    return wholeExp(c, e);
  }
  if (step === 'delta' && prev !== null && delta !== undefined) {
    c.count = count - prev.count;
    c.sum = e.sum - prev.sum;
    c.exp = delta;
    extremesSince(c, prev, e.min, e.max);
  }
  return c;
}

function summaryContribution(series: Series, sample: MetricSample, ctx: ContributionContext): Contribution {
  const c = base(sample.timeUnixNano);
  const s = sample.summary;
  if (!s) return c;
  c.quantiles = s.quantiles.map((q) => ({ quantile: q.quantile, value: q.value }));
  const count = Number(s.count);
  if (sample.temporality === 'DELTA') {
    c.count = count;
    c.sum = s.sum;
    return c;
  }
  const step = cumulativeStep(series, sample, ctx, count);
  const prev = series.continuity;
  if (step !== 'old') series.continuity = scalarContinuity(sample, 0, count, s.sum);
  if (step === 'reset') {
    c.resets = prev !== null ? 1 : 0;
    c.count = count;
    c.sum = s.sum;
  } else if (step === 'delta' && prev !== null) {
    c.count = count - prev.count;
    c.sum = s.sum - prev.sum;
  }
  return c;
}

/** What the sample adds to its window; updates the series' continuity. The sample's kind matches the series'. */
export function contributionOf(series: Series, sample: MetricSample, ctx: ContributionContext): Contribution {
  switch (sample.type) {
    case 'GAUGE':
      return gaugeContribution(sample.timeUnixNano, sample.value);
    case 'SUM':
      return sumContribution(series, sample, ctx);
    case 'HISTOGRAM':
      return histogramContribution(series, sample, ctx);
    case 'EXPONENTIAL_HISTOGRAM':
      return expContribution(series, sample, ctx);
    case 'SUMMARY':
      return summaryContribution(series, sample, ctx);
  }
}
