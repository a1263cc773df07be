/**
 * The logs path end to end with the real OpenTelemetry JS SDK: records exported over OTLP/HTTP as JSON and as
 * protobuf, and over OTLP/gRPC (gzip-compressed), go through ingest → ingest.logs → parser → logs → sink and are found in ClickHouse
 * exactly once each, with their attributes, severity, trace and span ids and resource.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { OTLPLogExporter as OtlpHttpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpHttpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPLogExporter as OtlpGrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { LoggerProvider, SimpleLogRecordProcessor, type LogRecordExporter } from '@opentelemetry/sdk-logs';
import { Pipeline } from '@sextant/testing';

interface Row {
  Body: string;
  SeverityText: string;
  SeverityNumber: number;
  TraceId: string;
  SpanId: string;
  TraceFlags: number;
  ServiceName: string;
  Tenant: string;
  LogAttributes: Record<string, string>;
  ResourceAttributes: Record<string, string>;
  ScopeName: string;
  ts: string;
}

// Recent timestamps: the logs table's TTL drops rows older than its retention at once.
const BASE_SECONDS = Math.floor(Date.now() / 1000) - 60;

function expectedTimestamp(i: number): string {
  const d = new Date((BASE_SECONDS + i) * 1000).toISOString(); // 2026-11-26T21:00:00.000Z
  return `${d.slice(0, 10)} ${d.slice(11, 19)}.123456789`;
}

async function exportWith(exporter: LogRecordExporter, service: string, count: number): Promise<void> {
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': service, 'deployment.environment': 'e2e' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const logger = provider.getLogger('sextant-e2e', '1.2.3');
  for (let i = 0; i < count; i++) {
    const ctx = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: `${String(i).padStart(2, '0')}${'ab'.repeat(15)}`,
      spanId: `${String(i).padStart(2, '0')}${'cd'.repeat(7)}`,
      traceFlags: TraceFlags.SAMPLED,
    });
    logger.emit({
      timestamp: [BASE_SECONDS + i, 123_456_789],
      severityNumber: i % 2 === 0 ? SeverityNumber.ERROR : SeverityNumber.INFO,
      severityText: i % 2 === 0 ? 'ERROR' : 'INFO',
      body: `${service} record ${i}`,
      attributes: { 'order.id': `o-${i}`, 'retry.count': i, 'cache.hit': i % 3 === 0 },
      context: ctx,
    });
  }
  await provider.forceFlush();
  await provider.shutdown();
}

describe('OpenTelemetry SDK → ClickHouse', () => {
  const pipeline = new Pipeline();

  before(async () => {
    await pipeline.start('sink', 'parser', 'ingest');
  });

  after(async () => {
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  for (const encoding of ['json', 'protobuf', 'grpc'] as const) {
    it(`stores exactly the records exported as ${encoding === 'grpc' ? 'OTLP/gRPC' : `OTLP/HTTP ${encoding}`}`, async () => {
      const ingest = pipeline.stage('ingest');
      const url = `http://127.0.0.1:${ingest.httpPort}/v1/logs`;
      const service = `e2e-${encoding}`;
      const exporter =
        encoding === 'json'
          ? new OtlpHttpJsonLogExporter({ url })
          : encoding === 'protobuf'
            ? new OtlpHttpProtoLogExporter({ url })
            : new OtlpGrpcLogExporter({ url: `http://127.0.0.1:${ingest.env['SEXTANT_INGEST_GRPC_PORT']}`, compression: CompressionAlgorithm.GZIP });
      await exportWith(exporter, service, 6);

      const rows = await pipeline.eventually(
        () =>
          pipeline.query<Row>(
            `SELECT Body, SeverityText, SeverityNumber, TraceId, SpanId, TraceFlags, ServiceName, Tenant, LogAttributes, ResourceAttributes, ScopeName, toString(Timestamp) AS ts FROM sextant.otel_logs WHERE ServiceName = '${service}' ORDER BY Body`,
          ),
        (r) => r.length >= 6,
        30_000,
        `6 ${encoding} rows in ClickHouse`,
      );
      // Exactly once: no more rows arrive later.
      const count = await pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.otel_logs WHERE ServiceName = '${service}'`);
      assert.equal(Number(count[0]?.c), 6);
      rows.forEach((row, i) => {
        assert.equal(row.Body, `${service} record ${i}`);
        assert.equal(row.SeverityText, i % 2 === 0 ? 'ERROR' : 'INFO');
        assert.equal(Number(row.SeverityNumber), i % 2 === 0 ? 17 : 9);
        assert.equal(row.TraceId, `${String(i).padStart(2, '0')}${'ab'.repeat(15)}`);
        assert.equal(row.SpanId, `${String(i).padStart(2, '0')}${'cd'.repeat(7)}`);
        assert.equal(Number(row.TraceFlags), 1);
        assert.equal(row.Tenant, 'default');
        assert.equal(row.ScopeName, 'sextant-e2e');
        assert.equal(row.LogAttributes['order.id'], `o-${i}`);
        assert.equal(row.LogAttributes['retry.count'], String(i));
        assert.equal(row.LogAttributes['cache.hit'], String(i % 3 === 0));
        assert.equal(row.ResourceAttributes['service.name'], service);
        assert.equal(row.ResourceAttributes['deployment.environment'], 'e2e');
        assert.equal(row.ts, expectedTimestamp(i));
      });
    });
  }
});
