/**
 * A corpus of bad remote-write requests, each in 1.0 (`prometheus.WriteRequest`) and, where the protocol has the
 * fault, 2.0 (`io.prometheus.write.v2.Request`), for sending side by side to Sextant ingest and to a real
 * Prometheus receiver. Every request mixes its bad items with a good series whose metric name is unique to the
 * case and protocol, so what the fault costs the rest of the request is visible in storage.
 *
 * Bodies are built with `encodeRemoteWriteProtobuf` of @sextant/remote-write; what protobufjs cannot express
 * (a label name that is not UTF-8, the stale NaN's exact bits, a body that is not snappy or not protobuf) is
 * patched into the protobuf bytes or built by hand, and compressed with a literal-only snappy block writer of
 * this file (valid snappy: no sender is obliged to find matches).
 */
import { encodeRemoteWriteProtobuf, REMOTE_WRITE_V1, REMOTE_WRITE_V2, SAMPLES_WRITTEN_HEADER, HISTOGRAMS_WRITTEN_HEADER, EXEMPLARS_WRITTEN_HEADER, STALE_NAN_BITS } from '@sextant/remote-write';

export type Wire = 'v1' | 'v2';

/** One series as a sender lays it out: labels in the order given (duplicates and disorder allowed), samples as sent. */
export interface SeriesSpec {
  readonly labels: readonly (readonly [string, string])[];
  readonly samples: readonly (readonly [number, number])[];
}

export interface CorpusRequest {
  readonly body: Uint8Array;
  readonly headers: Readonly<Record<string, string>>;
}

export interface CorpusCase {
  readonly id: string;
  readonly wire: Wire;
  /** What the request holds, for the report. */
  readonly title: string;
  /** Sent one after another, the answers of each compared. */
  readonly requests: readonly CorpusRequest[];
  /** Metric names whose stored samples are compared (the good series and every bad one that may be stored). */
  readonly compared: readonly string[];
  /** Staleness markers sent for compared series: [metric name, timestamp ms]. */
  readonly staleMarkers: readonly (readonly [string, number])[];
}

const V1_CONTENT_TYPE = 'application/x-protobuf';
const V2_CONTENT_TYPE = 'application/x-protobuf;proto=io.prometheus.write.v2.Request';

export function headersOf(wire: Wire): Record<string, string> {
  return {
    'Content-Type': wire === 'v1' ? V1_CONTENT_TYPE : V2_CONTENT_TYPE,
    'Content-Encoding': 'snappy',
    'X-Prometheus-Remote-Write-Version': wire === 'v1' ? '0.1.0' : '2.0.0',
    'User-Agent': 'sextant-remote-write-corpus',
  };
}

/** The three 2.0 `*-Written` headers, lower-cased, in a fixed order. */
export const WRITTEN_HEADERS = [SAMPLES_WRITTEN_HEADER, HISTOGRAMS_WRITTEN_HEADER, EXEMPLARS_WRITTEN_HEADER].map((h) => h.toLowerCase());

/** A snappy block of literals only (preamble: uncompressed length as a varint; then literal runs of ≤ 65536 bytes). */
export function snappyLiteralBlock(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let n = data.length;
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  for (let at = 0; at < data.length; at += 65536) {
    const run = data.subarray(at, Math.min(at + 65536, data.length));
    const len = run.length - 1;
    if (len < 60) out.push(len << 2);
    else if (len < 256) out.push(60 << 2, len);
    else out.push(61 << 2, len & 0xff, len >> 8);
    for (const byte of run) out.push(byte);
  }
  return Uint8Array.from(out);
}

/** `bytes` with the single occurrence of `from` replaced by `to` (same length); throws unless there is exactly one. */
export function patchOnce(bytes: Uint8Array, from: Uint8Array, to: Uint8Array): Uint8Array {
  if (from.length !== to.length) throw new Error('a patch must keep the length');
  const hits: number[] = [];
  for (let i = 0; i + from.length <= bytes.length; i++) {
    let j = 0;
    while (j < from.length && bytes[i + j] === from[j]) j++;
    if (j === from.length) hits.push(i);
  }
  if (hits.length !== 1) throw new Error(`patch target found ${hits.length} times`);
  const out = Uint8Array.from(bytes);
  out.set(to, hits[0]);
  return out;
}

/** Placeholder label name (ASCII, 8 bytes) that the body then carries as the non-UTF-8 bytes `NON_UTF8_BYTES`. */
export const NON_UTF8_PLACEHOLDER = 'bad~utf8';
const NON_UTF8_BYTES = Uint8Array.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0xc3, 0x28, 0x38]); // "bad", 0xff 0xfe, a broken 2-byte sequence, "8"
/** Placeholder value (a double no case uses otherwise) that the body then carries with the stale NaN's bits. */
export const STALE_PLACEHOLDER = 1234.5678125;

