/**
 * The few wire-level reads the hand-written remote-write readers need on top of protobufjs's Reader, each
 * without allocating: 64-bit varints straight into numbers (protobufjs would build a Long per timestamp),
 * length-delimited strings with their UTF-8 validity (Prometheus rejects invalid UTF-8 in label names and values,
 * and a JS string cannot carry that), wire-type checks (Go's decoder refuses a known field with the wrong wire
 * type; so do we) and packed-or-unpacked repeated scalars. Malformed input throws WireError.
 */
import { isUtf8 } from 'node:buffer';
import { Reader } from 'protobufjs';

/** Wire types of the protobuf encoding. */
export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LENGTH_DELIMITED = 2;
export const WIRE_FIXED32 = 5;

/** Malformed protobuf: truncated data, a bad varint, a field of the wrong wire type, an invalid wire type. */
export class WireError extends Error {
  override readonly name = 'WireError';
}

/** A protobufjs Reader over `bytes`, which become a Buffer view (no copy) so strings decode natively. */
export function wireReader(bytes: Uint8Array): Reader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Reader.create(buf);
}

// The two 32-bit halves of the last 64-bit varint read (module scratch: JS is single-threaded per isolate).
let lo = 0;
let hi = 0;

function readVarint64(r: Reader): void {
  const buf = r.buf;
  const len = r.len;
  let pos = r.pos;
  let b: number;
  lo = 0;
  hi = 0;
  for (let shift = 0; shift < 28; shift += 7) {
    if (pos >= len) throw truncated(r, pos);
    b = buf[pos++] as number;
    lo |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return;
    }
  }
  if (pos >= len) throw truncated(r, pos);
  b = buf[pos++] as number;
  lo |= (b & 0x0f) << 28;
  hi = (b & 0x7f) >> 4;
  if (b < 0x80) {
    r.pos = pos;
    return;
  }
  for (let shift = 3; shift < 32; shift += 7) {
    if (pos >= len) throw truncated(r, pos);
    b = buf[pos++] as number;
    hi |= (b & 0x7f) << shift;
    if (b < 0x80) {
      r.pos = pos;
      return;
    }
  }
  throw new WireError(`varint longer than 10 bytes at offset ${r.pos}`);
}

/** An int64 varint as a number (exact within ±2^53). */
export function readInt64(r: Reader): number {
  readVarint64(r);
  return (hi | 0) * 4294967296 + (lo >>> 0);
}

/** A uint64 varint as a number (exact up to 2^53). */
export function readUint64(r: Reader): number {
  readVarint64(r);
  return (hi >>> 0) * 4294967296 + (lo >>> 0);
}

/** A zigzag-encoded sint64 varint as a number (exact within ±2^53). */
export function readSint64(r: Reader): number {
  readVarint64(r);
  const mask = -(lo & 1);
  const low = ((lo >>> 1) | (hi << 31)) ^ mask;
  const high = (hi >>> 1) ^ mask;
  return (high | 0) * 4294967296 + (low >>> 0);
}

let lastStringValid = true;

/** Whether the last string read by `readString` was valid UTF-8. */
export function lastStringWasUtf8(): boolean {
  return lastStringValid;
}

/** Buffer's native slice decoders (undocumented but stable since Node 0.x; protobufjs relies on them too). */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}

// Label names and most label values repeat from series to series and request to request (`__name__`, `job`,
// `namespace`, ...). Short ASCII strings go through a direct-mapped table keyed by a hash of their bytes, so
// a repeated one is compared, not allocated: fewer strings created on the hot path, and one copy of each kept.
const INTERN_MAX_LENGTH = 64;
const INTERN_SLOTS = 4096;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/** A length-delimited string, decoded as UTF-8 (invalid sequences become U+FFFD; see `lastStringWasUtf8`). */
export function readString(r: Reader): string {
  const length = r.uint32();
  const start = r.pos;
  const end = start + length;
  if (end > r.len) throw truncated(r, end);
  r.pos = end;
  lastStringValid = true;
  if (length === 0) return '';
  const buf = r.buf as Buffer & NativeSlices;
  if (length > INTERN_MAX_LENGTH) return decodeLong(buf, start, end);
  let hash = 0x811c9dc5 ^ length;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b >= 0x80) return decodeNonAscii(buf, start, end);
    hash = Math.imul(hash ^ b, 0x01000193);
  }
  const slot = (hash >>> 0) % INTERN_SLOTS;
  const candidate = internTable[slot];
  if (candidate !== undefined && candidate.length === length && sameAscii(candidate, buf, start)) return candidate;
  const text = buf.latin1Slice(start, end);
  internTable[slot] = text;
  return text;
}

