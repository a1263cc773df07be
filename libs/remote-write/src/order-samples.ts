/**
 * Per-series time order, as Prometheus's TSDB enforces it when the out-of-order window is 0 (its default).
 * The remote-write handler itself does not sort or reject disorder within a request: every sample is appended,
 * and the head appender's commit (tsdb/head_append.go commitFloats/commitHistograms → memSeries.appendable)
 * then drops, silently and without failing the request, each sample whose timestamp is below the series'
 * latest one, and each sample at the latest timestamp: an identical one (same value bits) as a duplicate, a
 * different one as a conflict. Only disorder against samples committed by earlier requests is a 400
 * ("out of order sample"). The decoder therefore passes samples on in the order sent; `orderSamples` is the rule
 * for the stage that keeps per-series state and wants Prometheus's outcome.
 */
import type { Label } from './remote-write.model';
import { float64Bits } from './stale-nan';

/** The outcome for one run of timestamped points of one series. */
export interface OrderedPoints<T> {
  /** The points to keep: strictly increasing timestamps. `points` itself when nothing was dropped. */
  readonly kept: readonly T[];
  /** Timestamp below the latest kept one. */
  readonly outOfOrder: number;
  /** Same timestamp as the latest kept one, identical value. */
  readonly duplicates: number;
  /** Same timestamp as the latest kept one, different value. */
  readonly conflicts: number;
  /** Timestamp of the last kept point (or `latestTimestampMs` when none was kept). */
  readonly latestTimestampMs: number;
}

/**
 * Keeps the points that Prometheus would append after `latestTimestampMs` (the series' latest timestamp already
 * stored, -Infinity for a new series). `same` says whether two points at one timestamp are identical; the
 * default compares float sample values by their bits, so a repeated stale marker is a duplicate; points without
 * a numeric `value` (histograms) are the same only when they are the same object, so pass a comparison for them.
 */
export function orderSamples<T extends { readonly timestampMs: number }>(
  points: readonly T[],
  latestTimestampMs = -Infinity,
  same: (a: T, b: T) => boolean = sameValueBits,
): OrderedPoints<T> {
  let kept: T[] | undefined;
  let latest = latestTimestampMs;
  let last: T | undefined;
  let outOfOrder = 0;
  let duplicates = 0;
  let conflicts = 0;
  for (let i = 0; i < points.length; i++) {
    const p = points[i] as T;
    if (p.timestampMs > latest) {
      latest = p.timestampMs;
      last = p;
      if (kept !== undefined) kept.push(p);
      continue;
    }
    if (p.timestampMs < latest || last === undefined) outOfOrder++;
    else if (same(last, p)) duplicates++;
    else conflicts++;
    kept ??= points.slice(0, i);
  }
  return { kept: kept ?? points, outOfOrder, duplicates, conflicts, latestTimestampMs: latest };
}

function sameValueBits<T>(a: T, b: T): boolean {
  const va = (a as { value?: unknown }).value;
  const vb = (b as { value?: unknown }).value;
  if (typeof va !== 'number' || typeof vb !== 'number') return a === b;
  if (va === vb && va !== 0) return true;
  return float64Bits(va) === float64Bits(vb); // NaNs by payload, +0 and -0 apart (Go compares Float64bits)
}

/**
 * A string identifying a series by its (sorted, validated) labels, for grouping the entries of one series
 * within and across requests. Each name and value is length-prefixed, so no two label sets share a key
 * whatever characters they hold.
 */
export function seriesKey(labels: readonly Label[]): string {
  let key = '';
  for (const l of labels) key += `${l.name.length}:${l.name}${l.value.length}:${l.value}`;
  return key;
}
