/**
 * Per-series time order, as Prometheus's TSDB enforces it when the out-of-order window is 0 (its default).
 * The remote-write handler itself does not sort or reject disorder within a request: every sample is appended,
 * and the head appender's commit (tsdb/head_append.go commitFloats/commitHistograms → memSeries.appendable)
 * then drops, silently and without failing the request, each sample whose timestamp is below the series'
 * latest one, and each sample at the latest timestamp: an identical one (same value bits) as a duplicate, a
 * different one as a conflict. Only disorder against samples committed by earlier requests is a 400
 * ("out of order sample"). The decoder therefore passes samples on in the order sent; ingest applies
 * `orderRequest` (this rule within one request) before it publishes.
 */
import type { Label, RemoteWriteRequest, RemoteWriteSeries } from './remote-write.model';
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

/** A request in Prometheus's per-series order, and how many samples and histograms that dropped. */
export interface OrderedRequest {
  readonly request: RemoteWriteRequest;
  readonly outOfOrder: number;
  readonly duplicates: number;
  readonly conflicts: number;
}

/**
 * The request as Prometheus's head would append it: within each series, samples (and histograms) older than
 * the series' latest, or at its latest timestamp again, are dropped (orderSamples), the series' latest carrying
 * over between entries of the same label set in one request. What earlier requests wrote is not known here (a
 * stateless receiver cannot); that is the one place Prometheus's answer can differ (it answers 400 for a
 * sample older than one already stored). The request itself when nothing is dropped.
 */
export function orderRequest(request: RemoteWriteRequest): OrderedRequest {
  let outOfOrder = 0;
  let duplicates = 0;
  let conflicts = 0;
  let series: RemoteWriteSeries[] | undefined;
  // Entries of one label set carry over when they share their labels array (as 1.0's label-set cache gives them);
  // others are each ordered on their own.
  const latest = request.series.length > 1 ? new Map<readonly Label[], { samples: number; histograms: number }>() : undefined;
  request.series.forEach((s, i) => {
    const before = latest?.get(s.labels);
    const samples = orderSamples(s.samples, before?.samples);
    const histograms = orderSamples(s.histograms, before?.histograms, (a, b) => a === b);
    latest?.set(s.labels, { samples: samples.latestTimestampMs, histograms: histograms.latestTimestampMs });
    outOfOrder += samples.outOfOrder + histograms.outOfOrder;
    duplicates += samples.duplicates + histograms.duplicates;
    conflicts += samples.conflicts + histograms.conflicts;
    if (samples.kept !== s.samples || histograms.kept !== s.histograms) {
      series ??= request.series.slice(0, i);
      series.push({ ...s, samples: samples.kept, histograms: histograms.kept });
    } else series?.push(s);
  });
  return { request: series === undefined ? request : { ...request, series }, outOfOrder, duplicates, conflicts };
}
