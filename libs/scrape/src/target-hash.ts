/** The two hashes of a target key: FNV-1a 64 for scrape offsets, MD5 for sharding (Prometheus's hashmod). */
import { createHash } from 'node:crypto';

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** FNV-1a, 64 bits, of the UTF-8 bytes of `text` (what Prometheus hashes targets with). */
export function fnv1a64(text: string): bigint {
  let h = FNV_OFFSET;
  for (const byte of Buffer.from(text, 'utf8')) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  return h;
}

/** Prometheus's `hashmod` relabel action: the last 8 bytes of MD5(`text`) as a big-endian uint64, mod `modulus`. */
export function hashMod(text: string, modulus: number): number {
  const digest = createHash('md5').update(text, 'utf8').digest();
  return Number(digest.readBigUInt64BE(8) % BigInt(modulus));
}
