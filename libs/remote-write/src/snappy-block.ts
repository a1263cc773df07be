/**
 * Snappy block format (not the framed/stream format), which is what remote write sends. The codec sits behind
 * `SnappyBlockCodec` so it can be swapped without touching the decoder. Two are here: the native `snappy` package
 * (napi-rs, the Rust `snap` crate), and `reusingSnappyBlockCodec`, which decompresses in JavaScript into one
 * buffer reused from request to request (the decoder's default: for remote-write bodies about three times less
 * CPU than the native call, which allocates a fresh external buffer per body; it compresses natively). The
 * decompressed length is read from the block's own preamble (a
 * uvarint) and checked against the caller's limit before the library allocates anything, as Prometheus does
 * with snappy.DecodedLen: a 20-byte body can announce 4 GiB.
 */
import { compressSync, uncompressSync } from 'snappy';
import { RemoteWriteDecodeError, RemoteWriteTooLargeError } from './remote-write.error';

/** The two operations remote write needs of a snappy implementation. */
export interface SnappyBlockCodec {
  /**
   * Decompresses one block; throws (any Error) when it is corrupt. The result may be a view of a buffer the codec
   * reuses: read it before the codec's next call.
   */
  decompress(block: Uint8Array): Uint8Array;
  /** Compresses `data` into one block. */
  compress(data: Uint8Array): Uint8Array;
}

/** The native implementation. */
export const nativeSnappyBlockCodec: SnappyBlockCodec = {
  decompress: (block) => uncompressSync(block, { asBuffer: true }) as Buffer,
  compress: (data) => compressSync(data),
};

/** Decompressed blocks up to this size go into the one reused buffer; a larger one gets a buffer of its own. */
const REUSED_OUTPUT_MAX_BYTES = 4 * 1024 * 1024;
let reusedOutput = Buffer.allocUnsafe(64 * 1024);

/**
 * Decompresses one snappy block in JavaScript, checking every length and offset against the input and the
 * announced length (corrupt input throws; nothing is read or written out of bounds). The result is a view of a
 * buffer reused by the next call when the block is at most REUSED_OUTPUT_MAX_BYTES long.
 */
export function decompressSnappyBlock(src: Uint8Array): Uint8Array {
  const length = snappyDecodedLength(src);
  let p = 0;
  while ((src[p++] as number) >= 0x80);
  let dst: Buffer;
  if (length <= REUSED_OUTPUT_MAX_BYTES) {
    if (reusedOutput.length < length) reusedOutput = Buffer.allocUnsafe(Math.min(REUSED_OUTPUT_MAX_BYTES, Math.max(length, reusedOutput.length * 2)));
    dst = reusedOutput;
  } else dst = Buffer.allocUnsafe(length);
  const n = src.length;
  let d = 0;
  while (p < n) {
    const tag = src[p++] as number;
    const kind = tag & 3;
    if (kind === 0) {
      let l = tag >>> 2;
      if (l >= 60) {
        const extra = l - 59;
        if (p + extra > n) throw new Error(`literal length truncated at ${p}`);
        l = 0;
        for (let i = 0; i < extra; i++) l += (src[p++] as number) * 2 ** (8 * i);
      }
      l += 1;
      if (p + l > n) throw new Error(`literal of ${l} bytes overruns the input at ${p}`);
      if (d + l > length) throw new Error(`data exceeds the announced ${length} bytes`);
      if (l > 16) dst.set(src.subarray(p, p + l), d);
      else for (let i = 0; i < l; i++) dst[d + i] = src[p + i] as number;
      p += l;
      d += l;
      continue;
    }
    let l: number;
    let offset: number;
    if (kind === 1) {
      if (p + 1 > n) throw new Error(`copy truncated at ${p}`);
      l = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | (src[p++] as number);
    } else if (kind === 2) {
      if (p + 2 > n) throw new Error(`copy truncated at ${p}`);
      l = (tag >>> 2) + 1;
      offset = (src[p] as number) | ((src[p + 1] as number) << 8);
      p += 2;
    } else {
      if (p + 4 > n) throw new Error(`copy truncated at ${p}`);
      l = (tag >>> 2) + 1;
      offset = ((src[p] as number) | ((src[p + 1] as number) << 8) | ((src[p + 2] as number) << 16) | ((src[p + 3] as number) << 24)) >>> 0;
      p += 4;
    }
    if (offset === 0 || offset > d) throw new Error(`copy offset ${offset} out of range at output byte ${d}`);
    if (d + l > length) throw new Error(`data exceeds the announced ${length} bytes`);
    let from = d - offset;
    if (offset >= l) {
      dst.copyWithin(d, from, from + l);
      d += l;
    } else for (let i = 0; i < l; i++) dst[d++] = dst[from++] as number; // overlapping: repeats the last `offset` bytes
  }
  if (d !== length) throw new Error(`announced ${length} bytes, decompressed to ${d}`);
  return dst.subarray(0, length);
}

/** JavaScript decompression into a reused buffer (see decompressSnappyBlock), native compression. */
export const reusingSnappyBlockCodec: SnappyBlockCodec = {
  decompress: decompressSnappyBlock,
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
export function decompressSnappyBody(body: Uint8Array, maxBytes: number, codec: SnappyBlockCodec = reusingSnappyBlockCodec): Uint8Array {
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
