// A series as the engine holds it (hot objects with bigint times) and its form in the state store (format
// version 2, binary as one base64 string per key; version 1, plain JSON, is read by series-state.v1.ts):
// - `k:<seriesKey>`: identity (key, labels, kind, …) and the emitted windows kept for corrections. Written when
//   the series is created, and when its kept windows are folded in: a kept window was corrected, or more than
//   a few windows closed since the last write (see MetricAggregator.flush).
// - `s:<seriesKey>`: the hot part, rewritten whenever a sample changed the series: counter continuity, open
//   windows, and the kept windows not in `k:` yet (the tail). A window that closes does not make the series
//   dirty: load() closes again the open windows the restored watermark has passed (emitted once more), so
//   closing every series' window at an epoch-aligned boundary writes nothing.
import type { AggregationTemporality, MetricType, QuantileValue } from '@sextant/contracts';
import { BinaryReader, BinaryWriter } from './binary-codec';
import type { ExpBuckets, ExpHistogram } from './exponential-histogram';
import type { RollupIdentity, WindowState } from './window';

/** The first byte of every version-2 value; a value of another version is refused by load(). */
export const STATE_FORMAT_VERSION = 2;
const HOT = 1;
const IDENTITY = 2;

/** The previous point of a cumulative series, which the next one is compared to. */
export interface Continuity {
  timeNs: bigint;
  startNs: bigint;
  value: number;
  count: number;
  sum: number;
  bounds: number[] | null;
  buckets: number[] | null;
  exp: ExpHistogram | null;
  /** A cumulative histogram point's min and max (over its whole life), null when it reported none. */
  min: number | null;
  max: number | null;
}

export interface Series extends RollupIdentity {
  metricType: MetricType;
  monotonic: boolean;
  temporality: AggregationTemporality;
  /** Newest event time (ms) of a sample of this series: drives idle expiry. */
  lastSeenMs: number;
  /** Running total of delta sums, reported as `last`. */
  total: number;
  continuity: Continuity | null;
  /** Open windows per resolution (index as config.resolutionsMs), ascending by start. */
  open: WindowState[][];
  /** Emitted windows kept for corrections, per resolution, ascending by start. */
  closed: WindowState[][];
  /** Keys of the pre-aggregate series this series feeds; resolved once. */
  aggregates: string[];
  /** Set when the series left the engine (expired or evicted): index entries pointing at it are stale. */
  removed: boolean;
  /** The base64 segment of the identity, cached: it never changes. */
  identity: string | null;
  /** Explicit bounds the series' windows and continuity use, referred to by index in encoded values; append-only. */
  boundsDict: number[][];
  /** The base64 segment of boundsDict, cached until it grows. */
  dictEnc: string | null;
}

const TEMPORALITIES: readonly AggregationTemporality[] = ['UNSPECIFIED', 'DELTA', 'CUMULATIVE'];
/** A dictionary longer than this (bounds changing again and again) is rebuilt from the live windows. */
const MAX_BOUNDS_DICT = 8;

const writer = new BinaryWriter();

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

/** Index + 1 of the bounds in the series' dictionary (added when new), 0 for none. */
function boundsRef(s: Series, b: number[] | null): number {
  if (b === null) return 0;
  const dict = s.boundsDict;
  for (let i = 0; i < dict.length; i++) if (dict[i] === b) return i + 1;
  for (let i = 0; i < dict.length; i++) if (sameNumbers(dict[i], b)) return i + 1;
  dict.push(b);
  s.dictEnc = null;
  return dict.length;
}

function writeDict(w: BinaryWriter, dict: readonly number[][]): void {
  w.varint(dict.length);
  for (const b of dict) {
    w.varint(b.length);
    for (let i = 0; i < b.length; i++) w.f64(b[i]);
  }
}

function readDict(r: BinaryReader): number[][] {
  const dict: number[][] = [];
  const n = r.varint();
  for (let i = 0; i < n; i++) {
    const b = new Array<number>(r.varint());
    for (let j = 0; j < b.length; j++) b[j] = r.f64();
    dict.push(b);
  }
  return dict;
}

function readBounds(r: BinaryReader, dict: readonly number[][]): number[] | null {
  const i = r.varint();
  if (i === 0) return null;
  if (i > dict.length) throw new Error('aggregator state value: bounds reference out of range');
  return dict[i - 1];
}

