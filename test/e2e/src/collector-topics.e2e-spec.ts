/**
 * The OpenTelemetry Collector Kafka exporter's topics, consumed directly. Export requests built by the real
 * OpenTelemetry JS SDK and serialised as OTLP protobuf (the exporter's `otlp_proto` encoding) are published to
 * `otlp_logs` and `otlp_metrics` with `kcat`, one message per request, as the Collector writes them. The logs
 * reach ClickHouse through parser and sink, the metric points reach ingest.metrics and ClickHouse, each exactly once, with the
 * tenant of the message's X-Scope-OrgID header. A message that is not OTLP, and one whose tenant header is
 * malformed, go to the dead-letter topic with their bytes and coordinates, and hold up nothing behind them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemoryLogRecordExporter, LoggerProvider, SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { avroTypeOptions, type DeadLetter, type MetricBatch, type MetricSample } from '@sextant/contracts';
import { AvroSerde, KafkaConnection } from '@sextant/kafka';
import { CommittedTopicReader, Pipeline } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';

const KAFKA_BROKERS = process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const REGISTRY_URL = process.env['SEXTANT_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081';
const SERVICE = 'collector-topic-e2e';

/** An ExportLogsServiceRequest of `count` records, as OTLP protobuf bytes. */
function logsRequest(count: number): Uint8Array {
  const exporter = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({ resource: resourceFromAttributes({ 'service.name': SERVICE }), processors: [new SimpleLogRecordProcessor({ exporter })] });
  const logger = provider.getLogger('collector-e2e');
  for (let i = 0; i < count; i++) logger.emit({ body: `via otlp_logs ${i}`, severityNumber: SeverityNumber.WARN, severityText: 'WARN', attributes: { 'line.no': i }, timestamp: Date.UTC(2026, 0, 2, 3, 4, 5, i) });
  const bytes = ProtobufLogsSerializer.serializeRequest(exporter.getFinishedLogRecords());
  if (!bytes) throw new Error('the SDK serialised no logs request');
  return bytes;
}

/** An ExportMetricsServiceRequest with a counter of three series and a histogram, as OTLP protobuf bytes. */
async function metricsRequest(): Promise<Uint8Array> {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  const reader = new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 });
  const provider = new MeterProvider({ resource: resourceFromAttributes({ 'service.name': SERVICE, 'service.instance.id': 'c-1' }), readers: [reader] });
  const meter = provider.getMeter('collector-e2e');
  const jobs = meter.createCounter('jobs.done');
  for (const queue of ['a', 'b', 'c']) jobs.add(queue.charCodeAt(0), { queue });
  meter.createHistogram('job.seconds', { advice: { explicitBucketBoundaries: [1, 10] } }).record(4);
  await provider.shutdown();
  const [resourceMetrics] = exporter.getMetrics();
  if (!resourceMetrics) throw new Error('the SDK exported no metrics');
  const bytes = ProtobufMetricsSerializer.serializeRequest(resourceMetrics);
  if (!bytes) throw new Error('the SDK serialised no metrics request');
  return bytes;
}

