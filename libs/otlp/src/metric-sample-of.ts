/**
 * Turns a decoded OTLP data point into the `MetricSample` of the ingest.metrics contract. The sample keeps what
 * the point says: type, temporality and monotonicity, unit, resource and scope, start and end time, flags
 * (bit 0: no recorded value, a staleness marker) and exemplars. Two things are narrowed by the contract:
 * OTLP integer values become doubles (exact up to 2^53), and scope attributes and schema URLs are not carried.
 */
import type { AggregationTemporality, Exemplar, MetricSample, MetricType } from '@sextant/contracts';
import { OTLP_SOURCE } from './map-otlp-logs';
import type { OtlpAggregationTemporality, OtlpExemplar, OtlpMetricPoint, OtlpMetricType } from './otlp-metrics.model';

const TYPE: Readonly<Record<OtlpMetricType, MetricType>> = {
  gauge: 'GAUGE',
  sum: 'SUM',
  histogram: 'HISTOGRAM',
  exponential_histogram: 'EXPONENTIAL_HISTOGRAM',
  summary: 'SUMMARY',
};

const TEMPORALITY: Readonly<Record<OtlpAggregationTemporality, AggregationTemporality>> = {
  delta: 'DELTA',
  cumulative: 'CUMULATIVE',
};

function toDouble(v: number | bigint | null): number {
  return v === null ? 0 : Number(v);
}

function exemplarsOf(exemplars: readonly OtlpExemplar[]): Exemplar[] {
  return exemplars.map((e) => ({ timeUnixNano: e.timeUnixNano, value: Number(e.value), traceId: e.traceId, spanId: e.spanId, filteredAttributes: { ...e.filteredAttributes } }));
}

/** The contract's sample for one point; `source` says how it entered (`otlp` for OTLP/HTTP and gRPC, `kafka-otlp` for otlp_metrics). */
export function metricSampleOf(p: OtlpMetricPoint, source: string = OTLP_SOURCE): MetricSample {
  const sample: MetricSample = {
    tenant: p.tenant,
    name: p.metricName,
    description: p.metricDescription,
    unit: p.metricUnit,
    type: TYPE[p.type],
    temporality: p.type === 'gauge' || p.type === 'summary' ? 'UNSPECIFIED' : TEMPORALITY[p.temporality],
    isMonotonic: p.type === 'sum' && p.isMonotonic,
    attributes: { ...p.attributes },
    resource: { ...p.resource },
    serviceName: p.serviceName,
    scopeName: p.scope.name,
    scopeVersion: p.scope.version,
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
    value: 0,
    histogram: null,
    exponentialHistogram: null,
    summary: null,
    exemplars: [],
    flags: p.flags,
    source,
  };
  switch (p.type) {
    case 'gauge':
    case 'sum':
      sample.value = toDouble(p.value);
      sample.exemplars = exemplarsOf(p.exemplars);
      break;
    case 'histogram':
      sample.histogram = { count: p.count, sum: p.sum ?? 0, min: p.min, max: p.max, explicitBounds: [...p.explicitBounds], bucketCounts: [...p.bucketCounts] };
      sample.exemplars = exemplarsOf(p.exemplars);
      break;
    case 'exponential_histogram':
      sample.exponentialHistogram = {
        count: p.count,
        sum: p.sum ?? 0,
        min: p.min,
        max: p.max,
        scale: p.scale,
        zeroCount: p.zeroCount,
        zeroThreshold: p.zeroThreshold,
        positive: { offset: p.positive.offset, bucketCounts: [...p.positive.bucketCounts] },
        negative: { offset: p.negative.offset, bucketCounts: [...p.negative.bucketCounts] },
      };
      sample.exemplars = exemplarsOf(p.exemplars);
      break;
    case 'summary':
      sample.summary = { count: p.count, sum: p.sum, quantiles: p.quantileValues.map((q) => ({ quantile: q.quantile, value: q.value })) };
      break;
  }
  return sample;
}
