// The engine's own counters. The stage maps them to Prometheus metrics (the lib does not import prom-client).

export const AGGREGATOR_COUNTER_NAMES = [
  /** Samples for a window that had already been emitted (whether applied as a correction or dropped). */
  'late_samples',
  /** Late samples not applied: older than correctionHorizonMs, or corrections are off. */
  'dropped_late',
  /** Corrected windows emitted (revision > 0, or a late window first seen after the watermark). */
  'corrections',
  /** Samples folded into an overflow series (each sample of a series refused by the budget). */
  'overflow_samples',
  /** Refused new series: counted per refused sample, so a series refused twice counts twice. */
  'refused_series',
  /** Samples dropped because maxOverflowSeries overflow series exist already. */
  'dropped_overflow',
  /** Series expired after seriesIdleTimeoutMs without samples. */
  'expired_series',
  /** Series evicted because the state store refused their state (its key or byte bound). */
  'state_overflow',
  /** Samples whose type differs from the series' first sample (or pre-aggregate), dropped. */
  'kind_mismatch',
  /** Histogram samples whose bounds differ from the window's, not merged. */
  'bounds_mismatch',
  /** Stale markers (NO_RECORDED_VALUE): not samples, they end the series' counter continuity. */
  'stale_markers',
  /** Samples without a positive event time, dropped. */
  'invalid_samples',
] as const;

export type AggregatorCounterName = (typeof AGGREGATOR_COUNTER_NAMES)[number];

/** Receives each increment of the engine's counters. */
export interface AggregatorCounters {
  inc(name: AggregatorCounterName, n: number): void;
}
