// The engine side of the Prometheus reference test and the comparison of its rows with PromQL results: the
// samples come from the very remote-write bodies Prometheus received, decoded and mapped by @sextant/remote-write
// as the ingest path does; PromQL is evaluated at windowEnd − 1 ms, so its range (end − res − 1 ms, end − 1 ms]
// holds exactly the millisecond timestamps of the window [start, end).
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import { createRemoteWriteDecoder, metricSamplesOf, REMOTE_WRITE_CONTENT_TYPES, REMOTE_WRITE_V1 } from '@sextant/remote-write';
import type { AggregatorConfig } from '../aggregation.config';
import { MemoryAggregatorState } from '../aggregator-state';
import { MetricAggregator, type AggregatorStats } from '../metric-aggregator';
import type { PromPoint } from './prometheus-process';
import type { RefPoint } from './reference-data';

export const TENANT = 'reference';

/** The ingest path's samples of a remote-write 1.0 body: decoded and validated, then metricSamplesOf. */
export function samplesOfBody(body: Uint8Array): MetricSample[] {
  const request = createRemoteWriteDecoder().decode({ contentType: REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V1], contentEncoding: 'snappy', body });
  if (request.problems.length > 0) throw new Error(`the reference body has problems: ${request.problems.map((p) => p.message).join('; ')}`);
  return metricSamplesOf(request, TENANT);
}

/** Feeds the samples in event-time order (as one partition sees a scrape stream), closes every window, drains. */
export function runEngine(samples: MetricSample[], config: Partial<AggregatorConfig>): { rows: MetricRollup[]; stats: AggregatorStats } {
  const engine = new MetricAggregator(config, { partition: 0, store: new MemoryAggregatorState() });
  const ordered = samples.map((s, i) => ({ s, i })).sort((a, b) => (a.s.timeUnixNano < b.s.timeUnixNano ? -1 : a.s.timeUnixNano > b.s.timeUnixNano ? 1 : a.i - b.i));
  let last = 0n;
  for (const { s } of ordered) {
    engine.add(s);
    last = s.timeUnixNano;
  }
  engine.advance(last + 3_600_000_000_000n);
  return { rows: engine.drain(), stats: engine.stats() };
}

export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const NS_PER_MS = 1_000_000n;
export const windowEndMs = (row: MetricRollup): number => Number(row.windowEndUnixNano / NS_PER_MS);
export const resolutionMs = (row: MetricRollup): number => Number((row.windowEndUnixNano - row.windowStartUnixNano) / NS_PER_MS);

/** How two values must agree: bit for bit (Object.is, so NaN = NaN), or within a relative tolerance of `scale`. */
export type Agreement = { exact: true } | { relative: number; scale?: (a: number, b: number, key: string) => number };
export const EXACT: Agreement = { exact: true };

export function agrees(a: number, b: number, how: Agreement, key = ''): boolean {
  if (Object.is(a, b) || a === b) return true;
  if ('exact' in how) return false;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  const scale = how.scale ? how.scale(a, b, key) : Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= how.relative * scale;
}

/** Our values by `labels@windowEnd`. */
export function ourValues(rows: MetricRollup[], pick: (row: MetricRollup) => number | null | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const row of rows) {
    const v = pick(row);
    if (v === null || v === undefined) continue;
    out.set(`${labelsKey(row.labels)}@${windowEndMs(row)}`, v);
  }
  return out;
}

/** Prometheus's values by `labels@windowEnd` (evaluated at windowEnd − 1 ms). */
export function promValues(points: PromPoint[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of points) out.set(`${labelsKey(p.labels)}@${p.tMs + 1}`, p.value);
  return out;
}

/** Every difference between the two maps: keys on one side only, and values that do not agree. */
export function differences(ours: Map<string, number>, theirs: Map<string, number>, how: Agreement): string[] {
  const out: string[] = [];
  for (const [k, v] of ours) {
    if (!theirs.has(k)) out.push(`${k}: ours ${v}, Prometheus has none`);
    else if (!agrees(v, theirs.get(k) as number, how, k)) out.push(`${k}: ours ${v}, Prometheus ${theirs.get(k)}`);
  }
  for (const [k, v] of theirs) if (!ours.has(k)) out.push(`${k}: Prometheus ${v}, ours has none`);
  return out;
}

/** The points of `points` with a time in (endMs − rangeMs − 1, endMs − 1], the range PromQL sees at endMs − 1 ms. */
export function pointsInWindow(points: RefPoint[], endMs: number, rangeMs: number): RefPoint[] {
  return points.filter((p) => p.t >= endMs - rangeMs && p.t < endMs);
}

/**
 * Prometheus's plain `increase(c[range])` (extrapolatedRate of promql/functions.go, v0.316.0 and 2.42, float
 * counters without start timestamps): last − first of the samples in the range plus counter-reset corrections,
 * extrapolated towards the range boundaries (all the way when the gap is within 1.1 average intervals, else half
 * an interval; towards the start never below the counter's zero point). Undefined with fewer than 2 samples.
 */
export function extrapolatedIncrease(inRange: RefPoint[], rangeStartMs: number, rangeEndMs: number): number | undefined {
  if (inRange.length < 2) return undefined;
  const first = inRange[0];
  const last = inRange[inRange.length - 1];
  let result = last.v - first.v;
  for (let i = 1; i < inRange.length; i++) if (inRange[i].v < inRange[i - 1].v) result += inRange[i - 1].v;
  let durationToStart = (first.t - rangeStartMs) / 1000;
  let durationToEnd = (rangeEndMs - last.t) / 1000;
  const sampledInterval = (last.t - first.t) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (inRange.length - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  let durationToZero = durationToStart;
  if (result > 0 && first.v >= 0) durationToZero = sampledInterval * (first.v / result);
  if (durationToZero < durationToStart) durationToStart = durationToZero;
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  const factor = sampledInterval !== 0 ? (sampledInterval + durationToStart + durationToEnd) / sampledInterval : 1;
  return result * factor;
}

/** Drops between consecutive points of which both are in the window, and whether the window's first point is one. */
export function windowResets(points: RefPoint[], startMs: number, endMs: number): { within: number; onFirst: number } {
  let within = 0;
  let onFirst = 0;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    if (p.t < startMs || p.t >= endMs || !(p.v < points[i - 1].v)) continue;
    if (points[i - 1].t >= startMs) within++;
    else onFirst++;
  }
  return { within, onFirst };
}
