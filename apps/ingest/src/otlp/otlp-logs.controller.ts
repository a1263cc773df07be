/**
 * OTLP/HTTP logs receiver (`POST /v1/logs`, protobuf or JSON, optionally gzip) per the OTLP/HTTP spec:
 * 200 with an ExportLogsServiceResponse (partial success when some records were rejected); errors as
 * otlp-http.ts maps them. Responses use the request's encoding. The work is OtlpReceivers.logs.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { encodeExportLogsResponseJson, encodeExportLogsResponseProtobuf } from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { IngestMetrics } from '../ingest.metrics';
import { answerEncodingOf, readOtlpBody, sendOtlp, sendOtlpProblem } from './otlp-http';
import { OtlpReceivers } from './otlp-receivers';

@Controller('v1')
export class OtlpLogsController {
  constructor(
    private readonly receivers: OtlpReceivers,
    private readonly tenants: TenantResolver,
    private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {}

  @Post('logs')
  async logs(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const answerIn = answerEncodingOf(req);
    const stop = this.metrics.startRequest('otlp-logs');
    try {
      const tenant = this.tenants.resolve(req.headers);
      const { encoding, body } = readOtlpBody(req, this.settings.ingest.maxDecompressedBytes);
      const partial = await this.receivers.logs(tenant, body, encoding, 'otlp-logs');
      sendOtlp(reply, encoding, 200, encoding === 'protobuf' ? encodeExportLogsResponseProtobuf(partial) : encodeExportLogsResponseJson(partial));
      stop(200);
    } catch (e) {
      stop(sendOtlpProblem(reply, answerIn, e, this.settings.ingest.retryAfterSeconds));
    }
  }
}
