/**
 * Checks a decoded OTLP metrics request and flattens it into one OtlpMetricPoint per valid data point, with
 * its resource, scope and metric on it (the resource map and the scope are shared per ResourceMetrics /
 * ScopeMetrics, and frozen). A metric that cannot be taken at all (empty name, no known data type, an
 * unspecified or unknown temporality) rejects each of its points, or counts as one rejection when it has
 * none; a point that fails its own checks (check-otlp-metric-point) is rejected alone.
 */
import {
  checkExponentialHistogramPoint,
  checkHistogramPoint,
  checkNumberPoint,
  checkSummaryPoint,
} from './check-otlp-metric-point';
import type { OtlpMetricsDecodeContext, OtlpMetricsDecodeResult } from './decode-otlp-metrics';
import { formatAttributes } from './format-any-value';
import { otlpIdToHex } from './otlp-id';
import {
  DATA_POINT_FLAG_NO_RECORDED_VALUE,
  type OtlpAggregationTemporality,
  type OtlpExemplar,
  type OtlpMetricPoint,
  type OtlpMetricPointBase,
} from './otlp-metrics.model';
import {
  formatOtlpMetricLocation,
  METRIC_DATA_KEY,
  type OtlpExemplarData,
  type OtlpMetricBody,
  type OtlpMetricData,
  type OtlpMetricsRequestData,
  type OtlpPointData,
  type OtlpPointEntry,
} from './otlp-metrics-request.model';
import { OtlpRejections } from './otlp-rejections';

/** AggregationTemporality numbers of metrics.proto (0, UNSPECIFIED, must not be used). */
const TEMPORALITY: ReadonlyMap<number, OtlpAggregationTemporality> = new Map([
  [1, 'delta'],
  [2, 'cumulative'],
]);

/** The fields a point takes from its resource, scope and metric. */
type MetricContext = Omit<
  OtlpMetricPointBase,
  'attributes' | 'startTimeUnixNano' | 'timeUnixNano' | 'flags' | 'noRecordedValue'
>;

export function mapOtlpMetricsRequest(data: OtlpMetricsRequestData, ctx: OtlpMetricsDecodeContext): OtlpMetricsDecodeResult {
  const points: OtlpMetricPoint[] = [];
  const rejections = new OtlpRejections();
  for (const rm of data.resourceMetrics) {
    const resource = Object.freeze(formatAttributes(rm.resource));
    const serviceName = resource['service.name'] ?? '';
    for (const sm of rm.scopeMetrics) {
      const scope = Object.freeze({
        name: sm.scopeName,
        version: sm.scopeVersion,
        attributes: Object.freeze(formatAttributes(sm.scopeAttributes)),
        schemaUrl: sm.schemaUrl,
      });
      for (const m of sm.metrics) {
        const reason = m.rejected ?? checkMetric(m);
        if (reason !== undefined) {
          rejections.reject(reason, m.body.type === 'none' ? 1 : Math.max(1, m.body.points.length));
          continue;
        }
        const context: MetricContext = {
          tenant: ctx.tenant,
          resource,
          resourceSchemaUrl: rm.schemaUrl,
          serviceName,
          scope,
          metricName: m.name,
          metricDescription: m.description,
          metricUnit: m.unit,
        };
        mapPoints(m, context, points, rejections);
      }
    }
  }
  return { points, rejected: rejections.count, errors: rejections.errors };
}

/** Why no point of the metric can be accepted (with the metric's path), or undefined. */
function checkMetric(m: OtlpMetricData): string | undefined {
  const at = (): string => formatOtlpMetricLocation(m.location);
  const body = m.body;
  if (m.name === '') return `${at()}: metric name is empty`;
  if (body.type === 'none') {
    return `${at()}: metric has no data of a known type (gauge, sum, histogram, exponentialHistogram or summary)`;
  }
  if ('temporality' in body && !TEMPORALITY.has(body.temporality)) {
    return `${at()}: ${METRIC_DATA_KEY[body.type]}.aggregationTemporality ${body.temporality} is not DELTA (1) or CUMULATIVE (2)`;
  }
  return undefined;
}

function mapPoints(m: OtlpMetricData, context: MetricContext, out: OtlpMetricPoint[], rejections: OtlpRejections): void {
  const body: OtlpMetricBody = m.body;
  if (body.type === 'none') return;
  const pointsPath = `${formatOtlpMetricLocation(m.location)}.${METRIC_DATA_KEY[body.type]}.dataPoints`;
  /** Checks each point of `entries` and pushes the valid ones, built by `build`. */
  const each = <V>(
    entries: readonly OtlpPointEntry<V>[],
    check: (p: OtlpPointData<V>) => string | undefined,
    build: (p: OtlpPointData<V>) => OtlpMetricPoint,
  ): void => {
    for (const [i, p] of entries.entries()) {
      if (p.kind === 'rejected') {
        rejections.reject(p.reason);
        continue;
      }
      const problem = check(p);
      if (problem !== undefined) rejections.reject(`${pointsPath}[${i}]: ${problem}`);
      else out.push(build(p));
    }
  };
  /** The fields of the point's metric and its own, values aside. */
  const base = <V>(p: OtlpPointData<V>) => ({ ...context, ...pointFields(p) });
  const traced = <V>(p: OtlpPointData<V>) => ({ ...base(p), exemplars: p.exemplars.map(mapExemplar) });
  switch (body.type) {
    case 'gauge':
      return each(body.points, checkNumberPoint, (p) => ({ ...traced(p), type: 'gauge', value: p.values.value }));
    case 'sum': {
      const sum = { type: 'sum', temporality: temporalityOf(body.temporality), isMonotonic: body.isMonotonic } as const;
      return each(body.points, checkNumberPoint, (p) => ({ ...traced(p), ...sum, value: p.values.value }));
    }
    case 'histogram': {
      const histogram = { type: 'histogram', temporality: temporalityOf(body.temporality) } as const;
      return each(body.points, checkHistogramPoint, (p) => ({ ...traced(p), ...p.values, ...histogram }));
    }
    case 'exponential_histogram': {
      const exponential = { type: 'exponential_histogram', temporality: temporalityOf(body.temporality) } as const;
      return each(body.points, checkExponentialHistogramPoint, (p) => ({ ...traced(p), ...p.values, ...exponential }));
    }
    case 'summary':
      return each(body.points, checkSummaryPoint, (p) => ({ ...base(p), ...p.values, type: 'summary' }));
  }
}

function temporalityOf(n: number): OtlpAggregationTemporality {
  // checkMetric has refused the metric unless the number is known.
  return TEMPORALITY.get(n) ?? 'cumulative';
}

function pointFields<V>(p: OtlpPointData<V>): Pick<OtlpMetricPointBase, 'attributes' | 'startTimeUnixNano' | 'timeUnixNano' | 'flags' | 'noRecordedValue'> {
  return {
    attributes: formatAttributes(p.attributes),
    startTimeUnixNano: p.startTimeUnixNano,
    timeUnixNano: p.timeUnixNano,
    flags: p.flags,
    noRecordedValue: (p.flags & DATA_POINT_FLAG_NO_RECORDED_VALUE) !== 0,
  };
}

function mapExemplar(e: OtlpExemplarData): OtlpExemplar {
  return {
    filteredAttributes: formatAttributes(e.filteredAttributes),
    timeUnixNano: e.timeUnixNano,
    // checkExemplars has rejected the point unless every exemplar has a value.
    value: e.value ?? 0,
    traceId: otlpIdToHex(e.traceId),
    spanId: otlpIdToHex(e.spanId),
  };
}
