/**
 * The protocol-neutral model a decoded remote-write request becomes, whichever of the two wire messages
 * (`prometheus.WriteRequest` of remote write 1.0, `io.prometheus.write.v2.Request` of 2.0) carried it.
 * Timestamps are milliseconds since the Unix epoch as numbers (exact up to 2^53). Values are float64 numbers
 * holding the exact bits that came on the wire, including the stale marker (see stale-nan.ts).
 * Objects are plain and read-only; series share nothing but strings and one frozen empty list (for the
 * histograms, exemplars or samples a series does not have).
 */

/** The two protobuf messages of the protocol, as named in the Content-Type `proto` parameter. */
export type RemoteWriteMessage = 'prometheus.WriteRequest' | 'io.prometheus.write.v2.Request';

/** Remote write 1.0 (`prometheus.WriteRequest`, also the meaning of a bare `application/x-protobuf`). */
export const REMOTE_WRITE_V1: RemoteWriteMessage = 'prometheus.WriteRequest';
/** Remote write 2.0 (`io.prometheus.write.v2.Request`). */
export const REMOTE_WRITE_V2: RemoteWriteMessage = 'io.prometheus.write.v2.Request';

/** One label. In a series, labels are sorted by name, names are unique, values are never empty. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** One float sample. */
export interface Sample {
  readonly timestampMs: number;
  /** The value, bit for bit as sent (test for the stale marker with `isStaleNaN`). */
  readonly value: number;
  /** Start (formerly "created") timestamp in ms, 2.0 only; 0 means not set (the proto's convention). */
  readonly startTimestampMs: number;
}

/** An exemplar: an example observation, typically pointing at a trace. */
export interface Exemplar {
  /** Its own labels (for example `trace_id`), sorted by name; may be empty. Not validated, as in Prometheus. */
  readonly labels: readonly Label[];
  readonly value: number;
  /** Milliseconds; 0 means the sender gave none (Prometheus reads 0 as "no timestamp"). */
  readonly timestampMs: number;
}

/** One span of consecutive buckets: `offset` from the end of the previous span (or the start index). */
export interface BucketSpan {
  readonly offset: number;
  readonly length: number;
}

/** How the sender says the histogram relates to the previous one of its series. */
export type HistogramResetHint = 'unknown' | 'yes' | 'no' | 'gauge';

/** The native histogram schema meaning custom bucket boundaries (NHCB), given in `customValues`. */
export const CUSTOM_BUCKETS_SCHEMA = -53;

interface NativeHistogramFields {
  readonly timestampMs: number;
  /** Start timestamp in ms, 2.0 only; 0 means not set. */
  readonly startTimestampMs: number;
  /** -4..8 exponential (2^(2^-schema) growth), -53 custom buckets; 9..52 are passed on unchanged. */
  readonly schema: number;
  /** Sum of observations, bit for bit (a stale histogram has the stale marker here). */
  readonly sum: number;
  /** Width of the zero bucket. */
  readonly zeroThreshold: number;
  readonly resetHint: HistogramResetHint;
  readonly positiveSpans: readonly BucketSpan[];
  readonly negativeSpans: readonly BucketSpan[];
  /** Upper bucket bounds for the custom-buckets schema (-53); empty otherwise. */
  readonly customValues: readonly number[];
}

/**
 * An integer native histogram: counts are whole numbers (uint64 on the wire, exact up to 2^53 here) and the
 * buckets are given as deltas, each relative to the previous bucket (the first to zero), positive and negative
 * sides separately.
 */
export interface IntegerNativeHistogram extends NativeHistogramFields {
  readonly kind: 'integer';
  readonly count: number;
  readonly zeroCount: number;
  readonly positiveDeltas: readonly number[];
  readonly negativeDeltas: readonly number[];
}

/** A float native histogram: counts are floats and the buckets are absolute counts. */
export interface FloatNativeHistogram extends NativeHistogramFields {
  readonly kind: 'float';
  readonly count: number;
  readonly zeroCount: number;
  readonly positiveCounts: readonly number[];
  readonly negativeCounts: readonly number[];
}

export type NativeHistogram = IntegerNativeHistogram | FloatNativeHistogram;

/** Metric types, spelled as Prometheus spells them (`model.MetricType`). */
export type MetricType = 'unknown' | 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset';

/** Type, help and unit of a metric family. Empty strings mean "not given". */
export interface MetricMetadata {
  readonly type: MetricType;
  readonly help: string;
  readonly unit: string;
}

/** One accepted series with everything the request carried for it. */
export interface RemoteWriteSeries {
  /** Sorted by name, names unique and valid, `__name__` present, labels with empty values removed. */
  readonly labels: readonly Label[];
  /** In the order sent (see `orderSamples` for what Prometheus does with disorder). */
  readonly samples: readonly Sample[];
  /** In the order sent; only those that passed validation. */
  readonly histograms: readonly NativeHistogram[];
  /** In the order sent; only those whose references resolved. */
  readonly exemplars: readonly Exemplar[];
  /** 2.0: the series' own metadata when any of type, help or unit is set; 1.0: always undefined. */
  readonly metadata: MetricMetadata | undefined;
}

/** What a request holds, as the 2.0 response headers count it. */
export interface RemoteWriteCounts {
  readonly samples: number;
  readonly histograms: number;
  readonly exemplars: number;
}

/**
 * Something in the request that was not accepted while the rest was: a whole series (bad labels, bad
 * references, nothing to write), or one sample, histogram or exemplar of an accepted series. `dropped` says how
 * much of the request it cost.
 */
export interface RemoteWriteProblem {
  /** Index of the series in the request's `timeseries`. */
  readonly seriesIndex: number;
  /** Human-readable and precise: what, where, and the label set when it is known. */
  readonly message: string;
  readonly dropped: RemoteWriteCounts;
  /**
   * Whether it makes the answer a 400 (2.0 partial write). False for what Prometheus drops without telling the
   * sender: 1.0 series with invalid labels (with `v1InvalidSeries: 'drop'`) and exemplars too far in the future.
   */
  readonly badRequest: boolean;
}

/** A decoded, validated remote-write request. */
export interface RemoteWriteRequest {
  readonly message: RemoteWriteMessage;
  /** The accepted series, in request order. The same label set may appear more than once. */
  readonly series: readonly RemoteWriteSeries[];
  /**
   * Metadata by metric family name. 1.0: the request's `metadata` list (the last entry of a name wins; entries
   * without a name are skipped). 2.0: each accepted series' metadata under its metric name (`__name__`; the 2.0
   * message carries no family name); the last series of a name wins.
   */
  readonly metadata: ReadonlyMap<string, MetricMetadata>;
  /** Samples, histograms and exemplars of the accepted series. */
  readonly counts: RemoteWriteCounts;
  /** What was left out, in request order; empty when everything was accepted. */
  readonly problems: readonly RemoteWriteProblem[];
}
