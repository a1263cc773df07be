/**
 * Native histogram validation as Prometheus's TSDB applies it before appending (model/histogram Histogram.Validate
 * and FloatHistogram.Validate, reached from the remote-write handler through the appender): a schema of -4..8
 * (exponential) or -53 (custom buckets); spans that add up to the number of buckets given; no negative bucket
 * count; custom bounds strictly increasing, finite, not NaN and enough for the spans; no zero bucket, negative
 * buckets or negative spans with custom buckets; no custom bounds with an exponential schema; and for integer
 * histograms a count equal to the buckets' total (at least it, when the sum is NaN). Float histograms are not
 * checked against their count, as in Prometheus.
 *
 * Schemas 9..52 are reserved exponential schemas: Prometheus accepts them by reducing the resolution to 8
 * before validating. They are validated here with the exponential rules and passed on unchanged; a consumer
 * that needs schema ≤ 8 reduces the resolution itself.
 */
import { CUSTOM_BUCKETS_SCHEMA, type BucketSpan, type NativeHistogram } from './remote-write.model';

const EXPONENTIAL_MIN = -4;
const EXPONENTIAL_MAX = 8;
const EXPONENTIAL_MAX_RESERVED = 52;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Why Prometheus would refuse this histogram, or undefined when it is valid. */
export function nativeHistogramProblem(h: NativeHistogram): string | undefined {
  const positive = h.kind === 'integer' ? h.positiveDeltas : h.positiveCounts;
  const negative = h.kind === 'integer' ? h.negativeDeltas : h.negativeCounts;
  const deltas = h.kind === 'integer';
  let negativeTotal = 0;
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    const bounds = customBoundsProblem(h.customValues, h.positiveSpans, positive.length);
    if (bounds !== undefined) return `custom buckets: ${bounds}`;
    if (h.zeroCount !== 0) return 'custom buckets: must have zero count of 0';
    if (h.zeroThreshold !== 0) return 'custom buckets: must have zero threshold of 0';
    if (h.negativeSpans.length > 0) return 'custom buckets: must not have negative spans';
    if (negative.length > 0) return 'custom buckets: must not have negative buckets';
  } else if (h.schema >= EXPONENTIAL_MIN && h.schema <= EXPONENTIAL_MAX_RESERVED) {
    const pos = spansProblem(h.positiveSpans, positive.length);
    if (pos !== undefined) return `positive side: ${pos}`;
    const neg = spansProblem(h.negativeSpans, negative.length);
    if (neg !== undefined) return `negative side: ${neg}`;
    const total = bucketsTotal(negative, deltas);
    if (typeof total === 'string') return `negative side: ${total}`;
    negativeTotal = total;
    if (h.kind === 'float' && h.zeroCount < 0) {
      return `zero bucket has observation count of ${h.zeroCount}: histogram has a bucket whose observation count is negative`;
    }
    if (h.customValues.length > 0) return 'histogram with exponential schema must not have custom bounds';
  } else {
    return (
      `histogram has an invalid schema, which must be between ${EXPONENTIAL_MIN} and ${EXPONENTIAL_MAX} for exponential buckets, ` +
      `or ${CUSTOM_BUCKETS_SCHEMA} for custom buckets, got schema ${h.schema}`
    );
  }
  if (h.kind === 'float' && h.count < 0) return `observation count is ${h.count}: histogram's observation count is negative`;
  const positiveTotal = bucketsTotal(positive, deltas);
  if (typeof positiveTotal === 'string') return `positive side: ${positiveTotal}`;
  if (h.kind === 'integer') {
    const inBuckets = negativeTotal + positiveTotal + h.zeroCount;
    if (Number.isNaN(h.sum)) {
      if (inBuckets > h.count) {
        return `${inBuckets} observations found in buckets, but the Count field is ${h.count}: histogram's observation count should be at least the number of observations found in the buckets`;
      }
    } else if (inBuckets !== h.count) {
      return `${inBuckets} observations found in buckets, but the Count field is ${h.count}: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)`;
    }
  }
  return undefined;
}

function spansProblem(spans: readonly BucketSpan[], buckets: number): string | undefined {
  let spanBuckets = 0;
  let endIndex = 0;
  for (let n = 0; n < spans.length; n++) {
    const { offset, length } = spans[n] as BucketSpan;
    if (n > 0 && offset < 0) return `span number ${n + 1} with offset ${offset}: histogram has a span whose offset is negative`;
    if (n === 0 && offset === INT32_MIN) {
      return `span number ${n + 1} starts at bucket index ${offset}: histogram has a span whose bucket index is out of range`;
    }
    spanBuckets += length;
    endIndex += offset + length;
    if (endIndex - 1 > INT32_MAX) {
      return `span number ${n + 1} ends at bucket index ${endIndex - 1}: histogram has a span whose bucket index is out of range`;
    }
  }
  if (spanBuckets !== buckets) {
    return `spans need ${spanBuckets} buckets, have ${buckets} buckets: histogram spans specify different number of buckets than provided`;
  }
  return undefined;
}

/** The buckets' total observation count, or why a bucket is negative. */
function bucketsTotal(buckets: readonly number[], deltas: boolean): number | string {
  let total = 0;
  let last = 0;
  for (let i = 0; i < buckets.length; i++) {
    const count = deltas ? last + (buckets[i] as number) : (buckets[i] as number);
    if (count < 0) return `bucket number ${i + 1} has observation count of ${count}: histogram has a bucket whose observation count is negative`;
    last = count;
    total += count;
  }
  return total;
}

function customBoundsProblem(bounds: readonly number[], spans: readonly BucketSpan[], buckets: number): string | undefined {
  let previous = -Infinity;
  for (let i = 0; i < bounds.length; i++) {
    const bound = bounds[i] as number;
    if (Number.isNaN(bound)) return 'histogram custom bounds must not be NaN';
    if (i > 0 && bound <= previous) {
      return `previous bound is ${previous} and current is ${bound}: histogram custom bounds must be in strictly increasing order`;
    }
    previous = bound;
  }
  if (previous === Infinity) return 'last +Inf bound must not be explicitly defined: histogram custom bounds must be finite';
  let spanBuckets = 0;
  let totalSpanLength = 0;
  for (let n = 0; n < spans.length; n++) {
    const { offset, length } = spans[n] as BucketSpan;
    if (offset < 0) return `span number ${n + 1} with offset ${offset}: histogram has a span whose offset is negative`;
    spanBuckets += length;
    totalSpanLength += length + offset;
  }
  if (spanBuckets !== buckets) {
    return `spans need ${spanBuckets} buckets, have ${buckets} buckets: histogram spans specify different number of buckets than provided`;
  }
  if (bounds.length + 1 < totalSpanLength) {
    return `only ${bounds.length} custom bounds defined which is insufficient to cover total span length of ${totalSpanLength}: histogram custom bounds are too few`;
  }
  return undefined;
}
