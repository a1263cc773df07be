/**
 * Turns an OTLP/HTTP request body into bytes ready to decode: checks the media type (protobuf or JSON, the
 * only two OTLP/HTTP defines) and undoes Content-Encoding (gzip, deflate or none) with a hard cap on the
 * decompressed size, so a small bomb cannot blow up memory.
 */
import { gunzipSync, inflateSync } from 'node:zlib';

export type OtlpEncoding = 'protobuf' | 'json';

export class HttpProblem extends Error {
  constructor(
    readonly status: 400 | 401 | 413 | 415 | 429 | 503,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Media types accepted on the OTLP/HTTP endpoints (the Fastify parser is registered for these). */
export const OTLP_MEDIA_TYPES = ['application/x-protobuf', 'application/protobuf', 'application/json'] as const;

export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | null {
  const media = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (media === 'application/x-protobuf' || media === 'application/protobuf') return 'protobuf';
  if (media === 'application/json') return 'json';
  return null;
}

export function decodeContentEncoding(body: Buffer, contentEncoding: string | undefined, maxDecompressedBytes: number): Buffer {
  const enc = (contentEncoding ?? 'identity').trim().toLowerCase();
  try {
    if (enc === '' || enc === 'identity') return body;
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body, { maxOutputLength: maxDecompressedBytes });
    if (enc === 'deflate') return inflateSync(body, { maxOutputLength: maxDecompressedBytes });
  } catch (e) {
    if (e instanceof RangeError || (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new HttpProblem(413, `decompressed body exceeds ${maxDecompressedBytes} bytes`);
    }
    throw new HttpProblem(400, `body is not valid ${enc}: ${(e as Error).message}`);
  }
  throw new HttpProblem(415, `unsupported Content-Encoding "${enc}" (use gzip, deflate or none)`);
}
