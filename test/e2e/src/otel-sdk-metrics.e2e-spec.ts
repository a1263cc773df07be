/**
 * OTLP metrics in, with the real OpenTelemetry JS SDK: a counter, an up-down counter, a gauge, an explicit and
 * an exponential histogram, exported over OTLP/HTTP as JSON (cumulative) and as protobuf (delta), and over
 * OTLP/gRPC (cumulative), reach ingest.metrics as MetricBatch envelopes on real Kafka and the real registry. Every data
 * point arrives once, with its type, temporality, monotonicity, unit, attributes and resource; and every
 * sample sits in the partition its series key maps to, so a series never spans partitions.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { OTLPMetricExporter as OtlpHttpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpHttpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPMetricExporter as OtlpGrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { Client, credentials, status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, AggregationType, MeterProvider, PeriodicExportingMetricReader, type PushMetricExporter } from '@opentelemetry/sdk-metrics';
import { avroTypeOptions, metricSeriesKey, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { AvroSerde, KafkaConnection, partitionForKey } from '@sextant/kafka';
import { CommittedTopicReader, Pipeline } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';

const KAFKA_BROKERS = process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const REGISTRY_URL = process.env['SEXTANT_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081';
const ROUTES = ['/cart', '/checkout', '/pay'];

/** Records the same measurements in one service and exports them once, through `exporter`. */
async function exportWith(exporter: PushMetricExporter, service: string): Promise<void> {
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'service.instance.id': `${service}-1` }),
    readers: [reader],
    views: [{ instrumentName: 'payload.size', aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM, options: { maxSize: 20 } } }],
  });
  const meter = provider.getMeter('sextant-e2e', '1.2.3');
  const requests = meter.createCounter('http.server.requests', { unit: '{request}', description: 'Requests served' });
  const inFlight = meter.createUpDownCounter('http.server.active_requests', { unit: '{request}' });
  const temperature = meter.createGauge('cpu.temperature', { unit: 'Cel' });
  const latency = meter.createHistogram('http.server.duration', { unit: 's', advice: { explicitBucketBoundaries: [0.1, 0.5, 1] } });
  const payload = meter.createHistogram('payload.size', { unit: 'By' });
  for (const [i, route] of ROUTES.entries()) {
    requests.add(i + 1, { 'http.route': route });
    inFlight.add(2, { 'http.route': route });
    inFlight.add(-1, { 'http.route': route });
    latency.record(0.05 * (i + 1), { 'http.route': route });
    latency.record(0.7, { 'http.route': route });
  }
  temperature.record(61.5, { core: '0' });
  for (const size of [1, 10, 100, 1000]) payload.record(size);
  // One collection and export: shutdown collects once (a forceFlush before it would export a second time).
  await provider.shutdown();
}

