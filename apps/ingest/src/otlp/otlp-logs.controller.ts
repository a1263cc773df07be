/**
 * OTLP/HTTP logs receiver (`POST /v1/logs`, protobuf or JSON, optionally gzip) per the OTLP/HTTP spec:
 * 200 with an ExportLogsServiceResponse (partial success when some records were rejected); 400 with a
 * google.rpc.Status for malformed bodies; 413 for bodies or record counts over the limits; 415 for other
 * media types or encodings; 429 (back-pressure) and 503 (Kafka unavailable) with Retry-After. Responses use
 * the request's encoding. Nothing of a rejected request reaches Kafka: decoding and validation finish before
 * the first record is produced, and the 200 is sent only once Kafka has acknowledged every record.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import type { LogRecord } from '@sextant/contracts';
import { BackpressureError, KafkaUnavailableError, RecordTooLargeError, type OversizedRecord } from '@sextant/kafka';
import {
  GrpcStatusCode,
  OtlpDecodeError,
  OtlpTooManyRecordsError,
  decodeOtlpLogsJson,
  decodeOtlpLogsProtobuf,
  encodeExportLogsResponseJson,
  encodeExportLogsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  partialSuccessOf,
} from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError, TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { LogPublisher } from '../logs/log-publisher.service';
import { IngestMetrics } from '../ingest.metrics';
import { HttpProblem, decodeContentEncoding, otlpEncodingOf, type OtlpEncoding } from './otlp-request-body';

/** The gRPC code OTLP puts in the Status body of each HTTP error status. */
const GRPC_CODE: Record<number, number> = {
  400: GrpcStatusCode.INVALID_ARGUMENT,
  401: GrpcStatusCode.UNAUTHENTICATED,
  413: GrpcStatusCode.INVALID_ARGUMENT,
  415: GrpcStatusCode.INVALID_ARGUMENT,
  429: GrpcStatusCode.RESOURCE_EXHAUSTED,
  503: GrpcStatusCode.UNAVAILABLE,
};

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
    const declared = otlpEncodingOf(req.headers['content-type']);
    // Errors answer in the request's encoding; JSON when the request's media type is not one of OTLP's.
    const encoding: OtlpEncoding = declared ?? 'json';
    const stop = this.metrics.startRequest('otlp-logs');
    try {
      const tenant = this.tenants.resolve(req.headers);
      if (declared === null) {
        throw new HttpProblem(415, 'Content-Type must be application/x-protobuf or application/json');
      }
      const raw = req.body;
      if (!Buffer.isBuffer(raw)) throw new HttpProblem(400, 'request body is empty');
      const body = decodeContentEncoding(raw, req.headers['content-encoding'], this.settings.ingest.maxDecompressedBytes);
      const ctx = { tenant, observedTimeUnixNano: BigInt(Date.now()) * 1_000_000n, maxRecords: this.settings.ingest.maxRecordsPerRequest };
      const decoded = encoding === 'protobuf' ? decodeOtlpLogsProtobuf(body, ctx) : decodeOtlpLogsJson(body.toString('utf8'), ctx);
      const tooLarge = await this.publisher.publish(decoded.records);
      const limit = this.settings.producer.envelopeMaxBytes;
      if (tooLarge.length > 0 && tooLarge.length === decoded.records.length && decoded.rejected === 0) {
        throw new HttpProblem(413, oversizedReasons(tooLarge.slice(0, 1), limit)[0] ?? 'record too large');
      }
      this.metrics.records('otlp-logs', decoded.records.length - tooLarge.length, decoded.rejected + tooLarge.length);
      const partial = partialSuccessOf({ ...decoded, rejected: decoded.rejected + tooLarge.length, errors: [...decoded.errors, ...oversizedReasons(tooLarge.slice(0, 10), limit)] });
      this.send(reply, encoding, 200, encoding === 'protobuf' ? encodeExportLogsResponseProtobuf(partial) : encodeExportLogsResponseJson(partial));
      stop(200);
    } catch (e) {
      const problem = this.toProblem(e);
      if (problem.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(problem.retryAfterSeconds));
      const status = { code: GRPC_CODE[problem.status] ?? 2, message: problem.message };
      this.send(reply, encoding, problem.status, encoding === 'protobuf' ? encodeStatusProtobuf(status) : encodeStatusJson(status));
      stop(problem.status);
    }
  }

  private toProblem(e: unknown): HttpProblem {
    const retry = this.settings.ingest.retryAfterSeconds;
    if (e instanceof HttpProblem) return e;
    if (e instanceof AuthError) return new HttpProblem(e.status, e.message);
    if (e instanceof OtlpTooManyRecordsError) return new HttpProblem(413, e.message);
    if (e instanceof OtlpDecodeError) return new HttpProblem(400, e.message);
    // A record over the producer's request cap can never be sent: retrying would not help.
    if (e instanceof RecordTooLargeError) return new HttpProblem(413, e.message);
    // The producer's own estimate of when its buffer drains, when it has one; the configured value otherwise.
    if (e instanceof BackpressureError) return new HttpProblem(429, `ingest is saturated, retry later: ${e.message}`, e.retryAfterMs > 0 ? Math.ceil(e.retryAfterMs / 1000) : retry);
    if (e instanceof KafkaUnavailableError) return new HttpProblem(503, `Kafka is unavailable, nothing was accepted: ${e.message}`, retry);
    return new HttpProblem(503, `internal error, nothing was accepted: ${e instanceof Error ? e.message : String(e)}`, retry);
  }

  private send(reply: FastifyReply, encoding: OtlpEncoding, status: number, body: Uint8Array | string): void {
    void reply
      .status(status)
      .header('Content-Type', encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json')
      .send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
  }
}
