/**
 * Where in its interval a target is scraped, as Prometheus spreads load: a fixed offset from the hash of the
 * target key XOR a per-replica seed, so every target keeps its phase across restarts and the targets of one
 * replica spread evenly over the interval; scrapes happen when `now mod interval = offset`.
 */
import { fnv1a64 } from './target-hash';

/** The target's offset within its interval, ms in [0, interval). */
export function scrapeOffsetMs(targetKey: string, intervalMs: number, seed: string): number {
  return Number((fnv1a64(targetKey) ^ fnv1a64(seed)) % BigInt(intervalMs));
}

/** Milliseconds from `nowMs` to the next time whose phase in the interval is `offsetMs` (0 < delay ≤ interval). */
export function delayToNextScrapeMs(nowMs: number, intervalMs: number, offsetMs: number): number {
  const base = intervalMs - (nowMs % intervalMs);
  const next = base + offsetMs;
  return next > intervalMs ? next - intervalMs : next;
}
