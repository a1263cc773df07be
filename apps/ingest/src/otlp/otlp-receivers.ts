/**
 * The OTLP receivers' work, whatever the transport (OTLP/HTTP controllers, the OTLP/gRPC server): decode an
 * export request, publish what is valid, count, and say what was rejected (the OTLP partial success). Nothing
 * of a request that fails reaches Kafka: decoding and validation finish before the first envelope is produced,
 * and the answer waits until Kafka has acknowledged every envelope. Failures are thrown for the transport to
 * map: decode errors, HttpProblem 413 (the whole request too large for Kafka), Kafka's back-pressure and
 * unavailability.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { LogRecord, MetricSample } from '@sextant/contracts';
import type { OversizedRecord } from '@sextant/kafka';
import {
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  decodeOtlpMetricsJson,
  decodeOtlpMetricsProtobuf,
  metricSampleOf,
  metricsPartialSuccessOf,
  partialSuccessOf,
  type ExportLogsPartialSuccess,
  type ExportMetricsPartialSuccess,
} from '@sextant/otlp';
import type { IngestStageSettings } from '../ingest.config';
import { IngestMetrics } from '../ingest.metrics';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { LogPublisher } from '../logs/log-publisher.service';
import { MetricPublisher } from '../metrics/metric-publisher.service';
import { HttpProblem, type OtlpEncoding } from './otlp-request-body';

/** How many of the items too large for Kafka a partial success names. */
const NAMED_OVERSIZED = 10;

function tooLargeReasons<R>(what: (r: OversizedRecord<R>) => string, tooLarge: readonly OversizedRecord<R>[], limit: number): string[] {
  return tooLarge.slice(0, NAMED_OVERSIZED).map((t) => `${what(t)} encodes to ${t.bytes} bytes, more than the ${limit} bytes one Kafka message may hold; it was not accepted`);
}

@Injectable()
export class OtlpReceivers {
  constructor(
    private readonly logPublisher: LogPublisher,
    private readonly metricPublisher: MetricPublisher,
    private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {}

  /** An ExportLogsServiceRequest; `protocol` labels the counts (otlp-logs, otlp-grpc-logs). */
  async logs(tenant: string, body: Buffer, encoding: OtlpEncoding, protocol: string): Promise<ExportLogsPartialSuccess | undefined> {
    const ctx = { tenant, observedTimeUnixNano: BigInt(Date.now()) * 1_000_000n, maxRecords: this.settings.ingest.maxRecordsPerRequest };
    const decoded = encoding === 'protobuf' ? decodeOtlpLogsProtobuf(body, ctx) : decodeOtlpLogsJson(body.toString('utf8'), ctx);
    const tooLarge = await this.logPublisher.publish(decoded.records);
    const reasons = tooLargeReasons<LogRecord>((t) => `log record ${t.index}`, tooLarge, this.settings.producer.envelopeMaxBytes);
    if (tooLarge.length > 0 && tooLarge.length === decoded.records.length && decoded.rejected === 0) throw new HttpProblem(413, reasons[0] ?? 'record too large');
    this.metrics.records(protocol, decoded.records.length - tooLarge.length, decoded.rejected + tooLarge.length);
    return partialSuccessOf({ ...decoded, rejected: decoded.rejected + tooLarge.length, errors: [...decoded.errors, ...reasons] });
  }

  /** An ExportMetricsServiceRequest: one MetricSample per accepted data point. */
  async metricPoints(tenant: string, body: Buffer, encoding: OtlpEncoding, protocol: string): Promise<ExportMetricsPartialSuccess | undefined> {
    const ctx = { tenant, maxDataPoints: this.settings.ingest.maxRecordsPerRequest };
    const decoded = encoding === 'protobuf' ? decodeOtlpMetricsProtobuf(body, ctx) : decodeOtlpMetricsJson(body.toString('utf8'), ctx);
    const samples = decoded.points.map((p) => metricSampleOf(p));
    const tooLarge = await this.metricPublisher.publish(samples);
    const reasons = tooLargeReasons<MetricSample>((t) => `data point ${t.index} (${t.record.name})`, tooLarge, this.settings.producer.envelopeMaxBytes);
    if (tooLarge.length > 0 && tooLarge.length === samples.length && decoded.rejected === 0) throw new HttpProblem(413, reasons[0] ?? 'data point too large');
    this.metrics.records(protocol, samples.length - tooLarge.length, decoded.rejected + tooLarge.length);
    return metricsPartialSuccessOf({ ...decoded, rejected: decoded.rejected + tooLarge.length, errors: [...decoded.errors, ...reasons] });
  }
}
