/**
 * Snappy block format (not the framed/stream format), which is what remote write sends. The codec library sits
 * behind `SnappyBlockCodec` so it can be swapped without touching the decoder; today it is the native `snappy`
 * package (napi-rs, the Rust `snap` crate). The decompressed length is read from the block's own preamble (a
 * uvarint) and checked against the caller's limit before the library allocates anything, as Prometheus does
 * with snappy.DecodedLen: a 20-byte body can announce 4 GiB.
 */
import { compressSync, uncompressSync } from 'snappy';
import { RemoteWriteDecodeError, RemoteWriteTooLargeError } from './remote-write.error';

/** The two operations remote write needs of a snappy implementation. */
export interface SnappyBlockCodec {
  /** Decompresses one block; throws (any Error) when it is corrupt. */
  decompress(block: Uint8Array): Uint8Array;
  /** Compresses `data` into one block. */
  compress(data: Uint8Array): Uint8Array;
}

/** The native implementation. */
export const nativeSnappyBlockCodec: SnappyBlockCodec = {
  decompress: (block) => uncompressSync(block, { asBuffer: true }) as Buffer,
  compress: (data) => compressSync(data),
};

/**
 * The decompressed length a block announces, or a RemoteWriteDecodeError when its preamble is not a uvarint of at
 * most 32 bits (snappy's maximum, and the same "corrupt input" Prometheus answers 400 with).
 */
export function snappyDecodedLength(block: Uint8Array): number {
  let length = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const byte = block[i] as number;
    length += (byte & 0x7f) * 2 ** (7 * i);
    if (byte < 0x80) {
      if (length > 0xffffffff) break;
      return length;
    }
  }
  throw new RemoteWriteDecodeError('invalid snappy block: corrupt length preamble');
}

/**
 * Decompresses a remote-write body: 413 when the body or its announced length exceeds `maxBytes`, 400 when the
 * block is corrupt (including an announced length the data does not produce).
 */
export function decompressSnappyBody(body: Uint8Array, maxBytes: number, codec: SnappyBlockCodec = nativeSnappyBlockCodec): Uint8Array {
  if (body.length > maxBytes) throw new RemoteWriteTooLargeError(body.length, maxBytes, 'compressed');
  const announced = snappyDecodedLength(body);
  if (announced > maxBytes) throw new RemoteWriteTooLargeError(announced, maxBytes, 'decompressed');
  let out: Uint8Array;
  try {
    out = codec.decompress(body);
  } catch (err) {
    throw new RemoteWriteDecodeError(`invalid snappy block: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (out.length !== announced) {
    throw new RemoteWriteDecodeError(`invalid snappy block: announced ${announced} bytes, decompressed to ${out.length}`);
  }
  return out;
}
