/**
 * OTLP/HTTP metrics receiver (`POST /v1/metrics`, protobuf or JSON, optionally gzip) per the OTLP/HTTP spec:
 * 200 with an ExportMetricsServiceResponse (partial success naming the data points that were rejected, each
 * with its path); errors as otlp-http.ts maps them. Every accepted data point becomes one MetricSample on
 * ingest.metrics (gauge, sum, histogram, exponential histogram or summary, with unit, temporality,
 * monotonicity and exemplars). Nothing of a rejected request reaches Kafka, and the 200 is sent only once
 * Kafka has acknowledged every sample.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { MetricSample } from '@sextant/contracts';
import type { OversizedRecord } from '@sextant/kafka';
import { decodeOtlpMetricsJson, decodeOtlpMetricsProtobuf, encodeExportMetricsResponseJson, encodeExportMetricsResponseProtobuf, metricSampleOf, metricsPartialSuccessOf } from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { IngestMetrics } from '../ingest.metrics';
import { MetricPublisher } from '../metrics/metric-publisher.service';
import { answerEncodingOf, readOtlpBody, sendOtlp, sendOtlpProblem } from './otlp-http';
import { HttpProblem } from './otlp-request-body';

function oversizedReasons(tooLarge: readonly OversizedRecord<MetricSample>[], limit: number): string[] {
  return tooLarge.map((t) => `data point ${t.index} (${t.record.name}) encodes to ${t.bytes} bytes, more than the ${limit} bytes one Kafka message may hold; it was not accepted`);
}

@Controller('v1')
export class OtlpMetricsController {
  constructor(
    private readonly publisher: MetricPublisher,
    private readonly tenants: TenantResolver,
    private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {}

  @Post('metrics')
  async export(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answerIn = answerEncodingOf(req);
    const stop = this.metrics.startRequest('otlp-metrics');
    try {
      const tenant = this.tenants.resolve(req.headers);
      const { encoding, body } = readOtlpBody(req, this.settings.ingest.maxDecompressedBytes);
      const ctx = { tenant, maxDataPoints: this.settings.ingest.maxRecordsPerRequest };
      const decoded = encoding === 'protobuf' ? decodeOtlpMetricsProtobuf(body, ctx) : decodeOtlpMetricsJson(body.toString('utf8'), ctx);
      const samples = decoded.points.map((p) => metricSampleOf(p));
      const tooLarge = await this.publisher.publish(samples);
      const limit = this.settings.producer.envelopeMaxBytes;
      if (tooLarge.length > 0 && tooLarge.length === samples.length && decoded.rejected === 0) {
        throw new HttpProblem(413, oversizedReasons(tooLarge.slice(0, 1), limit)[0] ?? 'data point too large');
      }
      this.metrics.records('otlp-metrics', samples.length - tooLarge.length, decoded.rejected + tooLarge.length);
      const partial = metricsPartialSuccessOf({ ...decoded, rejected: decoded.rejected + tooLarge.length, errors: [...decoded.errors, ...oversizedReasons(tooLarge.slice(0, 10), limit)] });
      sendOtlp(reply, encoding, 200, encoding === 'protobuf' ? encodeExportMetricsResponseProtobuf(partial) : encodeExportMetricsResponseJson(partial));
      stop(200);
    } catch (e) {
      stop(sendOtlpProblem(reply, answerIn, e, this.settings.ingest.retryAfterSeconds));
    }
  }
}
