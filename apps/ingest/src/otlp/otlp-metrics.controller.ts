/**
 * OTLP/HTTP metrics receiver (`POST /v1/metrics`, protobuf or JSON, optionally gzip) per the OTLP/HTTP spec:
 * 200 with an ExportMetricsServiceResponse (partial success naming the data points that were rejected, each
 * with its path); errors as otlp-http.ts maps them. Every accepted data point becomes one MetricSample on
 * ingest.metrics (OtlpReceivers.metricPoints).
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { encodeExportMetricsResponseJson, encodeExportMetricsResponseProtobuf } from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { IngestMetrics } from '../ingest.metrics';
import { answerEncodingOf, readOtlpBody, sendOtlp, sendOtlpProblem } from './otlp-http';
import { OtlpReceivers } from './otlp-receivers';

@Controller('v1')
export class OtlpMetricsController {
  constructor(
    private readonly receivers: OtlpReceivers,
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
      const partial = await this.receivers.metricPoints(tenant, body, encoding, 'otlp-metrics');
      sendOtlp(reply, encoding, 200, encoding === 'protobuf' ? encodeExportMetricsResponseProtobuf(partial) : encodeExportMetricsResponseJson(partial));
      stop(200);
    } catch (e) {
      stop(sendOtlpProblem(reply, answerIn, e, this.settings.ingest.retryAfterSeconds));
    }
  }
}
