// Decodes what the real OpenTelemetry JS SDK puts on the wire (its own protobuf writer and JSON serializer,
// independent of our schema loading), for every metric type the SDK produces, with delta and cumulative
// readers, so a wrong field number or encoding rule on our side fails here. (The SDK writes no summaries,
// exemplars or flags: decode-otlp-metrics.spec.ts covers those.)
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ValueType, type HrTime } from '@opentelemetry/api';
import { JsonMetricsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { decodeOtlpMetricsJson, decodeOtlpMetricsProtobuf, type OtlpMetricsDecodeContext } from './decode-otlp-metrics';
import type { OtlpAggregationTemporality, OtlpMetricPoint } from './otlp-metrics.model';

const ctx: OtlpMetricsDecodeContext = { tenant: 'acme' };

/** A reader collected by hand (no timer), with one temporality for every instrument. */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Records the same measurements into a delta and a cumulative reader and collects both. */
async function collectWithSdk(): Promise<Record<OtlpAggregationTemporality, ResourceMetrics>> {
  const delta = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.DELTA });
  const cumulative = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'k8s.namespace.name': 'shop' }, { schemaUrl: 'https://opentelemetry.io/schemas/1.26.0' }),
    readers: [delta, cumulative],
    views: [
      { instrumentName: 'temperature.change', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } },
      { instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 4 } } },
    ],
  });
  const meter = provider.getMeter('checkout-meter', '2.0.1', { schemaUrl: 'https://example.com/scope-schema' });
  const requests = meter.createCounter('http.requests', { valueType: ValueType.INT, unit: '{request}', description: 'Requests served' });
  requests.add(3, { code: 200 });
  requests.add(2, { code: 200 });
  requests.add(1, { code: 500 });
  const queue = meter.createUpDownCounter('queue.depth');
  queue.add(2.5);
  queue.add(-4);
  meter.createGauge('cpu.temperature', { unit: 'Cel' }).record(-1.5, { core: 0 });
  meter.createObservableGauge('pool.size', { valueType: ValueType.INT }).addCallback((r) => r.observe(7));
  const duration = meter.createHistogram('http.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 1, 10] } });
  for (const v of [0.05, 0.5, 0.7, 20]) duration.record(v, { route: '/cart' });
  // An up-down counter aggregated as an exponential histogram: negative values land in the negative range,
  // and the SDK leaves the sum out (it is only meaningful for non-negative measurements).
  const change = meter.createUpDownCounter('temperature.change');
  for (const v of [-3, -0.5, 0, 2, 10]) change.add(v, { room: 'a' });
  const payload = meter.createHistogram('payload.size', { unit: 'By' });
  for (const v of [100, 200, 400]) payload.record(v);
  return { delta: (await delta.collect()).resourceMetrics, cumulative: (await cumulative.collect()).resourceMetrics };
}

const nanos = (t: HrTime): bigint => BigInt(t[0]) * 1_000_000_000n + BigInt(t[1]);

/** [start, time] of every SDK data point, in the order the request carries them. */
function sdkTimes(rm: ResourceMetrics): [bigint, bigint][] {
  return rm.scopeMetrics.flatMap((sm) => sm.metrics.flatMap((m) => m.dataPoints.map((p): [bigint, bigint] => [nanos(p.startTime), nanos(p.endTime)])));
}

/** A point without its times (an Omit per member of the union). */
type Untimed = OtlpMetricPoint extends infer P ? (P extends OtlpMetricPoint ? Omit<P, 'startTimeUnixNano' | 'timeUnixNano'> : never) : never;

function untimed(p: OtlpMetricPoint): Untimed {
  const { startTimeUnixNano: _start, timeUnixNano: _time, ...rest } = p;
  return rest;
}

