/**
 * Label sets decoded in earlier requests, by their bytes. A remote-write 1.0 sender sends every series' labels
 * again in every request, byte for byte the same (Prometheus encodes them from the same label set each time), so
 * a receiver that remembers what a run of `TimeSeries.labels` bytes decoded to, and how it validated, can skip
 * decoding, sorting and validating them, and hand on the same label array, which lets later stages remember
 * what they derived from it too (see metricSamplesOf). Entries are looked up by a hash of the bytes and compared
 * byte for byte, so a hash collision is a miss, never a wrong answer. Bounded: two generations of at most
 * `maxEntries` each; when the current one is full it becomes the old one and the oldest is dropped, and an entry
 * found in the old generation moves back into the current one, so a working set of up to `maxEntries` series
 * stays cached and anything larger costs a hash and a copy per miss.
 */
import type { Label } from './remote-write.model';
import type { InvalidUtf8Label } from './validate-series-labels';

/**
 * Label sets one decoder keeps per generation by default. Two generations: up to 65,536 series, each about 1 KB of
 * heap with what metricSamplesOf and ingest keep for it (measured: ~0.9 KB without ingest's), so ~70 MB at most.
 */
export const DEFAULT_LABEL_SET_CACHE_ENTRIES = 32_768;

/** One remembered label set. `labels` is owned by the entry: sorted and compacted once validated, never changed after. */
export interface CachedLabelSet {
  readonly bytes: Uint8Array;
  readonly labels: Label[];
  readonly invalidUtf8: InvalidUtf8Label | undefined;
  /** Whether `problem` has been computed (by the decoder, with its name validation). */
  checked: boolean;
  /** Why the series is invalid, or undefined when it is valid (meaningful once `checked`). */
  problem: string | undefined;
}

export class LabelSetCache {
  private current = new Map<number, CachedLabelSet>();
  private previous = new Map<number, CachedLabelSet>();
  private lastHash = 0;

  constructor(readonly maxEntries: number = DEFAULT_LABEL_SET_CACHE_ENTRIES) {}

  /** The label set of bytes `start`..`end` of `buf`, if remembered. */
  get(buf: Uint8Array, start: number, end: number): CachedLabelSet | undefined {
    const hash = hashBytes(buf, start, end);
    this.lastHash = hash;
    const entry = this.current.get(hash);
    if (entry !== undefined) return sameBytes(entry.bytes, buf, start, end) ? entry : undefined;
    const old = this.previous.get(hash);
    if (old === undefined || !sameBytes(old.bytes, buf, start, end)) return undefined;
    this.previous.delete(hash);
    this.insert(hash, old);
    return old;
  }

  /** Remembers what bytes `start`..`end` of `buf` decoded to; call right after a `get` of the same bytes missed. */
  set(buf: Uint8Array, start: number, end: number, labels: Label[], invalidUtf8: InvalidUtf8Label | undefined): CachedLabelSet {
    const bytes = Buffer.allocUnsafe(end - start);
    for (let i = start; i < end; i++) bytes[i - start] = buf[i] as number;
    const entry: CachedLabelSet = { bytes, labels, invalidUtf8, checked: false, problem: undefined };
    this.insert(this.lastHash, entry);
    return entry;
  }

  /** Label sets held, both generations. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private insert(hash: number, entry: CachedLabelSet): void {
    if (this.current.size >= this.maxEntries && !this.current.has(hash)) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(hash, entry);
  }
}

/** murmur3's 32-bit mixing over the bytes, four at a time, cut to 30 bits. */
function hashBytes(buf: Uint8Array, start: number, end: number): number {
  let h = 0x9747b28c ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    let k = (buf[i] as number) | ((buf[i + 1] as number) << 8) | ((buf[i + 2] as number) << 16) | ((buf[i + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let k = 0;
  for (let shift = 0; i < end; i++, shift += 8) k |= (buf[i] as number) << shift;
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  // 30 bits: a small integer, which a Map hashes without boxing.
  return (h ^ (h >>> 16)) & 0x3fffffff;
}

function sameBytes(bytes: Uint8Array, buf: Uint8Array, start: number, end: number): boolean {
  if (bytes.length !== end - start) return false;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== buf[start + i]) return false;
  return true;
}
