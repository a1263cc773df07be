// Explicit-bucket histograms: the quantile estimate of Prometheus's histogram_quantile for classic buckets,
// applied to the per-bucket (not cumulative) counts of MetricSample/MetricRollup.

/**
 * The q-quantile of a histogram with upper bounds `bounds` (ascending, +Inf implied) and per-bucket `counts`
 * (one more than bounds), as Prometheus's histogram_quantile computes it for classic buckets: linear
 * interpolation within the bucket holding rank q·count; the lowest bucket starts at 0 when its upper bound is
 * positive, else its upper bound is the answer; a rank in the +Inf bucket answers the highest finite bound.
 * NaN for q NaN, no observations or fewer than two buckets; -Inf for q < 0, +Inf for q > 1.
 */
export function bucketQuantile(q: number, bounds: readonly number[], counts: readonly number[]): number {
  if (Number.isNaN(q)) return NaN;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  // Cumulative (le) buckets, equal bounds coalesced as Prometheus does.
  const upper: number[] = [];
  const cumulative: number[] = [];
  let running = 0;
  for (let i = 0; i < counts.length; i++) {
    running += counts[i];
    const bound = i < bounds.length ? bounds[i] : Infinity;
    if (upper.length > 0 && upper[upper.length - 1] === bound) cumulative[cumulative.length - 1] = running;
    else {
      upper.push(bound);
      cumulative.push(running);
    }
  }
  if (upper.length < 2) return NaN;
  const observations = cumulative[cumulative.length - 1];
  if (observations === 0) return NaN;
  let rank = q * observations;
  // First bucket (the +Inf one excluded) whose cumulative count reaches the rank.
  let b = 0;
  while (b < upper.length - 1 && cumulative[b] < rank) b++;
  if (b === upper.length - 1) return upper[upper.length - 2];
  if (b === 0 && upper[0] <= 0) return upper[0];
  let start = 0;
  let count = cumulative[b];
  if (b > 0) {
    start = upper[b - 1];
    count -= cumulative[b - 1];
    rank -= cumulative[b - 1];
  }
  return start + (upper[b] - start) * (rank / count);
}

export function sameBounds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** cur − prev bucket by bucket, or undefined when a bucket went down (a reset). Bounds must be equal. */
export function subtractBuckets(cur: readonly number[], prev: readonly number[]): number[] | undefined {
  if (cur.length !== prev.length) return undefined;
  const out = new Array<number>(cur.length);
  for (let i = 0; i < cur.length; i++) {
    const d = cur[i] - prev[i];
    if (d < 0) return undefined;
    out[i] = d;
  }
  return out;
}
