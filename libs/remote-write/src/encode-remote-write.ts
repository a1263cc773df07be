/**
 * Builds remote-write bodies the way a sender does, from plain objects in the official messages' shape (proto
 * field names, snake_case): protobufjs encodes with the vendored .proto types, then snappy compresses. For tests,
 * benchmarks and tools that play the sender; the receiving path never uses it.
 */
import { REMOTE_WRITE_V1, type RemoteWriteMessage } from './remote-write.model';
import { remoteWriteProtoTypes } from './remote-write-proto';
import { nativeSnappyBlockCodec, type SnappyBlockCodec } from './snappy-block';

/** Protobuf bytes of `message` from a plain object (unknown keys are ignored, numbers may stand for int64). */
export function encodeRemoteWriteProtobuf(message: RemoteWriteMessage, object: Record<string, unknown>): Uint8Array {
  const types = remoteWriteProtoTypes();
  const type = message === REMOTE_WRITE_V1 ? types.writeRequest : types.v2Request;
  return type.encode(type.fromObject(object)).finish();
}

/** The snappy-compressed body a sender POSTs. */
export function encodeRemoteWriteBody(message: RemoteWriteMessage, object: Record<string, unknown>, codec: SnappyBlockCodec = nativeSnappyBlockCodec): Uint8Array {
  return codec.compress(encodeRemoteWriteProtobuf(message, object));
}