describe('OpenTelemetry SDK metrics → ingest.metrics', () => {
  const pipeline = new Pipeline();
  const deps = { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') };
  const conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'e2e-metrics', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, avroTypeOptions(), deps);
  const seen: { partition: number; key: string; sample: MetricSample; writer: string }[] = [];
  let reader: CommittedTopicReader;
  let base = '';
  let grpcUrl = '';

  before(async () => {
    const ingest = await pipeline.add('ingest');
    await ingest.waitReady();
    base = `http://127.0.0.1:${ingest.httpPort}`;
    grpcUrl = `http://127.0.0.1:${ingest.env['SEXTANT_INGEST_GRPC_PORT']}`;
    reader = new CommittedTopicReader(conn, `${pipeline.prefix}ingest.metrics`, async (m) => {
      if (m.value === null) return;
      const decoded = await serde.decode<MetricBatch>(m.value);
      for (const sample of decoded.value.records) seen.push({ partition: m.partition, key: m.key?.toString() ?? '', sample, writer: decoded.writerName });
    });
    await reader.start();
  });

  after(async () => {
    await reader?.close();
    await conn.close();
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  it('stores every data point of the OTLP/HTTP JSON (cumulative) and protobuf (delta) and OTLP/gRPC exporters once, as the SDK recorded it', async () => {
    await exportWith(new OtlpHttpJsonMetricExporter({ url: `${base}/v1/metrics`, temporalityPreference: AggregationTemporality.CUMULATIVE }) as unknown as PushMetricExporter, 'shop-json');
    await exportWith(new OtlpHttpProtoMetricExporter({ url: `${base}/v1/metrics`, temporalityPreference: AggregationTemporality.DELTA }) as unknown as PushMetricExporter, 'shop-proto');
    await exportWith(new OtlpGrpcMetricExporter({ url: grpcUrl, temporalityPreference: AggregationTemporality.CUMULATIVE }) as unknown as PushMetricExporter, 'shop-grpc');
    // Per service: 3 counter, 3 up-down, 1 gauge, 3 histogram and 1 exponential histogram points.
    await pipeline.eventually(async () => { await reader.caughtUp(); return seen.length; }, (n) => n >= 33, 30_000, 'every data point on ingest.metrics');
    await reader.caughtUp();
    assert.equal(seen.length, 33, 'each data point once');
    assert.ok(seen.every((s) => s.writer === 'io.sextant.metrics.MetricBatch'), 'written as MetricBatch envelopes');

    for (const [service, temporality] of [['shop-json', 'CUMULATIVE'], ['shop-proto', 'DELTA'], ['shop-grpc', 'CUMULATIVE']] as const) {
      const mine = seen.map((s) => s.sample).filter((s) => s.serviceName === service);
      assert.equal(mine.length, 11, service);
      for (const s of mine) {
        assert.equal(s.tenant, 'default');
        assert.equal(s.source, 'otlp');
        assert.equal(s.scopeName, 'sextant-e2e');
        assert.equal(s.resource['service.instance.id'], `${service}-1`);
      }
      const counter = mine.filter((s) => s.name === 'http.server.requests').sort((a, b) => a.value - b.value);
      assert.deepEqual(counter.map((s) => [s.type, s.temporality, s.isMonotonic, s.unit, s.attributes['http.route'], s.value]), ROUTES.map((r, i) => ['SUM', temporality, true, '{request}', r, i + 1]));
      const updown = mine.filter((s) => s.name === 'http.server.active_requests');
      assert.deepEqual(updown.map((s) => [s.type, s.isMonotonic, s.value]), ROUTES.map(() => ['SUM', false, 1]));
      const [gauge] = mine.filter((s) => s.name === 'cpu.temperature');
      assert.deepEqual([gauge?.type, gauge?.temporality, gauge?.unit, gauge?.value, gauge?.attributes['core']], ['GAUGE', 'UNSPECIFIED', 'Cel', 61.5, '0']);
      const latency = mine.filter((s) => s.name === 'http.server.duration' && s.attributes['http.route'] === '/cart');
      assert.equal(latency.length, 1);
      const h = latency[0]?.histogram;
      assert.equal(latency[0]?.temporality, temporality);
      assert.deepEqual([h?.count, h?.explicitBounds, h?.bucketCounts, h?.max], [2n, [0.1, 0.5, 1], [1n, 0n, 1n, 0n], 0.7]);
      assert.ok(Math.abs((h?.sum ?? 0) - 0.75) < 1e-9);
      const [payload] = mine.filter((s) => s.name === 'payload.size');
      assert.equal(payload?.type, 'EXPONENTIAL_HISTOGRAM');
      assert.equal(payload?.exponentialHistogram?.count, 4n);
      assert.equal(payload?.exponentialHistogram?.sum, 1111);
      const positive = payload?.exponentialHistogram?.positive.bucketCounts.reduce((a, b) => a + b, 0n);
      assert.equal(positive, 4n);
    }
  });

  it('puts each sample in the partition of its series key, and keys each envelope by a series of that partition', async () => {
    await reader.caughtUp();
    const partitions = await conn.partitionCount(`${pipeline.prefix}ingest.metrics`);
    assert.ok(partitions > 1);
    for (const s of seen) {
      assert.equal(s.partition, partitionForKey(metricSeriesKey(s.sample), partitions), metricSeriesKey(s.sample));
      assert.equal(partitionForKey(s.key, partitions), s.partition, `envelope key ${s.key}`);
    }
    assert.ok(new Set(seen.map((s) => s.partition)).size > 1, 'the series spread over partitions');
  });

  it('answers bad metrics requests precisely: 400 for malformed bodies, 415 for other media types; partial success names rejected points', async () => {
    const bad = await fetch(`${base}/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceMetrics": [' });
    assert.equal(bad.status, 400);
    const wrongType = await fetch(`${base}/v1/metrics`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'x' });
    assert.equal(wrongType.status, 415);
    const partial = await fetch(`${base}/v1/metrics`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceMetrics: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'partial' } }] },
            scopeMetrics: [
              {
                metrics: [
                  { name: 'ok.gauge', gauge: { dataPoints: [{ asDouble: 1, timeUnixNano: String(BigInt(Date.now()) * 1_000_000n) }] } },
                  { name: 'bad.histogram', histogram: { aggregationTemporality: 2, dataPoints: [{ count: '1', bucketCounts: ['1'], explicitBounds: [1, 2] }] } },
                ],
              },
            ],
          },
        ],
      }),
    });
    assert.equal(partial.status, 200);
    const body = (await partial.json()) as { partialSuccess?: { rejectedDataPoints?: string | number; errorMessage?: string } };
    assert.equal(Number(body.partialSuccess?.rejectedDataPoints), 1);
    assert.match(body.partialSuccess?.errorMessage ?? '', /bucket/i);
    await pipeline.eventually(async () => { await reader.caughtUp(); return seen.filter((s) => s.sample.serviceName === 'partial').map((s) => s.sample.name); }, (names) => names.length >= 1, 30_000, 'the valid point of the partial request');
    await reader.caughtUp();
    assert.deepEqual(seen.filter((s) => s.sample.serviceName === 'partial').map((s) => s.sample.name), ['ok.gauge']);
  });

  it('answers a malformed OTLP/gRPC export with INVALID_ARGUMENT', async () => {
    const client = new Client(grpcUrl.replace('http://', ''), credentials.createInsecure());
    try {
      const err = await new Promise<ServiceError | null>((resolve) =>
        client.makeUnaryRequest('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), (e) => resolve(e)),
      );
      assert.equal(err?.code, GrpcStatus.INVALID_ARGUMENT);
      assert.ok((err?.details ?? '').length > 0);
    } finally {
      client.close();
    }
  });
});
