/**
 * The whole decode of one `POST /api/v1/write`: content negotiation (415), size limits (413), snappy block
 * decompression and protobuf decoding (400), then the protocol version's validation rules. The HTTP layer gives
 * it the two header values and the raw body, and maps a thrown RemoteWriteError to its `statusCode`; a returned
 * request may still carry `problems` (see remoteWriteResponse for the answer they make).
 */
import { negotiateRemoteWrite } from './negotiate-remote-write';
import { WireError } from './proto-wire';
import { resolveRemoteWriteDecodeConfig, type RemoteWriteDecodeConfig } from './remote-write.config';
import { RemoteWriteDecodeError } from './remote-write.error';
import { REMOTE_WRITE_V1, type RemoteWriteMessage, type RemoteWriteRequest } from './remote-write.model';
import { ensureWireFieldsMatchProto } from './remote-write-wire-fields';
import { decompressSnappyBody, reusingSnappyBlockCodec, type SnappyBlockCodec } from './snappy-block';
import { decodeWriteRequestV1 } from './decode-write-request-v1';
import { decodeWriteRequestV2 } from './decode-write-request-v2';

/** What the HTTP layer hands over: the header values as received (undefined when absent) and the raw body. */
export interface RemoteWriteHttpRequest {
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly body: Uint8Array;
}

/** A decoder bound to a validated configuration. */
export interface RemoteWriteDecoder {
  readonly config: RemoteWriteDecodeConfig;
  /** Decodes one request; `nowMs` is the clock for the future-timestamp limit. Throws RemoteWriteError (415, 413, 400). */
  decode(request: RemoteWriteHttpRequest, nowMs?: number): RemoteWriteRequest;
}

/**
 * Validates `overrides` over the defaults once (throws naming every bad field) and returns the decoder. The
 * .proto files are loaded and checked against the readers here too, so a broken installation fails at start.
 */
export function createRemoteWriteDecoder(overrides: Partial<RemoteWriteDecodeConfig> = {}, codec: SnappyBlockCodec = reusingSnappyBlockCodec): RemoteWriteDecoder {
  const config = resolveRemoteWriteDecodeConfig(overrides);
  ensureWireFieldsMatchProto();
  return { config, decode: (request, nowMs = Date.now()) => decodeRemoteWrite(request, config, nowMs, codec) };
}

/** One request with an already resolved configuration, at clock `nowMs` (ms since the epoch). */
export function decodeRemoteWrite(
  request: RemoteWriteHttpRequest,
  config: RemoteWriteDecodeConfig,
  nowMs: number = Date.now(),
  codec: SnappyBlockCodec = reusingSnappyBlockCodec,
): RemoteWriteRequest {
  const message = negotiateRemoteWrite(request.contentType, request.contentEncoding, config.acceptedMessages);
  const bytes = decompressSnappyBody(request.body, config.maxDecompressedBytes, codec);
  return decodeRemoteWriteProtobuf(message, bytes, config, nowMs);
}

/** Decodes uncompressed protobuf bytes of `message` (for callers that already decompressed, and for tests). */
export function decodeRemoteWriteProtobuf(message: RemoteWriteMessage, bytes: Uint8Array, config: RemoteWriteDecodeConfig, nowMs: number = Date.now()): RemoteWriteRequest {
  ensureWireFieldsMatchProto();
  try {
    return message === REMOTE_WRITE_V1 ? decodeWriteRequestV1(bytes, config, nowMs) : decodeWriteRequestV2(bytes, config, nowMs);
  } catch (err) {
    // protobufjs's Reader reports truncation as a RangeError; our own reads throw WireError.
    if (err instanceof WireError || err instanceof RangeError) {
      throw new RemoteWriteDecodeError(`invalid ${message} protobuf: ${err.message}`, message);
    }
    throw err;
  }
}
