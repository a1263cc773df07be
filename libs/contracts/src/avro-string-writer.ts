/**
 * Faster encoding of short ASCII Avro strings. avsc writes every string by first asking the native
 * `Buffer.byteLength` for its UTF-8 length, and a log record holds some twenty-five short strings (keys and
 * values of its maps, ids, names), so that call's fixed cost is a large part of an encode. A string of fewer
 * than 64 UTF-16 units that turns out to be all ASCII is written here in one pass: its length is its byte
 * count, whose zig-zag varint is the one byte `2 × length`. Anything else (longer, any unit above 0x7f, or no
 * room left in the buffer) goes to avsc's own writer, so the bytes are always exactly avsc's. Only bytes are
 * written: no string is built, so nothing here adds work for the garbage collector. Installed once on avsc's
 * writer (its `Tap`, pinned with avsc), by avro-type.ts; encoding an envelope of log records: ~4.5 → ~3.2 µs
 * per record.
 */

/** Longest string (UTF-16 units) written here: below 64 its byte length takes one varint byte. */
export const SHORT_ASCII_UNITS = 63;

interface AvscTap {
  buf: Buffer;
  pos: number;
}

interface AvscTapClass {
  prototype: AvscTap & { writeString(this: AvscTap, s: string): void };
}

/**
 * Writes `s` at `tap.pos` as an Avro string when it is short and ASCII and fits, and says whether it did;
 * when it returns false nothing observable was changed (bytes past `tap.pos` are not part of the output yet).
 */
export function writeShortAscii(tap: AvscTap, s: string): boolean {
  const n = s.length;
  if (n > SHORT_ASCII_UNITS) return false;
  const buf = tap.buf;
  const start = tap.pos + 1;
  if (start + n > buf.length) return false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) return false;
    buf[start + i] = c;
  }
  buf[tap.pos] = n << 1;
  tap.pos = start + n;
  return true;
}

let installed = false;

/** Puts writeShortAscii in front of avsc's string writer. */
export function installShortAsciiStringWriter(): void {
  if (installed) return;
  // avsc keeps its Tap in lib/utils and does not export it; the version is pinned.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Tap } = require('avsc/lib/utils') as { Tap: AvscTapClass };
  const avscWriteString = Tap.prototype.writeString;
  Tap.prototype.writeString = function writeString(this: AvscTap, s: string): void {
    if (!writeShortAscii(this, s)) avscWriteString.call(this, s);
  };
  installed = true;
}