function float64LE(v: number): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, v, true);
  return b;
}

function staleNaNLE(): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, STALE_NAN_BITS, true);
  return b;
}

/** Protobuf of the series in `wire`'s message, with the placeholders turned into the bytes they stand for. */
export function protobufOf(wire: Wire, series: readonly SeriesSpec[], extra: { badRefs?: readonly (readonly number[])[] } = {}): Uint8Array {
  let bytes: Uint8Array;
  if (wire === 'v1') {
    bytes = encodeRemoteWriteProtobuf(REMOTE_WRITE_V1, {
      timeseries: series.map((s) => ({ labels: s.labels.map(([name, value]) => ({ name, value })), samples: s.samples.map(([timestamp, value]) => ({ value, timestamp })) })),
    });
  } else {
    const symbols = [''];
    const ref = (s: string): number => {
      let i = symbols.indexOf(s);
      if (i < 0) i = symbols.push(s) - 1;
      return i;
    };
    const timeseries = series.map((s) => ({ labels_refs: s.labels.flatMap(([n, v]) => [ref(n), ref(v)]), samples: s.samples.map(([timestamp, value]) => ({ value, timestamp })) }));
    // Series whose label references point outside the symbols table (or come in an odd number).
    for (const refs of extra.badRefs ?? []) timeseries.push({ labels_refs: [...refs], samples: [{ value: 1, timestamp: series[0]?.samples[0]?.[0] ?? 0 }] });
    bytes = encodeRemoteWriteProtobuf(REMOTE_WRITE_V2, { symbols, timeseries });
  }
  const text = new TextEncoder();
  if (series.some((s) => s.labels.some(([n]) => n === NON_UTF8_PLACEHOLDER))) bytes = patchOnce(bytes, text.encode(NON_UTF8_PLACEHOLDER), NON_UTF8_BYTES);
  if (series.some((s) => s.samples.some(([, v]) => v === STALE_PLACEHOLDER))) bytes = patchOnce(bytes, float64LE(STALE_PLACEHOLDER), staleNaNLE());
  return bytes;
}

function request(wire: Wire, series: readonly SeriesSpec[], extra: { badRefs?: readonly (readonly number[])[] } = {}): CorpusRequest {
  return { body: snappyLiteralBlock(protobufOf(wire, series, extra)), headers: headersOf(wire) };
}

/** The metric name of series `what` of case `id`. */
export function corpusName(tag: string, wire: Wire, id: string, what: string): string {
  return `rwc_${tag}_${wire}_${id.replace(/-/g, '_')}_${what}`;
}

/**
 * The corpus, timestamps from `t0` (ms; keep it within the last half hour, so that Prometheus's head takes
 * every sample and a `[1h]` range selector sees them all). `tag` makes the metric names unique to a run.
 */
