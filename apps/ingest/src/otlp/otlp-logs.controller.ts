/**
 * OTLP/HTTP logs receiver (`POST /v1/logs`, protobuf or JSON, optionally gzip) per the OTLP/HTTP spec:
 * 200 with an ExportLogsServiceResponse (partial success when some records were rejected); errors as
 * otlp-http.ts maps them. Responses use the request's encoding. Nothing of a rejected request reaches Kafka:
 * decoding and validation finish before the first record is produced, and the 200 is sent only once Kafka has
 * acknowledged every record.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { LogRecord } from '@sextant/contracts';
import type { OversizedRecord } from '@sextant/kafka';
import { decodeOtlpLogsJson, decodeOtlpLogsProtobuf, encodeExportLogsResponseJson, encodeExportLogsResponseProtobuf, partialSuccessOf } from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { LogPublisher } from '../logs/log-publisher.service';
import { IngestMetrics } from '../ingest.metrics';
import { answerEncodingOf, readOtlpBody, sendOtlp, sendOtlpProblem } from './otlp-http';
import { HttpProblem } from './otlp-request-body';

/** Reasons of records refused as larger than any Kafka message, in OTLP partial-success words. */
function oversizedReasons(tooLarge: readonly OversizedRecord<LogRecord>[], limit: number): string[] {
  return tooLarge.map((t) => `log record ${t.index} encodes to ${t.bytes} bytes, more than the ${limit} bytes one Kafka message may hold; it was not accepted`);
}

@Controller('v1')
export class OtlpLogsController {
  constructor(
    private readonly publisher: LogPublisher,
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
      const ctx = { tenant, observedTimeUnixNano: BigInt(Date.now()) * 1_000_000n, maxRecords: this.settings.ingest.maxRecordsPerRequest };
      const decoded = encoding === 'protobuf' ? decodeOtlpLogsProtobuf(body, ctx) : decodeOtlpLogsJson(body.toString('utf8'), ctx);
      const tooLarge = await this.publisher.publish(decoded.records);
      const limit = this.settings.producer.envelopeMaxBytes;
      if (tooLarge.length > 0 && tooLarge.length === decoded.records.length && decoded.rejected === 0) {
        throw new HttpProblem(413, oversizedReasons(tooLarge.slice(0, 1), limit)[0] ?? 'record too large');
      }
      this.metrics.records('otlp-logs', decoded.records.length - tooLarge.length, decoded.rejected + tooLarge.length);
      const partial = partialSuccessOf({ ...decoded, rejected: decoded.rejected + tooLarge.length, errors: [...decoded.errors, ...oversizedReasons(tooLarge.slice(0, 10), limit)] });
      sendOtlp(reply, encoding, 200, encoding === 'protobuf' ? encodeExportLogsResponseProtobuf(partial) : encodeExportLogsResponseJson(partial));
      stop(200);
    } catch (e) {
      stop(sendOtlpProblem(reply, answerIn, e, this.settings.ingest.retryAfterSeconds));
    }
  }
}