describe('OpenTelemetry Collector Kafka topics (otlp_logs, otlp_metrics)', () => {
  const pipeline = new Pipeline();
  const deps = { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') };
  const conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'e2e-collector-topics', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, avroTypeOptions(), deps);
  const samples: MetricSample[] = [];
  const letters: DeadLetter[] = [];
  const readers: CommittedTopicReader[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'sextant-kcat-'));

  /** Publishes each body as one message with kcat (a file argument is sent as one message). */
  function kcat(topic: string, bodies: Uint8Array[], headers: string[] = []): void {
    const files = bodies.map((body, i) => {
      const file = join(dir, `${topic}-${Date.now()}-${i}.bin`);
      writeFileSync(file, body);
      return file;
    });
    execFileSync('kcat', ['-P', '-b', KAFKA_BROKERS, '-t', `${pipeline.prefix}${topic}`, ...headers.flatMap((h) => ['-H', h]), ...files], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30_000 });
  }

  before(async () => {
    await pipeline.start('sink', 'parser', 'ingest');
    const metricsReader = new CommittedTopicReader(conn, `${pipeline.prefix}ingest.metrics`, async (m) => {
      if (m.value !== null) samples.push(...(await serde.decode<MetricBatch>(m.value)).value.records);
    });
    const deadLetterReader = new CommittedTopicReader(conn, `${pipeline.prefix}deadletter`, async (m) => {
      if (m.value !== null) letters.push((await serde.decode<DeadLetter>(m.value)).value);
    });
    readers.push(metricsReader, deadLetterReader);
    for (const r of readers) await r.start();
  });

  after(async () => {
    for (const r of readers) await r.close();
    await conn.close();
    await pipeline.stopAll();
    pipeline.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores the log records of requests published to otlp_logs, exactly once, under the header tenant', async () => {
    kcat('otlp_logs', [logsRequest(5), logsRequest(3)], ['X-Scope-OrgID=acme']);
    const rows = await pipeline.eventually(
      () => pipeline.query<{ Body: string; Tenant: string; SeverityText: string; ServiceName: string }>(`SELECT Body, Tenant, SeverityText, ServiceName FROM sextant.otel_logs WHERE ServiceName = '${SERVICE}' ORDER BY Body`),
      (r) => r.length >= 8,
      60_000,
      '8 rows from otlp_logs in ClickHouse',
    );
    assert.equal(rows.length, 8);
    assert.deepEqual(
      rows.map((r) => r.Body),
      ['via otlp_logs 0', 'via otlp_logs 0', 'via otlp_logs 1', 'via otlp_logs 1', 'via otlp_logs 2', 'via otlp_logs 2', 'via otlp_logs 3', 'via otlp_logs 4'],
    );
    for (const r of rows) {
      assert.equal(r.Tenant, 'acme');
      assert.equal(r.SeverityText, 'WARN');
    }
  });

  it('publishes the data points of requests on otlp_metrics to ingest.metrics, each once, and stores them', async () => {
    kcat('otlp_metrics', [await metricsRequest()]);
    const ours = (): MetricSample[] => samples.filter((s) => s.serviceName === SERVICE);
    await pipeline.eventually(async () => ours(), (s) => s.length >= 4, 60_000, '4 samples from otlp_metrics on ingest.metrics');
    const got = ours();
    assert.equal(got.length, 4);
    const counter = got.filter((s) => s.name === 'jobs.done').sort((a, b) => a.attributes['queue']!.localeCompare(b.attributes['queue']!));
    assert.deepEqual(
      counter.map((s) => [s.attributes['queue'], s.value, s.type, s.temporality, s.isMonotonic, s.tenant, s.source]),
      [
        ['a', 97, 'SUM', 'CUMULATIVE', true, 'default', 'kafka-otlp'],
        ['b', 98, 'SUM', 'CUMULATIVE', true, 'default', 'kafka-otlp'],
        ['c', 99, 'SUM', 'CUMULATIVE', true, 'default', 'kafka-otlp'],
      ],
    );
    const histogram = got.find((s) => s.name === 'job.seconds');
    assert.deepEqual(histogram?.histogram?.bucketCounts, [0n, 1n, 0n]);
    assert.equal(histogram?.histogram?.sum, 4);
    // And the sink stores them: in the OpenTelemetry exporter's tables and as samples of their series.
    const stored = await pipeline.eventually(
      () =>
        pipeline.query<{ t: string; c: string }>(
          `SELECT 'sum' AS t, count() AS c FROM sextant.otel_metrics_sum WHERE ServiceName = '${SERVICE}' UNION ALL SELECT 'histogram', count() FROM sextant.otel_metrics_histogram WHERE ServiceName = '${SERVICE}'
           UNION ALL SELECT 'samples', count() FROM sextant.sextant_metric_samples WHERE MetricName = 'jobs.done' AND Tenant = 'default'`,
        ),
      (r) => r.every((x) => Number(x.c) > 0),
      60_000,
      'the otlp_metrics points in ClickHouse',
    );
    assert.deepEqual(Object.fromEntries(stored.map((r) => [r.t, Number(r.c)])), { sum: 3, histogram: 1, samples: 3 });
    const values = await pipeline.query<{ Value: number }>(`SELECT Value FROM sextant.otel_metrics_sum WHERE ServiceName = '${SERVICE}' ORDER BY Value`);
    assert.deepEqual(values.map((v) => Number(v.Value)), [97, 98, 99]);
  });

  it('dead-letters a message that is not OTLP and one with a malformed tenant header, and goes on', async () => {
    const garbage = Buffer.from('this is not protobuf \xff\xfe', 'latin1');
    kcat('otlp_metrics', [garbage]);
    kcat('otlp_logs', [logsRequest(1)], ['X-Scope-OrgID=no spaces allowed']);
    kcat('otlp_logs', [logsRequest(2)], ['X-Scope-OrgID=after-bad']);
    const rows = await pipeline.eventually(
      () => pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.otel_logs WHERE ServiceName = '${SERVICE}' AND Tenant = 'after-bad'`),
      (r) => Number(r[0]?.c) >= 2,
      60_000,
      'the request after the bad ones stored',
    );
    assert.equal(Number(rows[0]?.c), 2);
    const undecodable = await pipeline.eventually(async () => letters.filter((l) => l.topic === `${pipeline.prefix}otlp_metrics`), (l) => l.length >= 1, 30_000, 'a dead letter for the garbage');
    assert.equal(undecodable.length, 1);
    assert.equal(undecodable[0]?.stage, 'ingest');
    assert.equal(undecodable[0]?.errorKind, 'undecodable');
    assert.match(undecodable[0]?.reason ?? '', /not an OTLP protobuf export request/);
    assert.deepEqual(undecodable[0]?.value, garbage);
    assert.ok((undecodable[0]?.offset ?? -1n) >= 0n);
    const badTenant = letters.filter((l) => l.topic === `${pipeline.prefix}otlp_logs`);
    assert.equal(badTenant.length, 1);
    assert.equal(badTenant[0]?.errorKind, 'invalid');
    assert.match(badTenant[0]?.reason ?? '', /x-scope-orgid/);
    assert.equal(badTenant[0]?.headers['X-Scope-OrgID'], 'no spaces allowed');
  });
});
