/**
 * The ways a remote-write request fails as a whole, one class per HTTP answer so the HTTP layer maps them
 * without reading messages: 415 (not a remote-write body this receiver takes), 413 (over the size limit),
 * 400 (malformed: bad snappy, bad protobuf, or a 1.0 request with an invalid native histogram). A 400 is never
 * retried by a Prometheus sender, a 5xx is; nothing here is a 5xx. Per-series problems that leave the rest of
 * the request accepted are not errors: they are listed in `RemoteWriteRequest.problems`.
 */

import type { RemoteWriteMessage } from './remote-write.model';

/** Base class: `statusCode` is the HTTP status the receiver answers with. */
export abstract class RemoteWriteError extends Error {
  abstract readonly statusCode: 400 | 413 | 415;

  constructor(
    message: string,
    /**
     * The request's message type when the failure came after negotiation and decompression (the body itself was
     * bad); the response headers depend on it (see remoteWriteErrorResponse).
     */
    readonly protobufMessage?: RemoteWriteMessage,
  ) {
    super(message);
  }
}

/** Unsupported Content-Type, `proto` message or Content-Encoding (HTTP 415). */
export class RemoteWriteUnsupportedError extends RemoteWriteError {
  override readonly name = 'RemoteWriteUnsupportedError';
  readonly statusCode = 415;
}

/** The body, compressed or as its snappy header announces it decompressed, is over the limit (HTTP 413). */
export class RemoteWriteTooLargeError extends RemoteWriteError {
  override readonly name = 'RemoteWriteTooLargeError';
  readonly statusCode = 413;

  constructor(
    /** Bytes the body has (`compressed`) or would have decompressed (`decompressed`). */
    readonly bytes: number,
    /** The configured limit. */
    readonly limitBytes: number,
    readonly what: 'compressed' | 'decompressed',
  ) {
    super(`${what} remote-write body of ${bytes} bytes exceeds the limit of ${limitBytes} bytes`);
  }
}

/** The body is not a well-formed request of its message type (HTTP 400). The message says where and why. */
export class RemoteWriteDecodeError extends RemoteWriteError {
  override readonly name = 'RemoteWriteDecodeError';
  readonly statusCode = 400;
}
