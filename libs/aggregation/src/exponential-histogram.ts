// Exponential (base-2) histograms in plain numbers: scale reduction, zero-bucket widening, merge, the
// cumulative-to-delta difference and the quantile estimate. Bucket i at scale s covers (2^(i·2^-s), 2^((i+1)·2^-s)].
// Counts are JavaScript numbers: exact up to 2^53 observations.

export interface ExpBuckets {
  offset: number;
  counts: number[];
}

export interface ExpHistogram {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExpBuckets;
  negative: ExpBuckets;
}

/** Index of the bucket at scale − k that holds bucket `index` (floor division by 2^k, also for negatives). */
function reduceIndex(index: number, k: number): number {
  return Math.floor(index / 2 ** k);
}

function lowerBound(index: number, scale: number): number {
  return 2 ** (index * 2 ** -scale);
}

export function cloneExp(h: ExpHistogram): ExpHistogram {
  return {
    scale: h.scale,
    zeroCount: h.zeroCount,
    zeroThreshold: h.zeroThreshold,
    positive: { offset: h.positive.offset, counts: [...h.positive.counts] },
    negative: { offset: h.negative.offset, counts: [...h.negative.counts] },
  };
}

/** Drops empty buckets at both ends so that spans measure only what holds observations. */
function trim(b: ExpBuckets): ExpBuckets {
  let first = 0;
  let last = b.counts.length - 1;
  while (first <= last && b.counts[first] === 0) first++;
  while (last >= first && b.counts[last] === 0) last--;
  if (first > last) return { offset: 0, counts: [] };
  if (first === 0 && last === b.counts.length - 1) return b;
  return { offset: b.offset + first, counts: b.counts.slice(first, last + 1) };
}

function downscaleBuckets(b: ExpBuckets, k: number): ExpBuckets {
  if (k === 0 || b.counts.length === 0) return b;
  const first = reduceIndex(b.offset, k);
  const counts = new Array<number>(reduceIndex(b.offset + b.counts.length - 1, k) - first + 1).fill(0);
  for (let i = 0; i < b.counts.length; i++) counts[reduceIndex(b.offset + i, k) - first] += b.counts[i];
  return { offset: first, counts };
}

/** The histogram at `scale` (not above its own): each group of 2^k neighbouring buckets becomes one. */
export function downscale(h: ExpHistogram, scale: number): ExpHistogram {
  const k = h.scale - scale;
  if (k <= 0) return h;
  return { ...h, scale, positive: downscaleBuckets(h.positive, k), negative: downscaleBuckets(h.negative, k) };
}

/**
 * Moves the buckets that reach below `threshold` into the zero bucket, as Prometheus does when zero buckets of
 * different widths meet; the threshold grows to the upper bound of the last bucket moved.
 */
export function widenZeroBucket(h: ExpHistogram, threshold: number): ExpHistogram {
  if (threshold <= h.zeroThreshold) return h;
  let zt = threshold;
  let zeroCount = h.zeroCount;
  const cut = (b: ExpBuckets): ExpBuckets => {
    let i = 0;
    while (i < b.counts.length && lowerBound(b.offset + i, h.scale) < zt) {
      zeroCount += b.counts[i];
      zt = Math.max(zt, lowerBound(b.offset + i + 1, h.scale));
      i++;
    }
    return i === 0 ? b : { offset: b.offset + i, counts: b.counts.slice(i) };
  };
  let positive = h.positive;
  let negative = h.negative;
  // One side widening past a bucket boundary may reach buckets of the other side: repeat until stable.
  for (;;) {
    const before = zt;
    positive = cut(positive);
    negative = cut(negative);
    if (zt === before) break;
  }
  return { scale: h.scale, zeroCount, zeroThreshold: zt, positive, negative };
}

function spanAt(a: ExpBuckets, b: ExpBuckets, k: number): number {
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of [a, b]) {
    if (x.counts.length === 0) continue;
    lo = Math.min(lo, reduceIndex(x.offset, k));
    hi = Math.max(hi, reduceIndex(x.offset + x.counts.length - 1, k));
  }
  return hi >= lo ? hi - lo + 1 : 0;
}

/** The largest scale ≤ `scale` at which both histograms' buckets fit in `maxBuckets` per sign. */
function fittingScale(a: ExpHistogram, b: ExpHistogram, scale: number, maxBuckets: number): number {
  let s = scale;
  const aa = downscale(a, s);
  const bb = downscale(b, s);
  while (spanAt(aa.positive, bb.positive, scale - s) > maxBuckets || spanAt(aa.negative, bb.negative, scale - s) > maxBuckets) s--;
  return s;
}

function addBuckets(a: ExpBuckets, b: ExpBuckets): ExpBuckets {
  if (b.counts.length === 0) return a;
  if (a.counts.length === 0) return { offset: b.offset, counts: [...b.counts] };
  const lo = Math.min(a.offset, b.offset);
  const hi = Math.max(a.offset + a.counts.length, b.offset + b.counts.length);
  const counts = new Array<number>(hi - lo).fill(0);
  for (let i = 0; i < a.counts.length; i++) counts[a.offset - lo + i] += a.counts[i];
  for (let i = 0; i < b.counts.length; i++) counts[b.offset - lo + i] += b.counts[i];
  return { offset: lo, counts };
}

