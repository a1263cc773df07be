/**
 * The rules a metric data point can fail on its own, each one a MUST of metrics.proto: a number point has a
 * value (unless flagged no-recorded-value); histogram buckets match their bounds, the bounds increase, the
 * buckets add up to the count; exponential histogram buckets and the zero count add up to the count; summary
 * quantiles lie in [0, 1], increase, and have no negative value; exemplars have a value and ids of the right
 * length. A failing point is rejected alone (OTLP partial success); each check returns the reason, or
 * undefined when the point is valid.
 */
import { checkOtlpIds } from './otlp-id';
import {
  DATA_POINT_FLAG_NO_RECORDED_VALUE,
  type OtlpExponentialHistogramPointValues,
  type OtlpHistogramPointValues,
  type OtlpNumberPointValues,
  type OtlpSummaryPointValues,
} from './otlp-metrics.model';
import type { OtlpExemplarData, OtlpPointData } from './otlp-metrics-request.model';

export function checkNumberPoint(p: OtlpPointData<OtlpNumberPointValues>): string | undefined {
  if (p.values.value === null && (p.flags & DATA_POINT_FLAG_NO_RECORDED_VALUE) === 0) {
    return 'has no value: neither asDouble nor asInt is set (and the point is not flagged no-recorded-value)';
  }
  return checkExemplars(p.exemplars);
}

export function checkHistogramPoint(p: OtlpPointData<OtlpHistogramPointValues>): string | undefined {
  const { bucketCounts, explicitBounds, count } = p.values;
  if (bucketCounts.length === 0 && explicitBounds.length > 0) {
    return `explicitBounds has ${explicitBounds.length} entries but bucketCounts is empty`;
  }
  if (bucketCounts.length > 0 && bucketCounts.length !== explicitBounds.length + 1) {
    return `bucketCounts has ${bucketCounts.length} entries, expected ${explicitBounds.length + 1} (explicitBounds has ${explicitBounds.length})`;
  }
  const unordered = firstNotIncreasing(explicitBounds);
  if (unordered !== undefined) return `explicitBounds are not strictly increasing (at index ${unordered})`;
  if (bucketCounts.length > 0) {
    const total = sum(bucketCounts);
    if (total !== count) return `bucketCounts add up to ${total}, but count is ${count}`;
  }
  return checkExemplars(p.exemplars);
}

export function checkExponentialHistogramPoint(p: OtlpPointData<OtlpExponentialHistogramPointValues>): string | undefined {
  const { positive, negative, zeroCount, count } = p.values;
  const total = zeroCount + sum(positive.bucketCounts) + sum(negative.bucketCounts);
  if (total !== count) {
    return `zeroCount and the positive and negative bucketCounts add up to ${total}, but count is ${count}`;
  }
  return checkExemplars(p.exemplars);
}

export function checkSummaryPoint(p: OtlpPointData<OtlpSummaryPointValues>): string | undefined {
  const quantiles = p.values.quantileValues;
  for (const [i, q] of quantiles.entries()) {
    if (!(q.quantile >= 0 && q.quantile <= 1)) return `quantileValues[${i}].quantile ${q.quantile} is outside [0, 1]`;
    if (q.value < 0) return `quantileValues[${i}].value ${q.value} is negative`;
  }
  const unordered = firstNotIncreasing(quantiles.map((q) => q.quantile));
  if (unordered !== undefined) return `quantileValues are not in strictly increasing quantile order (at index ${unordered})`;
  return undefined;
}

function checkExemplars(exemplars: readonly OtlpExemplarData[]): string | undefined {
  for (const [i, e] of exemplars.entries()) {
    if (e.value === null) return `exemplars[${i}] has no value: neither asDouble nor asInt is set`;
    const ids = checkOtlpIds(e.traceId, e.spanId);
    if (ids !== undefined) return `exemplars[${i}].${ids}`;
  }
  return undefined;
}

/** Index of the first value not greater than the one before it (NaN never is), or undefined. */
function firstNotIncreasing(values: readonly number[]): number | undefined {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? NaN;
    if (Number.isNaN(v) || (i > 0 && !(v > (values[i - 1] ?? NaN)))) return i;
  }
  return undefined;
}

function sum(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}
