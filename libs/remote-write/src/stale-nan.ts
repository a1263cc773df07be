/**
 * Prometheus's staleness marker: a signalling NaN with the exact bits 0x7ff0000000000002, sent when a series
 * disappears. It must be told apart from an ordinary NaN sample value, so it is compared by bits, never by
 * value. JavaScript keeps the bits of a NaN in object properties and Float64Arrays, but V8 quiets signalling
 * NaNs stored into arrays of unboxed doubles (an array or array literal holding only numbers), and arithmetic
 * quiets them too: test a value with `isStaleNaN` before putting it into such an array.
 */

/** The stale marker's bits, high and low 32-bit words. */
export const STALE_NAN_BITS = 0x7ff0000000000002n;
const STALE_HIGH = 0x7ff00000;
const STALE_LOW = 0x00000002;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
// Word order of a float64 in memory on this machine (little-endian everywhere Node runs, checked anyway).
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HIGH_WORD = 1 - LOW_WORD;

/** The stale marker as a number (its bits survive being passed around and stored in objects). */
export const STALE_NAN: number = (() => {
  scratchWords[HIGH_WORD] = STALE_HIGH;
  scratchWords[LOW_WORD] = STALE_LOW;
  return scratch[0] as number;
})();

/** True only for the exact stale-marker bits; false for every other NaN and every number. */
export function isStaleNaN(value: number): boolean {
  if (value === value) return false; // not NaN at all: the common case, no memory traffic
  scratch[0] = value;
  return scratchWords[HIGH_WORD] === STALE_HIGH && scratchWords[LOW_WORD] === STALE_LOW;
}

/** The 64 bits of a float64, for tests and diagnostics. */
export function float64Bits(value: number): bigint {
  scratch[0] = value;
  return (BigInt(scratchWords[HIGH_WORD] as number) << 32n) | BigInt(scratchWords[LOW_WORD] as number);
}
