// Version 1 of the engine's state values (plain JSON, before the binary format of series-state.ts): read
// only, so that a checkpoint written by an older engine still loads (load() then rewrites it as version 2).
// The encoders stay for the migration spec, which writes a version-1 checkpoint to restore from.
// `s:<seriesKey>` held identity, counter continuity and open windows; `k:<seriesKey>` the kept emitted
// windows. Nanosecond times were decimal strings; non-finite floats (and -0) strings.
import type { AggregationTemporality, MetricType, QuantileValue } from '@sextant/contracts';
import type { ExpHistogram } from './exponential-histogram';
import type { Continuity, Series } from './series-state';
import type { WindowState } from './window';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function encF(x: number): number | string {
  return Number.isFinite(x) && !Object.is(x, -0) ? x : String(x);
}

export function decF(x: unknown): number {
  if (typeof x === 'number') return x;
  if (x === '-0') return -0;
  return Number(x);
}

function encN(x: number | null): number | string | null {
  return x === null ? null : encF(x);
}

function decN(x: unknown): number | null {
  return x === null || x === undefined ? null : decF(x);
}

function encExp(h: ExpHistogram | null): Json {
  if (h === null) return null;
  return { s: h.scale, zc: h.zeroCount, zt: encF(h.zeroThreshold), po: h.positive.offset, pc: h.positive.counts, no: h.negative.offset, nc: h.negative.counts };
}

function decExp(x: unknown): ExpHistogram | null {
  if (x === null || x === undefined) return null;
  const o = x as Record<string, unknown>;
  return {
    scale: o.s as number,
    zeroCount: o.zc as number,
    zeroThreshold: decF(o.zt),
    positive: { offset: o.po as number, counts: o.pc as number[] },
    negative: { offset: o.no as number, counts: o.nc as number[] },
  };
}

function encQuantiles(q: QuantileValue[] | null): Json {
  return q === null ? null : q.map((x) => [encF(x.quantile), encF(x.value)]);
}

function decQuantiles(x: unknown): QuantileValue[] | null {
  if (!Array.isArray(x)) return null;
  return x.map((pair: unknown[]) => ({ quantile: decF(pair[0]), value: decF(pair[1]) }));
}

function encBounds(b: number[] | null): Json {
  return b === null ? null : b.map(encF);
}

function decBounds(x: unknown): number[] | null {
  return Array.isArray(x) ? x.map(decF) : null;
}

export function encodeWindow(w: WindowState): JsonObject {
  return {
    st: w.start,
    em: w.emitted,
    ro: w.reopened,
    n: w.count,
    sum: encF(w.sum),
    min: encN(w.min),
    max: encN(w.max),
    last: encF(w.last),
    lt: w.lastT.toString(),
    inc: encN(w.increase),
    rs: w.resets,
    b: encBounds(w.bounds),
    bc: w.buckets,
    e: encExp(w.exp),
    q: encQuantiles(w.quantiles),
  };
}

export function decodeWindow(o: Record<string, unknown>): WindowState {
  return {
    persisted: false,
    enc: null,
    start: o.st as number,
    emitted: o.em as number,
    reopened: o.ro as boolean,
    count: o.n as number,
    sum: decF(o.sum),
    min: decN(o.min),
    max: decN(o.max),
    last: decF(o.last),
    lastT: BigInt(o.lt as string),
    increase: decN(o.inc),
    resets: o.rs as number,
    bounds: decBounds(o.b),
    buckets: (o.bc as number[] | null) ?? null,
    exp: decExp(o.e),
    quantiles: decQuantiles(o.q),
  };
}

function encodeContinuity(c: Continuity | null): Json {
  if (c === null) return null;
  return { t: c.timeNs.toString(), st: c.startNs.toString(), v: encF(c.value), n: c.count, sum: encF(c.sum), b: encBounds(c.bounds), bc: c.buckets, e: encExp(c.exp) };
}

function decodeContinuity(x: unknown): Continuity | null {
  if (x === null || x === undefined) return null;
  const o = x as Record<string, unknown>;
  return {
    timeNs: BigInt(o.t as string),
    startNs: BigInt(o.st as string),
    value: decF(o.v),
    count: o.n as number,
    sum: decF(o.sum),
    bounds: decBounds(o.b),
    buckets: (o.bc as number[] | null) ?? null,
    exp: decExp(o.e),
    // Version 1 did not keep them: the first window after the upgrade leaves min and max unknown.
    min: null,
    max: null,
  };
}

/** The `s:` value: everything but the kept emitted windows. */
export function encodeSeries(s: Series): JsonObject {
  return {
    k: s.key,
    t: s.tenant,
    n: s.name,
    l: s.labels,
    sv: s.serviceName,
    u: s.unit,
    kd: s.kind,
    mt: s.metricType,
    mo: s.monotonic,
    tp: s.temporality,
    src: s.sourceTopic,
    of: s.overflow,
    sh: s.shard,
    ls: s.lastSeenMs,
    tot: encF(s.total),
    c: encodeContinuity(s.continuity),
    o: s.open.map((ws) => ws.map(encodeWindow)),
    ag: s.aggregates,
  };
}

/** The `k:` value: the emitted windows kept for corrections. */
export function encodeClosed(s: Series): Json {
  return s.closed.map((ws) => ws.map(encodeWindow));
}

export function decodeSeries(o: Record<string, unknown>, closed: unknown, resolutions: number): Series {
  const windows = (x: unknown): WindowState[][] => {
    const lists = Array.isArray(x) ? (x as Record<string, unknown>[][]) : [];
    return Array.from({ length: resolutions }, (_, i) => (lists[i] ?? []).map(decodeWindow));
  };
  return {
    key: o.k as string,
    tenant: o.t as string,
    name: o.n as string,
    labels: o.l as Record<string, string>,
    serviceName: o.sv as string,
    unit: o.u as string,
    kind: o.kd as Series['kind'],
    metricType: o.mt as MetricType,
    monotonic: o.mo as boolean,
    temporality: o.tp as AggregationTemporality,
    sourceTopic: o.src as string,
    overflow: o.of as boolean,
    shard: o.sh as number,
    lastSeenMs: o.ls as number,
    total: decF(o.tot),
    continuity: decodeContinuity(o.c),
    open: windows(o.o),
    closed: windows(closed),
    aggregates: o.ag as string[],
    removed: false,
    identity: null,
    boundsDict: [],
    dictEnc: null,
  };
}
