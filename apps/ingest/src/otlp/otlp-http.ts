/**
 * What the OTLP/HTTP receivers (`/v1/logs`, `/v1/metrics`) share, per the OTLP/HTTP spec: reading the request
 * (media type, Content-Encoding with a cap on the decompressed size), answering in the request's encoding, and
 * mapping failures to statuses: 400 with a google.rpc.Status for malformed bodies; 413 for bodies, item counts
 * or items over the limits; 415 for other media types or encodings; 429 (back-pressure) and 503 (Kafka
 * unavailable) with Retry-After, the only ones a client should retry.
 */
import { BackpressureError, KafkaUnavailableError, RecordTooLargeError } from '@sextant/kafka';
import { GrpcStatusCode, OtlpDecodeError, OtlpTooManyItemsError, encodeStatusJson, encodeStatusProtobuf } from '@sextant/otlp';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthError } from '../auth/tenant-resolver';
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

/** The encoding errors are answered in: the request's, or JSON when its media type is not one of OTLP's. */
export function answerEncodingOf(req: FastifyRequest): OtlpEncoding {
  return otlpEncodingOf(req.headers['content-type']) ?? 'json';
}

/** The request's body, decompressed, and its encoding; throws HttpProblem 415/400/413. */
export function readOtlpBody(req: FastifyRequest, maxDecompressedBytes: number): { encoding: OtlpEncoding; body: Buffer } {
  const encoding = otlpEncodingOf(req.headers['content-type']);
  if (encoding === null) throw new HttpProblem(415, 'Content-Type must be application/x-protobuf or application/json');
  const raw = req.body;
  if (!Buffer.isBuffer(raw)) throw new HttpProblem(400, 'request body is empty');
  return { encoding, body: decodeContentEncoding(raw, req.headers['content-encoding'], maxDecompressedBytes) };
}

/** The answer to a failure: its status, message and, for what the client should retry, Retry-After. */
export function otlpProblemOf(e: unknown, retryAfterSeconds: number): HttpProblem {
  if (e instanceof HttpProblem) return e;
  if (e instanceof AuthError) return new HttpProblem(e.status, e.message);
  if (e instanceof OtlpTooManyItemsError) return new HttpProblem(413, e.message);
  if (e instanceof OtlpDecodeError) return new HttpProblem(400, e.message);
  // A record over the producer's request cap can never be sent: retrying would not help.
  if (e instanceof RecordTooLargeError) return new HttpProblem(413, e.message);
  // The producer's own estimate of when its buffer drains, when it has one; the configured value otherwise.
  if (e instanceof BackpressureError) return new HttpProblem(429, `ingest is saturated, retry later: ${e.message}`, e.retryAfterMs > 0 ? Math.ceil(e.retryAfterMs / 1000) : retryAfterSeconds);
  if (e instanceof KafkaUnavailableError) return new HttpProblem(503, `Kafka is unavailable, nothing was accepted: ${e.message}`, retryAfterSeconds);
  return new HttpProblem(503, `internal error, nothing was accepted: ${e instanceof Error ? e.message : String(e)}`, retryAfterSeconds);
}

export function sendOtlp(reply: FastifyReply, encoding: OtlpEncoding, status: number, body: Uint8Array | string): void {
  void reply
    .status(status)
    .header('Content-Type', encoding === 'protobuf' ? 'application/x-protobuf' : 'application/json')
    .send(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength));
}

/** Answers a failure with its status and a google.rpc.Status body; returns the status sent. */
export function sendOtlpProblem(reply: FastifyReply, encoding: OtlpEncoding, e: unknown, retryAfterSeconds: number): number {
  const problem = otlpProblemOf(e, retryAfterSeconds);
  if (problem.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(problem.retryAfterSeconds));
  const status = { code: GRPC_CODE[problem.status] ?? GrpcStatusCode.UNKNOWN, message: problem.message };
  sendOtlp(reply, encoding, problem.status, encoding === 'protobuf' ? encodeStatusProtobuf(status) : encodeStatusJson(status));
  return problem.status;
}