/** What both encodings must decode to, times aside (they come from the SDK's clock). */
function expectedPoints(temporality: OtlpAggregationTemporality): Untimed[] {
  const common = {
    tenant: 'acme',
    resource: { 'service.name': 'checkout', 'k8s.namespace.name': 'shop' },
    resourceSchemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
    serviceName: 'checkout',
    scope: { name: 'checkout-meter', version: '2.0.1', attributes: {}, schemaUrl: 'https://example.com/scope-schema' },
    flags: 0,
    noRecordedValue: false,
    exemplars: [],
  };
  const metric = (metricName: string, metricUnit = '', metricDescription = '') => ({ ...common, metricName, metricUnit, metricDescription });
  // The SDK writes the metrics of views first, then the others, each in creation order.
  return [
    {
      ...metric('temperature.change'),
      type: 'exponential_histogram',
      temporality,
      attributes: { room: 'a' },
      count: 5n,
      sum: null,
      scale: 2,
      zeroCount: 1n,
      zeroThreshold: 0,
      positive: { offset: 3, bucketCounts: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n] },
      negative: { offset: -5, bucketCounts: [1n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 1n] },
      min: -3,
      max: 10,
    },
    {
      ...metric('payload.size', 'By'),
      type: 'exponential_histogram',
      temporality,
      attributes: {},
      count: 3n,
      sum: 700,
      // base 2 at scale 0: 100 in (2^6, 2^7], 200 in (2^7, 2^8], 400 in (2^8, 2^9].
      scale: 0,
      zeroCount: 0n,
      zeroThreshold: 0,
      positive: { offset: 6, bucketCounts: [1n, 1n, 1n] },
      negative: { offset: 0, bucketCounts: [] },
      min: 100,
      max: 400,
    },
    { ...metric('http.requests', '{request}', 'Requests served'), type: 'sum', temporality, isMonotonic: true, attributes: { code: '200' }, value: 5n },
    { ...metric('http.requests', '{request}', 'Requests served'), type: 'sum', temporality, isMonotonic: true, attributes: { code: '500' }, value: 1n },
    { ...metric('queue.depth'), type: 'sum', temporality, isMonotonic: false, attributes: {}, value: -1.5 },
    { ...metric('cpu.temperature', 'Cel'), type: 'gauge', attributes: { core: '0' }, value: -1.5 },
    { ...metric('pool.size'), type: 'gauge', attributes: {}, value: 7n },
    {
      ...metric('http.duration', 's'),
      type: 'histogram',
      temporality,
      attributes: { route: '/cart' },
      count: 4n,
      sum: 21.25,
      bucketCounts: [1n, 2n, 0n, 1n],
      explicitBounds: [0.1, 1, 10],
      min: 0.05,
      max: 20,
    },
  ];
}

describe('decoding the OpenTelemetry JS SDK metrics serializers', async () => {
  const collected = await collectWithSdk();

  for (const temporality of ['delta', 'cumulative'] as const) {
    it(`decodes ProtobufMetricsSerializer output field for field (${temporality})`, () => {
      const rm = collected[temporality];
      const bytes = ProtobufMetricsSerializer.serializeRequest(rm);
      assert.ok(bytes);
      const result = decodeOtlpMetricsProtobuf(bytes, ctx);
      assert.deepEqual(result.errors, []);
      assert.equal(result.rejected, 0);
      assert.deepEqual(result.points.map((p) => [p.startTimeUnixNano, p.timeUnixNano]), sdkTimes(rm));
      assert.deepEqual(result.points.map(untimed), expectedPoints(temporality));
    });

    it(`decodes JsonMetricsSerializer output to the same points (${temporality})`, () => {
      const rm = collected[temporality];
      const bytes = JsonMetricsSerializer.serializeRequest(rm);
      assert.ok(bytes);
      const text = new TextDecoder().decode(bytes);
      // The SDK's JSON: int values as bare numbers, times as decimal strings, temporality as an enum number.
      assert.match(text, /"asInt":5/);
      assert.match(text, /"timeUnixNano":"\d+"/);
      const result = decodeOtlpMetricsJson(text, ctx);
      assert.deepEqual(result, decodeOtlpMetricsProtobuf(ProtobufMetricsSerializer.serializeRequest(rm) ?? new Uint8Array(), ctx));
      assert.deepEqual(result.points.map(untimed), expectedPoints(temporality));
      assert.deepEqual(decodeOtlpMetricsJson(bytes, ctx), result);
    });
  }
});
