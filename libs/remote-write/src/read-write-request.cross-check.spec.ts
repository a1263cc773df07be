/**
 * Cross-check of the hand-written readers against protobufjs decoding the official types: random requests
 * (seeded) are encoded by protobufjs, then read by both; every field must agree, doubles bit for bit.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeRemoteWriteProtobuf } from './encode-remote-write';
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2 } from './remote-write.model';
import { remoteWriteProtoTypes } from './remote-write-proto';
import { readWriteRequestV1 } from './read-write-request-v1';
import { readWriteRequestV2 } from './read-write-request-v2';
import { float64Bits, STALE_NAN } from './stale-nan';
import { sortLabels } from './validate-series-labels';

type Obj = Record<string, unknown>;
type Pb = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Deterministic draws in [0, 1) from SHA-256 of seed and counter, so a failure reproduces from its seed. */
function rng(seed: number): () => number {
  let counter = 0;
  return () => createHash('sha256').update(`${seed}/${counter++}`).digest().readUInt32BE(0) / 4294967296;
}

function generators(seed: number) {
  const next = rng(seed);
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)] as T;
  const maybe = <T>(value: () => T): T | undefined => (next() < 0.5 ? value() : undefined);
  const list = <T>(max: number, item: () => T): T[] => Array.from({ length: int(max + 1) }, item);
  const double = () => pick([0, -0, 1.5, -3.25, 1e300, -1e-300, Infinity, -Infinity, NaN, STALE_NAN, next() * 1e6]);
  const int64 = () => pick([0, 1, -1, 1_733_100_000_000, -(2 ** 52), 2 ** 53 - 1, -(2 ** 53 - 1), int(1e9)]);
  const uint64 = () => pick([0, 1, 2 ** 53 - 1, int(1e9)]);
  const text = () => pick(['', '__name__', 'job', 'up', 'x'.repeat(70), 'Zürich', '✓', '𝄞 clef', 'a b', `s${int(100)}`]);
  const spans = () => list(3, () => ({ offset: pick([0, 1, -5, 2147483647]), length: pick([0, 1, 4, 4294967295]) }));
  const histogram = (v2: boolean): Obj => ({
    ...(next() < 0.5 ? { count_int: uint64() } : { count_float: double() }),
    sum: double(),
    schema: pick([0, -4, 8, -53, 12, -2147483648]),
    zero_threshold: double(),
    ...(next() < 0.5 ? { zero_count_int: uint64() } : { zero_count_float: double() }),
    negative_spans: spans(),
    negative_deltas: list(4, int64),
    negative_counts: list(4, double),
    positive_spans: spans(),
    positive_deltas: list(4, int64),
    positive_counts: list(4, double),
    reset_hint: int(4),
    timestamp: int64(),
    custom_values: list(3, double),
    ...(v2 ? { start_timestamp: int64() } : {}),
  });
  return { int, list, maybe, double, int64, text, histogram };
}

function randomV1(seed: number): Obj {
  const g = generators(seed);
  const labels = () => g.list(4, () => ({ name: g.text(), value: g.text() }));
  return {
    timeseries: g.list(5, () => ({
      labels: labels(),
      samples: g.list(3, () => ({ value: g.double(), timestamp: g.int64() })),
      exemplars: g.list(2, () => ({ labels: labels(), value: g.double(), timestamp: g.int64() })),
      histograms: g.list(2, () => g.histogram(false)),
    })),
    metadata: g.list(2, () => ({ type: g.int(8), metric_family_name: g.text(), help: g.text(), unit: g.text() })),
  };
}

function randomV2(seed: number): Obj {
  const g = generators(seed);
  const refs = () => g.list(5, () => g.int(12));
  return {
    symbols: g.list(10, g.text),
    timeseries: g.list(5, () => ({
      labels_refs: refs(),
      samples: g.list(3, () => ({ value: g.double(), timestamp: g.int64(), start_timestamp: g.int64() })),
      histograms: g.list(2, () => g.histogram(true)),
      exemplars: g.list(2, () => ({ labels_refs: refs(), value: g.double(), timestamp: g.int64() })),
      metadata: g.maybe(() => ({ type: g.int(8), help_ref: g.int(12), unit_ref: g.int(12) })),
    })),
  };
}

const RESET_HINTS = ['unknown', 'yes', 'no', 'gauge'];
const TYPES = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];
const TO_OBJECT = { longs: Number, enums: Number, defaults: true, arrays: true, oneofs: true } as const;