/** null, or a list of tagged numbers. */
function writeNums(w: BinaryWriter, xs: readonly number[] | null): void {
  if (xs === null) return w.varint(0);
  w.varint(xs.length + 1);
  for (let i = 0; i < xs.length; i++) w.num(xs[i]);
}

function readNums(r: BinaryReader): number[] | null {
  const n = r.varint();
  if (n === 0) return null;
  const xs = new Array<number>(n - 1);
  for (let i = 0; i < xs.length; i++) xs[i] = r.num();
  return xs;
}

function writeExpBuckets(w: BinaryWriter, b: ExpBuckets): void {
  w.num(b.offset);
  writeNums(w, b.counts);
}

function readExpBuckets(r: BinaryReader): ExpBuckets {
  const offset = r.num();
  return { offset, counts: readNums(r) ?? [] };
}

function writeExp(w: BinaryWriter, h: ExpHistogram | null): void {
  if (h === null) return w.u8(0);
  w.u8(1);
  w.num(h.scale);
  w.num(h.zeroCount);
  w.num(h.zeroThreshold);
  writeExpBuckets(w, h.positive);
  writeExpBuckets(w, h.negative);
}

function readExp(r: BinaryReader): ExpHistogram | null {
  if (r.u8() === 0) return null;
  const scale = r.num();
  const zeroCount = r.num();
  const zeroThreshold = r.num();
  const positive = readExpBuckets(r);
  return { scale, zeroCount, zeroThreshold, positive, negative: readExpBuckets(r) };
}

function writeQuantiles(w: BinaryWriter, q: QuantileValue[] | null): void {
  if (q === null) return w.varint(0);
  w.varint(q.length + 1);
  for (const x of q) {
    w.num(x.quantile);
    w.num(x.value);
  }
}

function readQuantiles(r: BinaryReader): QuantileValue[] | null {
  const n = r.varint();
  if (n === 0) return null;
  const q: QuantileValue[] = [];
  for (let i = 1; i < n; i++) {
    const quantile = r.num();
    q.push({ quantile, value: r.num() });
  }
  return q;
}

/** The window's segment, cached on the window until it changes (window.enc is cleared by every change). */
function windowSegment(s: Series, x: WindowState): string {
  if (x.enc !== null) return x.enc;
  const w = writer;
  // Flags: reopened; min, max and last one value (a window of one sample); increase equal to sum (counters).
  const single = x.min !== null && Object.is(x.min, x.max) && Object.is(x.min, x.last);
  const incSum = x.increase !== null && Object.is(x.increase, x.sum);
  w.num(x.start);
  w.varint(x.emitted);
  w.u8((x.reopened ? 1 : 0) | (single ? 2 : 0) | (incSum ? 4 : 0));
  w.num(x.count);
  w.num(x.sum);
  if (single) w.num(x.last);
  else {
    w.nnum(x.min);
    w.nnum(x.max);
    w.num(x.last);
  }
  w.i64(x.lastT);
  if (!incSum) w.nnum(x.increase);
  w.num(x.resets);
  w.varint(boundsRef(s, x.bounds));
  writeNums(w, x.buckets);
  writeExp(w, x.exp);
  writeQuantiles(w, x.quantiles);
  x.enc = w.segment();
  return x.enc;
}

function readWindow(r: BinaryReader, dict: readonly number[][], persisted: boolean): WindowState {
  const start = r.num();
  const emitted = r.varint();
  const flags = r.u8();
  const count = r.num();
  const sum = r.num();
  let min: number | null;
  let max: number | null;
  let lastValue: number;
  if ((flags & 2) !== 0) min = max = lastValue = r.num();
  else {
    min = r.nnum();
    max = r.nnum();
    lastValue = r.num();
  }
  const lastT = r.i64();
  const increase = (flags & 4) !== 0 ? sum : r.nnum();
  const resets = r.num();
  const reopened = (flags & 1) !== 0;
  const bounds = readBounds(r, dict);
  const buckets = readNums(r);
  const exp = readExp(r);
  const quantiles = readQuantiles(r);
  return { persisted, enc: null, start, emitted, reopened, count, sum, min, max, last: lastValue, lastT, increase, resets, bounds, buckets, exp, quantiles };
}