function sameAscii(text: string, buf: Uint8Array, start: number): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== buf[start + i]) return false;
  return true;
}

function decodeLong(buf: Buffer & NativeSlices, start: number, end: number): string {
  for (let i = start; i < end; i++) if ((buf[i] as number) >= 0x80) return decodeNonAscii(buf, start, end);
  return buf.latin1Slice(start, end);
}

function decodeNonAscii(buf: Buffer & NativeSlices, start: number, end: number): string {
  lastStringValid = isUtf8(buf.subarray(start, end));
  return buf.utf8Slice(start, end);
}

/** Reads a length prefix and returns where the embedded message ends. */
export function messageEnd(r: Reader): number {
  const length = r.uint32();
  const end = r.pos + length;
  if (end > r.len) throw truncated(r, end);
  return end;
}

/** Enters an embedded message field: checks its wire type and returns where it ends. */
export function enterMessage(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_LENGTH_DELIMITED, field);
  return messageEnd(r);
}

/** A `double` field. */
export function doubleField(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_FIXED64, field);
  return r.double();
}

/** An `int64` field, as a number. */
export function int64Field(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_VARINT, field);
  return readInt64(r);
}

/** A `uint64` field, as a number. */
export function uint64Field(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_VARINT, field);
  return readUint64(r);
}

/** An `int32` or enum field. */
export function int32Field(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_VARINT, field);
  return r.int32();
}

/** A `uint32` field. */
export function uint32Field(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_VARINT, field);
  return r.uint32();
}

/** A `sint32` field. */
export function sint32Field(r: Reader, wireType: number, field: string): number {
  expectWireType(r, wireType, WIRE_VARINT, field);
  return r.sint32();
}

/** A `string` field (see `readString`). */
export function stringField(r: Reader, wireType: number, field: string): string {
  expectWireType(r, wireType, WIRE_LENGTH_DELIMITED, field);
  return readString(r);
}

/** Throws unless the field came with the wire type its proto type has. */
export function expectWireType(r: Reader, wireType: number, expected: number, field: string): void {
  if (wireType !== expected) throw new WireError(`wrong wire type ${wireType} for field ${field} at offset ${r.pos}`);
}

/** Skips a field of a number the reader does not know (what protobuf parsers do by design). */
export function skipField(r: Reader, wireType: number): void {
  if (wireType === 3 || wireType === 4 || wireType > 5) throw new WireError(`invalid wire type ${wireType} at offset ${r.pos}`);
  r.skipType(wireType);
  if (r.pos > r.len) throw truncated(r, r.pos);
}

/**
 * Appends a repeated scalar field to `out`, whether it came packed (one length-delimited run) or as a single
 * element with its scalar wire type, as proto3 parsers must accept both.
 */
export function readRepeated(r: Reader, wireType: number, scalarWireType: number, read: (r: Reader) => number, out: number[], field: string): void {
  if (wireType === WIRE_LENGTH_DELIMITED) {
    const end = messageEnd(r);
    while (r.pos < end) out.push(read(r));
    if (r.pos !== end) throw new WireError(`packed field ${field} overruns its length at offset ${r.pos}`);
    return;
  }
  expectWireType(r, wireType, scalarWireType, field);
  out.push(read(r));
}

/** Throws unless the embedded message ended exactly at its declared length. */
export function expectEnd(r: Reader, end: number, message: string): void {
  if (r.pos !== end) throw new WireError(`${message} overruns its length at offset ${r.pos}`);
}

function truncated(r: Reader, at: number): WireError {
  return new WireError(`truncated message: needs byte ${at}, has ${r.len} (reading at offset ${r.pos})`);
}