/** Brings two histograms to one scale (the smaller, reduced further to fit maxBuckets) and one zero bucket. */
function align(a: ExpHistogram, b: ExpHistogram, maxBuckets: number): [ExpHistogram, ExpHistogram] {
  const scale = fittingScale(a, b, Math.min(a.scale, b.scale), maxBuckets);
  let x = downscale(a, scale);
  let y = downscale(b, scale);
  x = widenZeroBucket(x, y.zeroThreshold);
  y = widenZeroBucket(y, x.zeroThreshold);
  x = widenZeroBucket(x, y.zeroThreshold);
  return [x, y];
}

/** a + b: a new histogram, inputs untouched. */
export function mergeExp(a: ExpHistogram, b: ExpHistogram, maxBuckets: number): ExpHistogram {
  const [x, y] = align(trimmed(a), trimmed(b), maxBuckets);
  return {
    scale: x.scale,
    zeroCount: x.zeroCount + y.zeroCount,
    zeroThreshold: x.zeroThreshold,
    positive: addBuckets(x.positive, y.positive),
    negative: addBuckets(x.negative, y.negative),
  };
}

/** The histogram reduced until it fits maxBuckets per sign (used for a window's first point). */
export function fitExp(h: ExpHistogram, maxBuckets: number): ExpHistogram {
  const t = trimmed(h);
  return downscale(t, fittingScale(t, t, t.scale, maxBuckets));
}

function trimmed(h: ExpHistogram): ExpHistogram {
  return { ...h, positive: trim(h.positive), negative: trim(h.negative) };
}

function subtractBuckets(cur: ExpBuckets, prev: ExpBuckets): ExpBuckets | undefined {
  const counts = [...cur.counts];
  for (let i = 0; i < prev.counts.length; i++) {
    if (prev.counts[i] === 0) continue;
    const j = prev.offset + i - cur.offset;
    if (j < 0 || j >= counts.length) return undefined;
    counts[j] -= prev.counts[i];
    if (counts[j] < 0) return undefined;
  }
  return trim({ offset: cur.offset, counts });
}

/** cur − prev of two cumulative points after aligning them, or undefined when any count went down (a reset). */
export function subtractExp(cur: ExpHistogram, prev: ExpHistogram, maxBuckets: number): ExpHistogram | undefined {
  const [x, y] = align(trimmed(cur), trimmed(prev), maxBuckets);
  const zeroCount = x.zeroCount - y.zeroCount;
  if (zeroCount < 0) return undefined;
  const positive = subtractBuckets(x.positive, y.positive);
  const negative = subtractBuckets(x.negative, y.negative);
  if (!positive || !negative) return undefined;
  return { scale: x.scale, zeroCount, zeroThreshold: x.zeroThreshold, positive, negative };
}

function totalOf(h: ExpHistogram): number {
  let n = h.zeroCount;
  for (const c of h.positive.counts) n += c;
  for (const c of h.negative.counts) n += c;
  return n;
}

/**
 * The q-quantile as Prometheus estimates it for native histograms: the bucket holding rank q·count is found
 * walking from the most negative bucket up; within an exponential bucket the value is interpolated
 * exponentially, within the zero bucket linearly (from 0 when only positive buckets exist, to 0 when only
 * negative ones do). NaN for q NaN or no observations; -Inf for q < 0, +Inf for q > 1.
 */
export function expQuantile(q: number, h: ExpHistogram): number {
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const total = totalOf(h);
  if (Number.isNaN(q) || total === 0) return NaN;
  const rank = q * total;
  const unit = 2 ** -h.scale;
  const hasNegative = h.negative.counts.some((c) => c > 0);
  const hasPositive = h.positive.counts.some((c) => c > 0);
  let cumulative = 0;
  for (let i = h.negative.counts.length - 1; i >= 0; i--) {
    const c = h.negative.counts[i];
    if (c === 0) continue;
    cumulative += c;
    if (cumulative >= rank) {
      const fraction = (rank - (cumulative - c)) / c;
      return -(2 ** ((h.negative.offset + i + 1 - fraction) * unit));
    }
  }
  if (h.zeroCount > 0) {
    cumulative += h.zeroCount;
    if (cumulative >= rank) {
      const lower = hasPositive && !hasNegative ? 0 : -h.zeroThreshold;
      const upper = hasNegative && !hasPositive ? 0 : h.zeroThreshold;
      const fraction = (rank - (cumulative - h.zeroCount)) / h.zeroCount;
      return lower + (upper - lower) * fraction;
    }
  }
  let lastIndex = 0;
  for (let i = 0; i < h.positive.counts.length; i++) {
    const c = h.positive.counts[i];
    if (c === 0) continue;
    lastIndex = h.positive.offset + i;
    cumulative += c;
    if (cumulative >= rank) {
      const fraction = (rank - (cumulative - c)) / c;
      return 2 ** ((lastIndex + fraction) * unit);
    }
  }
  // Rounding can leave the rank a hair above the last bucket: answer its upper bound.
  return 2 ** ((lastIndex + 1) * unit);
}