/** Per resolution: the count (in the current fresh segment, then closed), then each window's segment. */
function writeWindows(parts: string[], s: Series, lists: readonly WindowState[][], all: boolean): void {
  const w = writer;
  w.varint(lists.length);
  for (const ws of lists) {
    let n = 0;
    for (const x of ws) if (all || !x.persisted) n++;
    w.varint(n);
    if (n === 0) continue;
    parts.push(w.segment());
    for (const x of ws) if (all || !x.persisted) parts.push(windowSegment(s, x));
  }
}

function readWindows(r: BinaryReader, resolutions: number, dict: readonly number[][], persisted: boolean): WindowState[][] {
  const stored = r.varint();
  const lists: WindowState[][] = Array.from({ length: resolutions }, () => []);
  for (let i = 0; i < stored; i++) {
    const n = r.varint();
    if (n === 0) continue;
    r.align();
    for (let j = 0; j < n; j++) {
      const x = readWindow(r, dict, persisted);
      r.align();
      // Windows of a resolution no longer configured are dropped.
      if (i < resolutions) lists[i].push(x);
    }
  }
  return lists;
}

function writeContinuity(w: BinaryWriter, s: Series, c: Continuity | null): void {
  if (c === null) return w.u8(0);
  w.u8(1);
  w.i64(c.timeNs);
  w.i64(c.startNs);
  w.num(c.value);
  w.num(c.count);
  w.num(c.sum);
  w.varint(boundsRef(s, c.bounds));
  writeNums(w, c.buckets);
  writeExp(w, c.exp);
  w.nnum(c.min);
  w.nnum(c.max);
}

function readContinuity(r: BinaryReader, dict: readonly number[][]): Continuity | null {
  if (r.u8() === 0) return null;
  const timeNs = r.i64();
  const startNs = r.i64();
  const value = r.num();
  const count = r.num();
  const sum = r.num();
  const bounds = readBounds(r, dict);
  const buckets = readNums(r);
  const exp = readExp(r);
  return { timeNs, startNs, value, count, sum, bounds, buckets, exp, min: r.nnum(), max: r.nnum() };
}

function identitySegment(s: Series): string {
  if (s.identity !== null) return s.identity;
  const w = writer;
  w.str(s.key);
  w.str(s.tenant);
  w.str(s.name);
  const names = Object.keys(s.labels);
  w.varint(names.length);
  for (const n of names) {
    w.str(n);
    w.str(s.labels[n]);
  }
  w.str(s.serviceName);
  w.str(s.unit);
  w.str(s.kind);
  w.str(s.metricType);
  w.bool(s.monotonic);
  w.str(s.sourceTopic);
  w.bool(s.overflow);
  w.num(s.shard);
  w.varint(s.aggregates.length);
  for (const a of s.aggregates) w.str(a);
  s.identity = w.segment();
  return s.identity;
}

/**
 * Makes sure every bounds the value will refer to is in the dictionary before the dictionary is written, and
 * rebuilds a dictionary grown too long (every cached window segment then goes: their references changed).
 */
function prepareDict(s: Series, withOpen: boolean, allClosed: boolean): void {
  if (s.boundsDict.length > MAX_BOUNDS_DICT) {
    s.boundsDict = [];
    s.dictEnc = null;
    for (const l of [s.open, s.closed]) for (const ws of l) for (const x of ws) x.enc = null;
  }
  if (withOpen) {
    if (s.continuity !== null) boundsRef(s, s.continuity.bounds);
    for (const ws of s.open) for (const x of ws) if (x.enc === null) boundsRef(s, x.bounds);
  }
  for (const ws of s.closed) for (const x of ws) if (x.enc === null && (allClosed || !x.persisted)) boundsRef(s, x.bounds);
}

function dictSegment(s: Series): string {
  if (s.dictEnc === null) {
    writeDict(writer, s.boundsDict);
    s.dictEnc = writer.segment();
  }
  return s.dictEnc;
}

/** The `k:` value: identity and every kept window. Marks the kept windows as stored there. */
export function encodeIdentityAndKept(s: Series): string {
  const w = writer.reset();
  prepareDict(s, false, true);
  w.u8(STATE_FORMAT_VERSION);
  w.u8(IDENTITY);
  const parts = [w.segment(), identitySegment(s), dictSegment(s)];
  writeWindows(parts, s, s.closed, true);
  parts.push(w.segment());
  for (const ws of s.closed) for (const x of ws) x.persisted = true;
  return parts.join('');
}