export function buildCorpus(t0: number, tag: string): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const wire of ['v1', 'v2'] as const) {
    const name = (id: string, what: string): string => corpusName(tag, wire, id, what);
    const good = (id: string): SeriesSpec => ({ labels: [['__name__', name(id, 'good')], ['job', 'corpus'], ['instance', `${id}:${wire}`]], samples: [[t0, 1], [t0 + 1000, 2], [t0 + 2000, 3]] });
    const add = (id: string, title: string, requests: CorpusRequest[], compared: string[], staleMarkers: [string, number][] = []): void => {
      cases.push({ id, wire, title, requests, compared, staleMarkers });
    };

    {
      const id = 'not-snappy';
      add(id, 'a valid protobuf body sent without snappy compression', [{ body: protobufOf(wire, [good(id)]), headers: headersOf(wire) }], [name(id, 'good')]);
    }
    {
      const id = 'bad-protobuf';
      // Field 1 (1.0 timeseries, 2.0 reserved), length-delimited, with a length running past the end.
      const broken = Uint8Array.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]);
      add(id, 'snappy of bytes that are not the message (a length past the end)', [{ body: snappyLiteralBlock(broken), headers: headersOf(wire) }], []);
    }
    {
      const id = 'empty-name';
      const bad: SeriesSpec[] = [
        { labels: [['__name__', ''], ['job', 'corpus'], ['case', name(id, 'empty')]], samples: [[t0, 7]] },
        { labels: [['job', 'corpus'], ['case', name(id, 'absent')]], samples: [[t0, 8]] },
      ];
      add(id, 'a good series, a series with `__name__=""` and one without `__name__`', [request(wire, [good(id), ...bad])], [name(id, 'good')]);
    }
    {
      const id = 'label-name';
      const series: SeriesSpec[] = [
        good(id),
        // Valid under UTF-8 name validation (Prometheus 3's receiver), invalid under the legacy rules.
        { labels: [['__name__', name(id, 'digit')], ['1bad', 'x']], samples: [[t0, 11]] },
        { labels: [['__name__', name(id, 'dotted')], ['bad.name-ü', 'x']], samples: [[t0, 12]] },
        // Not UTF-8 at all.
        { labels: [['__name__', name(id, 'nonutf8')], [NON_UTF8_PLACEHOLDER, 'x']], samples: [[t0, 13]] },
        // An empty label name.
        { labels: [['__name__', name(id, 'emptyname')], ['', 'x']], samples: [[t0, 14]] },
      ];
      add(id, 'label names `1bad`, `bad.name-ü`, non-UTF-8 bytes, and the empty name', [request(wire, series)], [name(id, 'good'), name(id, 'digit'), name(id, 'dotted'), name(id, 'nonutf8'), name(id, 'emptyname')]);
    }
    {
      const id = 'dup-label';
      const series: SeriesSpec[] = [
        good(id),
        { labels: [['__name__', name(id, 'dup')], ['a', '1'], ['a', '2']], samples: [[t0, 21]] },
        { labels: [['__name__', name(id, 'dupsame')], ['a', '1'], ['a', '1']], samples: [[t0, 22]] },
        { labels: [['__name__', name(id, 'dupempty')], ['a', '1'], ['a', '']], samples: [[t0, 23]] },
      ];
      add(id, 'label `a` twice (different values, same value, one empty)', [request(wire, series)], [name(id, 'good'), name(id, 'dup'), name(id, 'dupsame'), name(id, 'dupempty')]);
    }
    {
      const id = 'unsorted';
      const series: SeriesSpec[] = [good(id), { labels: [['zeta', 'z'], ['__name__', name(id, 'unsorted')], ['alpha', 'a'], ['empty', '']], samples: [[t0, 31], [t0 + 1000, 32]] }];
      add(id, 'labels out of order (and one with an empty value)', [request(wire, series)], [name(id, 'good'), name(id, 'unsorted')]);
    }
    {
      const id = 'special-values';
      const series: SeriesSpec[] = [
        good(id),
        { labels: [['__name__', name(id, 'special')]], samples: [[t0, Number.NaN], [t0 + 1000, Infinity], [t0 + 2000, -Infinity], [t0 + 3000, 5e-324], [t0 + 4000, -Number.MAX_VALUE]] },
        { labels: [['__name__', name(id, 'negzero')]], samples: [[t0, -0]] },
      ];
      add(id, 'NaN, +Inf, -Inf, the smallest subnormal, -MAX_VALUE, and -0 as values', [request(wire, series)], [name(id, 'good'), name(id, 'special'), name(id, 'negzero')]);
    }
    {
      const id = 'stale';
      const series: SeriesSpec[] = [good(id), { labels: [['__name__', name(id, 'stale')]], samples: [[t0, 41], [t0 + 1000, 42], [t0 + 2000, STALE_PLACEHOLDER]] }];
      add(id, 'a series ending with the stale NaN (0x7ff0000000000002)', [request(wire, series)], [name(id, 'good'), name(id, 'stale')], [[name(id, 'stale'), t0 + 2000]]);
    }
    {
      const id = 'disorder';
      const series: SeriesSpec[] = [good(id), { labels: [['__name__', name(id, 'disorder')]], samples: [[t0 + 2000, 52], [t0 + 1000, 51], [t0 + 3000, 53], [t0, 50]] }];
      add(id, 'samples out of order within one series', [request(wire, series)], [name(id, 'good'), name(id, 'disorder')]);
    }
    {
      const id = 'duplicates';
      const series: SeriesSpec[] = [
        good(id),
        { labels: [['__name__', name(id, 'same')]], samples: [[t0, 61], [t0, 61], [t0 + 1000, 62]] },
        { labels: [['__name__', name(id, 'conflict')]], samples: [[t0, 71], [t0, 72], [t0 + 1000, 73]] },
      ];
      add(id, 'one timestamp twice in a series: same value, different value', [request(wire, series)], [name(id, 'good'), name(id, 'same'), name(id, 'conflict')]);
    }
    {
      const id = 'older';
      const series = name(id, 'series');
      const first = request(wire, [{ labels: [['__name__', series]], samples: [[t0 + 5000, 85]] }]);
      const second = request(wire, [good(id), { labels: [['__name__', series]], samples: [[t0 + 3000, 83], [t0 + 6000, 86]] }]);
      add(id, 'a second request with a sample older than the first request wrote for the series', [first, second], [name(id, 'good'), series]);
    }
    if (wire === 'v2') {
      const id = 'bad-ref';
      // Symbols: "" then those of the good series; 9999 is past the end; an odd number of references.
      add(id, 'series with a label reference outside the symbols table, and with an odd number of references', [request(wire, [good(id)], { badRefs: [[1, 9999], [1, 2, 3]] })], [name(id, 'good')]);
    }
  }
  return cases;
}
