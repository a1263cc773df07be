/**
 * The decoded shape of an OTLP metrics export request, independent of its encoding and not yet validated.
 * The protobuf and the JSON readers both produce it, so one mapper checks and flattens it and the two
 * encodings cannot drift apart. Values are already in their final form (bigint, null for optional fields not
 * sent); attributes, ids and enums are still as sent; what a reader could not take is carried as a rejection
 * with its reason.
 */
import type { OtlpId, OtlpKeyValue } from './otlp-common.model';
import type {
  OtlpExponentialHistogramPointValues,
  OtlpHistogramPointValues,
  OtlpNumberPointValues,
  OtlpMetricType,
  OtlpSummaryPointValues,
} from './otlp-metrics.model';

/** Where a metric sits in the request (indices), kept as numbers so no path string is built per metric. */
export interface OtlpMetricLocation {
  readonly resourceIndex: number;
  readonly scopeIndex: number;
  readonly metricIndex: number;
}

/** The OTLP/JSON key of each data type's member of Metric. */
export const METRIC_DATA_KEY: Readonly<Record<OtlpMetricType, string>> = {
  gauge: 'gauge',
  sum: 'sum',
  histogram: 'histogram',
  exponential_histogram: 'exponentialHistogram',
  summary: 'summary',
};

/** `resourceMetrics[0].scopeMetrics[1].metrics[2]`: the metric's path in OTLP/JSON spelling. */
export function formatOtlpMetricLocation(at: OtlpMetricLocation): string {
  return `resourceMetrics[${at.resourceIndex}].scopeMetrics[${at.scopeIndex}].metrics[${at.metricIndex}]`;
}

export interface OtlpExemplarData {
  readonly filteredAttributes: readonly OtlpKeyValue[];
  readonly timeUnixNano: bigint;
  /** null when neither as_double nor as_int is set (invalid). */
  readonly value: number | bigint | null;
  readonly traceId: OtlpId;
  readonly spanId: OtlpId;
}

/** One data point as sent; `values` holds its type's own fields. */
export interface OtlpPointData<V> {
  readonly kind: 'point';
  readonly attributes: readonly OtlpKeyValue[];
  readonly startTimeUnixNano: bigint;
  readonly timeUnixNano: bigint;
  readonly flags: number;
  readonly exemplars: readonly OtlpExemplarData[];
  readonly values: V;
}

/** A point the reader could not take (a negative count or a non-hex id in OTLP/JSON). */
export interface OtlpRejectedPoint {
  readonly kind: 'rejected';
  readonly reason: string;
}

export type OtlpPointEntry<V> = OtlpPointData<V> | OtlpRejectedPoint;

/** Metric.data: which type was set, with its points; `none` when no data type known to this schema was. */
export type OtlpMetricBody =
  | { readonly type: 'gauge'; readonly points: readonly OtlpPointEntry<OtlpNumberPointValues>[] }
  | {
      readonly type: 'sum';
      readonly temporality: number;
      readonly isMonotonic: boolean;
      readonly points: readonly OtlpPointEntry<OtlpNumberPointValues>[];
    }
  | {
      readonly type: 'histogram';
      readonly temporality: number;
      readonly points: readonly OtlpPointEntry<OtlpHistogramPointValues>[];
    }
  | {
      readonly type: 'exponential_histogram';
      readonly temporality: number;
      readonly points: readonly OtlpPointEntry<OtlpExponentialHistogramPointValues>[];
    }
  | { readonly type: 'summary'; readonly points: readonly OtlpPointEntry<OtlpSummaryPointValues>[] }
  | { readonly type: 'none' };

export interface OtlpMetricData {
  readonly location: OtlpMetricLocation;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly body: OtlpMetricBody;
  /** Why the reader refused the whole metric (an unknown temporality name in OTLP/JSON), if it did. */
  readonly rejected?: string;
}

export interface OtlpScopeMetricsData {
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly scopeAttributes: readonly OtlpKeyValue[];
  readonly schemaUrl: string;
  readonly metrics: readonly OtlpMetricData[];
}

export interface OtlpResourceMetricsData {
  readonly resource: readonly OtlpKeyValue[];
  readonly schemaUrl: string;
  readonly scopeMetrics: readonly OtlpScopeMetricsData[];
}

/** A whole ExportMetricsServiceRequest. */
export interface OtlpMetricsRequestData {
  readonly resourceMetrics: readonly OtlpResourceMetricsData[];
}
