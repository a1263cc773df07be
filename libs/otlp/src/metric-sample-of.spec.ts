import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avroType, METRIC_SAMPLE_SCHEMA, type MetricSample } from '@sextant/contracts';
import { decodeOtlpMetricsJson } from './decode-otlp-metrics';
import { metricSampleOf } from './metric-sample-of';

const TRACE = '5b8efff798038103d269b633813fc60c';
const SPAN = 'eee19b7ec3c1b174';
const T0 = '1544712660300000000';
const T1 = '1544712670300000000';

function request(metrics: unknown[]): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'api' } }, { key: 'k8s.namespace.name', value: { stringValue: 'shop' } }] },
        scopeMetrics: [{ scope: { name: 'my.library', version: '1.0.0' }, metrics }],
      },
    ],
  });
}

/** Decodes, maps, and sends each sample through the Avro contract, as ingest would publish it (as plain objects). */
function samplesOf(metrics: unknown[]): MetricSample[] {
  const { points, rejected } = decodeOtlpMetricsJson(request(metrics), { tenant: 'acme' });
  assert.equal(rejected, 0);
  const t = avroType(METRIC_SAMPLE_SCHEMA);
  return points.map((p) => structuredClone(t.fromBuffer(t.toBuffer(metricSampleOf(p)))) as MetricSample);
}

describe('metricSampleOf', () => {
  it('maps gauges and sums with their temporality, monotonicity, unit, resource, scope, times and exemplars', () => {
    const [counter, updown, gauge] = samplesOf([
      {
        name: 'http.server.requests',
        unit: '{request}',
        description: 'Requests served',
        sum: {
          aggregationTemporality: 2,
          isMonotonic: true,
          dataPoints: [
            {
              asInt: '42',
              startTimeUnixNano: T0,
              timeUnixNano: T1,
              attributes: [{ key: 'http.route', value: { stringValue: '/cart' } }],
              exemplars: [{ timeUnixNano: T1, asDouble: 0.25, traceId: TRACE, spanId: SPAN, filteredAttributes: [{ key: 'user', value: { stringValue: 'u1' } }] }],
            },
          ],
        },
      },
      { name: 'queue.depth', sum: { aggregationTemporality: 1, isMonotonic: false, dataPoints: [{ asDouble: -3.5, timeUnixNano: T1 }] } },
      { name: 'cpu.temperature', unit: 'Cel', gauge: { dataPoints: [{ asDouble: 61.5, timeUnixNano: T1 }] } },
    ]);
    assert.ok(counter && updown && gauge);
    assert.deepEqual(
      counter,
      {
        tenant: 'acme',
        name: 'http.server.requests',
        description: 'Requests served',
        unit: '{request}',
        type: 'SUM',
        temporality: 'CUMULATIVE',
        isMonotonic: true,
        attributes: { 'http.route': '/cart' },
        resource: { 'service.name': 'api', 'k8s.namespace.name': 'shop' },
        serviceName: 'api',
        scopeName: 'my.library',
        scopeVersion: '1.0.0',
        startTimeUnixNano: 1_544_712_660_300_000_000n,
        timeUnixNano: 1_544_712_670_300_000_000n,
        value: 42,
        histogram: null,
        exponentialHistogram: null,
        summary: null,
        exemplars: [{ timeUnixNano: 1_544_712_670_300_000_000n, value: 0.25, traceId: TRACE, spanId: SPAN, filteredAttributes: { user: 'u1' } }],
        flags: 0,
        source: 'otlp',
      },
    );
    assert.equal(updown.type, 'SUM');
    assert.equal(updown.temporality, 'DELTA');
    assert.equal(updown.isMonotonic, false);
    assert.equal(updown.value, -3.5);
    assert.equal(gauge.type, 'GAUGE');
    assert.equal(gauge.temporality, 'UNSPECIFIED');
    assert.equal(gauge.unit, 'Cel');
    assert.equal(gauge.value, 61.5);
  });

  it('maps histograms, exponential histograms (both ranges) and summaries into their own sub-records', () => {
    const [histogram, exponential, summary] = samplesOf([
      { name: 'latency', unit: 's', histogram: { aggregationTemporality: 1, dataPoints: [{ count: '3', sum: 1.5, bucketCounts: ['1', '2', '0'], explicitBounds: [0.1, 1], max: 0.9, timeUnixNano: T1 }] } },
      {
        name: 'delta.change',
        exponentialHistogram: {
          aggregationTemporality: 2,
          dataPoints: [{ count: '6', sum: -2, scale: 3, zeroCount: '1', zeroThreshold: 0.001, positive: { offset: -2, bucketCounts: ['1', '2'] }, negative: { offset: 4, bucketCounts: ['2'] }, min: -9, max: 4, timeUnixNano: T1 }],
        },
      },
      { name: 'rpc.duration', summary: { dataPoints: [{ count: '10', sum: 4, quantileValues: [{ quantile: 0.5, value: 0.3 }, { quantile: 0.99, value: 1.2 }], timeUnixNano: T1 }] } },
    ]);
    assert.ok(histogram && exponential && summary);
    assert.equal(histogram.type, 'HISTOGRAM');
    assert.equal(histogram.temporality, 'DELTA');
    assert.deepEqual(histogram.histogram, { count: 3n, sum: 1.5, min: null, max: 0.9, explicitBounds: [0.1, 1], bucketCounts: [1n, 2n, 0n] });
    assert.equal(histogram.exponentialHistogram, null);
    assert.equal(exponential.type, 'EXPONENTIAL_HISTOGRAM');
    assert.equal(exponential.temporality, 'CUMULATIVE');
    assert.deepEqual(
      exponential.exponentialHistogram,
      { count: 6n, sum: -2, min: -9, max: 4, scale: 3, zeroCount: 1n, zeroThreshold: 0.001, positive: { offset: -2, bucketCounts: [1n, 2n] }, negative: { offset: 4, bucketCounts: [2n] } },
    );
    assert.equal(summary.type, 'SUMMARY');
    assert.equal(summary.temporality, 'UNSPECIFIED');
    assert.deepEqual(
      summary.summary,
      { count: 10n, sum: 4, quantiles: [{ quantile: 0.5, value: 0.3 }, { quantile: 0.99, value: 1.2 }] },
    );
    assert.deepEqual(summary.exemplars, []);
  });

  it('keeps the no-recorded-value flag (a staleness marker) with a zero value, and the source it is given', () => {
    const { points } = decodeOtlpMetricsJson(request([{ name: 'up', gauge: { dataPoints: [{ flags: 1, timeUnixNano: T1 }] } }]), { tenant: 'acme' });
    const [point] = points;
    assert.ok(point);
    const sample = metricSampleOf(point, 'kafka-otlp');
    assert.equal(sample.flags & 1, 1);
    assert.equal(sample.value, 0);
    assert.equal(sample.source, 'kafka-otlp');
  });

  it('converts integer values beyond 2^53 to the nearest double, as the contract documents', () => {
    const [gauge] = samplesOf([{ name: 'bytes', gauge: { dataPoints: [{ asInt: '9007199254740993', timeUnixNano: T1 }] } }]);
    assert.equal(gauge?.value, 9_007_199_254_740_992);
  });
});