/** protobufjs's histogram object in the model's shape, by the rules of Prometheus's codec.go. */
function histogramOf(h: Pb, v2: boolean): Obj {
  const common = {
    timestampMs: h.timestamp,
    startTimestampMs: v2 ? h.start_timestamp : 0,
    schema: h.schema,
    sum: h.sum,
    zeroThreshold: h.zero_threshold,
    resetHint: RESET_HINTS[h.reset_hint] ?? 'unknown',
    positiveSpans: h.positive_spans.map((s: Pb) => ({ offset: s.offset, length: s.length })),
    negativeSpans: h.negative_spans.map((s: Pb) => ({ offset: s.offset, length: s.length })),
    customValues: h.custom_values,
  };
  const zeroInt = h.zero_count === 'zero_count_int' ? h.zero_count_int : 0;
  const zeroFloat = h.zero_count === 'zero_count_float' ? h.zero_count_float : 0;
  return h.count === 'count_float'
    ? { kind: 'float', ...common, count: h.count_float, zeroCount: zeroFloat, positiveCounts: h.positive_counts, negativeCounts: h.negative_counts }
    : { kind: 'integer', ...common, count: h.count === 'count_int' ? h.count_int : 0, zeroCount: zeroInt, positiveDeltas: h.positive_deltas, negativeDeltas: h.negative_deltas };
}

/** Numbers as their float64 bits, so NaN payloads and -0 must match too. */
function bits(value: unknown): unknown {
  if (typeof value === 'number') return float64Bits(value).toString(16);
  if (Array.isArray(value)) return value.map(bits);
  if (value instanceof Map) return [...value].map(bits);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bits(v)]));
  return value;
}

describe('hand-written readers agree with protobufjs on the official types', () => {
  it('remote write 1.0, 300 random requests', () => {
    const type = remoteWriteProtoTypes().writeRequest;
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = encodeRemoteWriteProtobuf(REMOTE_WRITE_V1, randomV1(seed));
      const pb = type.toObject(type.decode(bytes), TO_OBJECT) as Pb;
      const expected = {
        timeseries: pb.timeseries.map((ts: Pb) => ({
          labels: ts.labels.map((l: Pb) => ({ name: l.name, value: l.value })),
          invalidUtf8: undefined,
          samples: ts.samples.map((s: Pb) => ({ timestampMs: s.timestamp, value: s.value, startTimestampMs: 0 })),
          exemplars: ts.exemplars.map((e: Pb) => {
            const labels = e.labels.map((l: Pb) => ({ name: l.name, value: l.value }));
            sortLabels(labels);
            return { labels, value: e.value, timestampMs: e.timestamp };
          }),
          histograms: ts.histograms.map((h: Pb) => histogramOf(h, false)),
        })),
        metadata: pb.metadata.map((m: Pb) => ({ metricFamilyName: m.metric_family_name, metadata: { type: TYPES[m.type] ?? 'unknown', help: m.help, unit: m.unit } })),
      };
      assert.deepEqual(bits(readWriteRequestV1(bytes)), bits(expected), `seed ${seed}`);
    }
  });

  it('remote write 2.0, 300 random requests', () => {
    const type = remoteWriteProtoTypes().v2Request;
    for (let seed = 1; seed <= 300; seed++) {
      const bytes = encodeRemoteWriteProtobuf(REMOTE_WRITE_V2, randomV2(seed));
      const pb = type.toObject(type.decode(bytes), TO_OBJECT) as Pb;
      const expected = {
        symbols: pb.symbols,
        invalidSymbols: undefined,
        timeseries: pb.timeseries.map((ts: Pb) => ({
          labelsRefs: ts.labels_refs,
          samples: ts.samples.map((s: Pb) => ({ timestampMs: s.timestamp, value: s.value, startTimestampMs: s.start_timestamp })),
          histograms: ts.histograms.map((h: Pb) => histogramOf(h, true)),
          exemplars: ts.exemplars.map((e: Pb) => ({ labelsRefs: e.labels_refs, value: e.value, timestampMs: e.timestamp })),
          metadata: ts.metadata === null ? { type: 0, helpRef: 0, unitRef: 0 } : { type: ts.metadata.type, helpRef: ts.metadata.help_ref, unitRef: ts.metadata.unit_ref },
        })),
      };
      assert.deepEqual(bits(readWriteRequestV2(bytes)), bits(expected), `seed ${seed}`);
    }
  });
});
