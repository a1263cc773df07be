/**
 * The neutral model of decoded OTLP metrics: one self-contained value per data point, carrying its resource,
 * scope and metric alongside its own fields, so a consumer (the ingest contract, a ClickHouse row of the
 * `otel_metrics_*` tables) needs no tree walk. Attribute maps are strings, formatted as for logs (the
 * Collector's `AsString`); 64-bit integers are bigint, exact; ids are lowercase hex. The resource map and the
 * scope of one ResourceMetrics / ScopeMetrics are shared by its points and frozen: no point can change
 * another's through them.
 */

/** The five OTLP metric data types. */
export type OtlpMetricType = 'gauge' | 'sum' | 'histogram' | 'exponential_histogram' | 'summary';

/** AggregationTemporality of sums and histograms (UNSPECIFIED is invalid and rejects the metric's points). */
export type OtlpAggregationTemporality = 'delta' | 'cumulative';

/** DataPointFlags bit: the point marks the absence of data (a staleness marker); its values are meaningless. */
export const DATA_POINT_FLAG_NO_RECORDED_VALUE = 1;

/** InstrumentationScope, shared (frozen) by every point of one ScopeMetrics. */
export interface OtlpMetricScope {
  readonly name: string;
  readonly version: string;
  readonly attributes: Readonly<Record<string, string>>;
  /** ScopeMetrics.schema_url. */
  readonly schemaUrl: string;
}

/** What every data point carries, whatever its type. */
export interface OtlpMetricPointBase {
  /** From the decode context. */
  readonly tenant: string;
  /** Resource attributes (shared, frozen). */
  readonly resource: Readonly<Record<string, string>>;
  /** ResourceMetrics.schema_url. */
  readonly resourceSchemaUrl: string;
  /** Resource `service.name`, or ''. */
  readonly serviceName: string;
  readonly scope: OtlpMetricScope;
  readonly metricName: string;
  readonly metricDescription: string;
  readonly metricUnit: string;
  /** The point's own attributes (they identify its series). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Unix nanoseconds; 0 when not sent (gauges usually leave it out). */
  readonly startTimeUnixNano: bigint;
  /** Unix nanoseconds. */
  readonly timeUnixNano: bigint;
  /** DataPointFlags as sent. */
  readonly flags: number;
  /** `flags & DATA_POINT_FLAG_NO_RECORDED_VALUE`: the point only marks that no value was recorded. */
  readonly noRecordedValue: boolean;
}

/** A measurement sampled into a point, with the trace it was recorded in. */
export interface OtlpExemplar {
  /** The attributes the aggregation dropped (strings, as point attributes). */
  readonly filteredAttributes: Readonly<Record<string, string>>;
  readonly timeUnixNano: bigint;
  /** as_double (number) or as_int (bigint, exact). */
  readonly value: number | bigint;
  /** 32 lowercase hex digits, or '' when absent or all zero. */
  readonly traceId: string;
  /** 16 lowercase hex digits, or '' when absent or all zero. */
  readonly spanId: string;
}

/** The value of a gauge or sum point: as_double (number), as_int (bigint, exact), or null when the point
 * has neither, which is only accepted with the no-recorded-value flag. */
export interface OtlpNumberPointValues {
  readonly value: number | bigint | null;
}

/** Explicit-bucket histogram values. Optional fields not sent are null. */
export interface OtlpHistogramPointValues {
  readonly count: bigint;
  readonly sum: number | null;
  /** bucketCounts.length === explicitBounds.length + 1, or both empty (count and sum only). */
  readonly bucketCounts: readonly bigint[];
  /** Strictly increasing upper bounds; bucket i holds (bounds[i-1], bounds[i]]. */
  readonly explicitBounds: readonly number[];
  readonly min: number | null;
  readonly max: number | null;
}

/** One range of an exponential histogram: bucketCounts[i] counts the values in (base^(offset+i), base^(offset+i+1)]. */
export interface OtlpExponentialBuckets {
  readonly offset: number;
  readonly bucketCounts: readonly bigint[];
}

/** Base-2 exponential histogram values (base = 2^(2^-scale)); negative values are counted by their absolute value. */
export interface OtlpExponentialHistogramPointValues {
  readonly count: bigint;
  readonly sum: number | null;
  readonly scale: number;
  readonly zeroCount: bigint;
  /** Width of the zero bucket, [-zeroThreshold, zeroThreshold]; 0 when not sent. */
  readonly zeroThreshold: number;
  readonly positive: OtlpExponentialBuckets;
  readonly negative: OtlpExponentialBuckets;
  readonly min: number | null;
  readonly max: number | null;
}

export interface OtlpValueAtQuantile {
  /** In [0, 1]. */
  readonly quantile: number;
  /** Not negative (NaN is accepted: no observations). */
  readonly value: number;
}

/** Summary values (OTLP summaries are cumulative by definition). */
export interface OtlpSummaryPointValues {
  readonly count: bigint;
  readonly sum: number;
  /** Strictly increasing quantiles. */
  readonly quantileValues: readonly OtlpValueAtQuantile[];
}

export interface OtlpGaugePoint extends OtlpMetricPointBase, OtlpNumberPointValues {
  readonly type: 'gauge';
  readonly exemplars: readonly OtlpExemplar[];
}

export interface OtlpSumPoint extends OtlpMetricPointBase, OtlpNumberPointValues {
  readonly type: 'sum';
  readonly temporality: OtlpAggregationTemporality;
  readonly isMonotonic: boolean;
  readonly exemplars: readonly OtlpExemplar[];
}

export interface OtlpHistogramPoint extends OtlpMetricPointBase, OtlpHistogramPointValues {
  readonly type: 'histogram';
  readonly temporality: OtlpAggregationTemporality;
  readonly exemplars: readonly OtlpExemplar[];
}

export interface OtlpExponentialHistogramPoint extends OtlpMetricPointBase, OtlpExponentialHistogramPointValues {
  readonly type: 'exponential_histogram';
  readonly temporality: OtlpAggregationTemporality;
  readonly exemplars: readonly OtlpExemplar[];
}

export interface OtlpSummaryPoint extends OtlpMetricPointBase, OtlpSummaryPointValues {
  readonly type: 'summary';
}

/** One decoded data point; `type` tells which fields it has. */
export type OtlpMetricPoint =
  | OtlpGaugePoint
  | OtlpSumPoint
  | OtlpHistogramPoint
  | OtlpExponentialHistogramPoint
  | OtlpSummaryPoint;