/** The `s:` value: continuity, open windows, and the kept windows not in `k:`. */
export function encodeHot(s: Series): string {
  const w = writer.reset();
  prepareDict(s, true, false);
  w.u8(STATE_FORMAT_VERSION);
  w.u8(HOT);
  const parts = [w.segment(), dictSegment(s)];
  w.num(s.lastSeenMs);
  w.num(s.total);
  const t = TEMPORALITIES.indexOf(s.temporality);
  if (t >= 0) w.varint(t);
  else {
    w.varint(TEMPORALITIES.length);
    w.str(s.temporality);
  }
  writeContinuity(w, s, s.continuity);
  writeWindows(parts, s, s.open, true);
  writeWindows(parts, s, s.closed, false);
  parts.push(w.segment());
  return parts.join('');
}

/** Kept windows not in the stored `k:` value (the tail, written in `s:`). */
export function tailLength(s: Series): number {
  let n = 0;
  for (const ws of s.closed) for (const x of ws) if (!x.persisted) n++;
  return n;
}

function reader(value: unknown, kind: number, key: string): BinaryReader {
  if (typeof value !== 'string') throw new Error(`aggregator state ${key}: not a version-${STATE_FORMAT_VERSION} value`);
  const r = new BinaryReader(value);
  r.begin();
  const version = r.u8();
  if (version !== STATE_FORMAT_VERSION) throw new Error(`aggregator state ${key}: format version ${version}, this engine reads ${STATE_FORMAT_VERSION} (and the JSON of version 1)`);
  if (r.u8() !== kind) throw new Error(`aggregator state ${key}: wrong value kind`);
  r.align();
  return r;
}

/**
 * A series from its `k:` and `s:` values. Its `open` lists hold every window `s:` stored as open, whatever
 * the watermark: the caller closes those it has passed. Kept windows from `k:` and from the tail of `s:` are
 * merged by start.
 */
export function decodeSeries(identity: unknown, hot: unknown, resolutions: number, key: string): Series {
  const r = reader(identity, IDENTITY, 'k:' + key);
  const seriesKey = r.str();
  const tenant = r.str();
  const name = r.str();
  const labels: Record<string, string> = {};
  const n = r.varint();
  for (let i = 0; i < n; i++) {
    const label = r.str();
    labels[label] = r.str();
  }
  const serviceName = r.str();
  const unit = r.str();
  const kind = r.str() as Series['kind'];
  const metricType = r.str() as MetricType;
  const monotonic = r.bool();
  const sourceTopic = r.str();
  const overflow = r.bool();
  const shard = r.num();
  const aggregates: string[] = [];
  const a = r.varint();
  for (let i = 0; i < a; i++) aggregates.push(r.str());
  r.align();
  const keptDict = readDict(r);
  r.align();
  const kept = readWindows(r, resolutions, keptDict, true);
  const s: Series = {
    key: seriesKey,
    tenant,
    name,
    labels,
    serviceName,
    unit,
    kind,
    sourceTopic,
    overflow,
    shard,
    metricType,
    monotonic,
    temporality: 'UNSPECIFIED',
    lastSeenMs: 0,
    total: 0,
    continuity: null,
    open: Array.from({ length: resolutions }, () => []),
    closed: kept,
    aggregates,
    removed: false,
    identity: null,
    boundsDict: keptDict,
    dictEnc: null,
  };
  if (hot === undefined) return s;
  const h = reader(hot, HOT, 's:' + key);
  const dict = readDict(h);
  h.align();
  s.boundsDict = dict;
  s.lastSeenMs = h.num();
  s.total = h.num();
  const t = h.varint();
  s.temporality = t < TEMPORALITIES.length ? TEMPORALITIES[t] : (h.str() as AggregationTemporality);
  s.continuity = readContinuity(h, dict);
  s.open = readWindows(h, resolutions, dict, false);
  const tail = readWindows(h, resolutions, dict, false);
  for (let i = 0; i < resolutions; i++) {
    if (tail[i].length > 0) s.closed[i] = mergeByStart(s.closed[i], tail[i]);
  }
  return s;
}

function mergeByStart(a: WindowState[], b: WindowState[]): WindowState[] {
  const out: WindowState[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i].start < b[j].start)) out.push(a[i++]);
    else if (i < a.length && a[i].start === b[j].start) {
      // A window in both: the tail's copy is the newer (k: is folded whenever a stored window changes).
      out.push(b[j++]);
      i++;
    } else out.push(b[j++]);
  }
  return out;
}
