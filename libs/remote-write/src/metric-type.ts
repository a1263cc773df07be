/**
 * The metric type enum of both protocol versions (1.0 `MetricMetadata.MetricType`, 2.0 `Metadata.MetricType`
 * share the numbers 0..7) as Prometheus's type names. A number outside the enum is "unknown", as Prometheus's
 * ToMetadata maps it.
 */
import type { MetricType } from './remote-write.model';

const METRIC_TYPES: readonly MetricType[] = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

export function metricTypeOf(enumNumber: number): MetricType {
  return METRIC_TYPES[enumNumber] ?? 'unknown';
}
