/**
 * UTF-8 decoding that keeps invalid bytes visible. Prometheus reads bytes and rejects invalid UTF-8 only in
 * some places (label values, help text, and later names); comments may hold anything. Decoding a line that is
 * not valid UTF-8 maps each byte of an invalid sequence to the lone surrogate U+DC00 + byte (no valid text
 * decodes to a lone surrogate), so each part of the line can be checked afterwards.
 */
import { isUtf8 } from 'node:buffer';

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether `text` came from valid UTF-8 (it holds no lone surrogate). */
export function isValidUtf8Text(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** Decodes `bytes[start, end)`; bytes of invalid sequences become U+DC00 + byte. */
export function decodeUtf8Escaped(bytes: Uint8Array, start = 0, end = bytes.length): string {
  const slice = bytes.subarray(start, end);
  if (isUtf8(slice)) return Buffer.from(slice.buffer, slice.byteOffset, slice.length).toString('utf8');
  let out = '';
  let i = 0;
  while (i < slice.length) {
    const n = validSequenceLength(slice, i);
    if (n === 0) {
      out += String.fromCharCode(0xdc00 + slice[i]!);
      i += 1;
    } else {
      out += Buffer.from(slice.buffer, slice.byteOffset + i, n).toString('utf8');
      i += n;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at `i` (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF), or 0. */
function validSequenceLength(b: Uint8Array, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (c === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (c >= 0xe1 && c <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (c === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (c === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}
