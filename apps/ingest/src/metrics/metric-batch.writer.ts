/**
 * MetricBatch envelopes (Confluent framing, Avro binary) written with what repeats remembered. A float sample
 * without exemplars is its series' fields (tenant, name, help, unit, type, attributes, resource, ...), the same
 * bytes for every sample of the series, then two timestamps, a value, flags and the source; avsc walks and
 * re-encodes every field of every sample (the attribute map alone is a dozen strings). Here the series' bytes are
 * encoded once, by avsc itself, and kept in the series' scratch object (seriesScratchOf: metricSamplesOf's
 * samples of one series share a frozen attributes object that carries it); per sample only the tail is written, and a timestamp equal to the previous one is copied, not
 * re-encoded. Every other sample (histograms, summaries, exemplars, flags above 63, a long outside int64, samples
 * not from metricSamplesOf, as OTLP's) is
 * written by avsc's own MetricSample type in place. The bytes are avsc's: `metricBatchSerde` checks that on
 * probe envelopes against the real serde before it writes anything, and leaves every envelope to the serde if
 * they differ (a schema this file does not know).
 */
import { avroType, METRIC_SAMPLE_SCHEMA, type MetricBatch, type MetricSample } from '@sextant/contracts';
import type { AvroSerde } from '@sextant/kafka';
import { seriesScratchOf } from '@sextant/remote-write';

/** Confluent header: magic byte and 4-byte schema id. */
const HEADER_BYTES = 5;
/** The bytes of a sample after its series' fields, when both timestamps are 0n, flags 0 and source empty. */
const ZERO_TAIL_BYTES = 1 + 1 + 8 + 3 + 1 + 1 + 1;
/** Room one fast sample needs past its series' bytes: two longs, a double, four zero bytes, flags. */
const MAX_TAIL_BYTES = 10 + 10 + 8 + 4 + 1;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Larger envelopes are left to the serde instead of growing the scratch buffer for good. */
const MAX_SCRATCH_BYTES = 16 * 1024 * 1024;

const sampleType = avroType(METRIC_SAMPLE_SCHEMA);

/** The series fields of a sample, encoded, with the values they were encoded from. */
interface SeriesBytes {
  readonly tenant: string;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly type: string;
  readonly temporality: string;
  readonly isMonotonic: boolean;
  readonly resource: Readonly<Record<string, string>>;
  readonly serviceName: string;
  readonly scopeName: string;
  readonly scopeVersion: string;
  readonly bytes: Buffer;
}

function sameSeries(k: SeriesBytes, s: MetricSample): boolean {
  return (
    k.tenant === s.tenant &&
    k.name === s.name &&
    k.description === s.description &&
    k.unit === s.unit &&
    k.type === s.type &&
    k.temporality === s.temporality &&
    k.isMonotonic === s.isMonotonic &&
    k.resource === s.resource &&
    k.serviceName === s.serviceName &&
    k.scopeName === s.scopeName &&
    k.scopeVersion === s.scopeVersion
  );
}

/** A timestamp's encoding, for copying when the next one is equal. */
interface EncodedLong {
  value: bigint;
  bytes: Buffer;
  length: number;
}

export class MetricBatchWriter {
  private buf = Buffer.allocUnsafe(64 * 1024);
  private readonly sources = new Map<string, Buffer>();
  private readonly start: EncodedLong = { value: -1n, bytes: Buffer.alloc(10), length: 0 };
  private readonly time: EncodedLong = { value: -1n, bytes: Buffer.alloc(10), length: 0 };

  /** The envelope in the Confluent wire format, or null when it is too large for the scratch buffer. */
  encode(schemaId: number, batch: MetricBatch): Buffer | null {
    const records = batch.records;
    let pos = this.writeCount(records.length, HEADER_BYTES);
    for (let i = 0; i < records.length; i++) {
      const s = records[i] as MetricSample;
      const fast = this.fastSample(s, pos);
      if (fast >= 0) {
        pos = fast;
        continue;
      }
      let end = sampleType.encode(s, this.buf, pos);
      while (end < 0) {
        if (!this.grow(this.buf.length - end)) return null;
        end = sampleType.encode(s, this.buf, pos);
      }
      pos = end;
    }
    if (records.length > 0) {
      if (!this.room(pos + 1)) return null;
      this.buf[pos++] = 0;
    }
    this.buf[0] = 0;
    this.buf.writeUInt32BE(schemaId, 1);
    const out = Buffer.allocUnsafe(pos);
    this.buf.copy(out, 0, 0, pos);
    return out;
  }

  /** Writes a plain float sample at `pos` and returns where it ends; -1 when avsc must write it. */
  private fastSample(s: MetricSample, pos: number): number {
    if (s.histogram !== null || s.exponentialHistogram !== null || s.summary !== null || s.exemplars.length !== 0) return -1;
    const flags = s.flags;
    if (!(flags >= 0 && flags < 64 && Number.isInteger(flags))) return -1;
    const start = s.startTimeUnixNano;
    const time = s.timeUnixNano;
    if (typeof start !== 'bigint' || typeof time !== 'bigint' || typeof s.value !== 'number' || typeof s.source !== 'string') return -1;
    const prefix = this.seriesBytes(s);
    if (prefix === undefined) return -1;
    const source = this.sourceBytes(s.source);
    if (!this.room(pos + prefix.length + MAX_TAIL_BYTES + source.length)) return -1;
    const buf = this.buf;
    buf.set(prefix, pos);
    pos += prefix.length;
    pos = writeLong(this.start, start, buf, pos);
    if (pos < 0) return -1;
    pos = writeLong(this.time, time, buf, pos);
    if (pos < 0) return -1;
    buf.writeDoubleLE(s.value, pos);
    pos += 8;
    buf[pos++] = 0; // histogram: null
    buf[pos++] = 0; // exponentialHistogram: null
    buf[pos++] = 0; // summary: null
    buf[pos++] = 0; // exemplars: []
    buf[pos++] = flags << 1;
    buf.set(source, pos);
    return pos + source.length;
  }

  /**
   * The series fields of `s`, encoded by avsc once per series and kept in the series' scratch object
   * (seriesScratchOf: remote-write samples, whose attributes are frozen and shared by the series), with what
   * they were encoded from; undefined for other samples and when avsc refuses the fields.
   */
  private seriesBytes(s: MetricSample): Buffer | undefined {
    const scratch = seriesScratchOf(s.attributes);
    if (scratch === undefined) return undefined;
    const known = scratch['avro'] as SeriesBytes | undefined;
    if (known !== undefined && sameSeries(known, s)) return known.bytes;
    if (!Object.isFrozen(s.resource)) return undefined;
    let full: Buffer;
    try {
      full = sampleType.toBuffer({ ...s, startTimeUnixNano: 0n, timeUnixNano: 0n, value: 0, histogram: null, exponentialHistogram: null, summary: null, exemplars: [], flags: 0, source: '' });
    } catch {
      return undefined;
    }
    const bytes = Buffer.from(full.subarray(0, full.length - ZERO_TAIL_BYTES));
    const { tenant, name, description, unit, type, temporality, isMonotonic, resource, serviceName, scopeName, scopeVersion } = s;
    scratch['avro'] = { tenant, name, description, unit, type, temporality, isMonotonic, resource, serviceName, scopeName, scopeVersion, bytes } satisfies SeriesBytes;
    return bytes;
  }

  /** A source string's Avro encoding (length and UTF-8 bytes), as avsc writes it. */
  private sourceBytes(source: string): Buffer {
    let bytes = this.sources.get(source);
    if (bytes === undefined) {
      const empty = sampleType.toBuffer(PROBE_SAMPLE);
      const full = sampleType.toBuffer({ ...PROBE_SAMPLE, source });
      bytes = Buffer.from(full.subarray(empty.length - 1));
      if (this.sources.size < 64) this.sources.set(source, bytes);
    }
    return bytes;
  }

  /** The record count of an array block (non-negative, small), as avsc's zig-zag varint. */
  private writeCount(n: number, pos: number): number {
    this.room(pos + 5);
    let m = n * 2;
    while (m > 0x7f) {
      this.buf[pos++] = (m & 0x7f) | 0x80;
      m = Math.floor(m / 128);
    }
    this.buf[pos++] = m;
    return pos;
  }

  private room(needed: number): boolean {
    return needed <= this.buf.length || this.grow(needed);
  }

  private grow(needed: number): boolean {
    if (needed > MAX_SCRATCH_BYTES) return false;
    const bigger = Buffer.allocUnsafe(Math.min(MAX_SCRATCH_BYTES, Math.max(needed, this.buf.length * 2)));
    this.buf.copy(bigger);
    this.buf = bigger;
    return true;
  }
}

/** Writes an Avro long (zig-zag varint) of `value` at `pos`, copying the last encoding when equal; -1 outside int64. */
function writeLong(last: EncodedLong, value: bigint, buf: Buffer, pos: number): number {
  if (value !== last.value) {
    if (value < INT64_MIN || value > INT64_MAX) return -1;
    const zigzag = value >= 0n ? value << 1n : ((-value) << 1n) - 1n;
    let lo = Number(zigzag & 0xffffffffn);
    let hi = Number(zigzag >> 32n);
    let n = 0;
    while (hi !== 0 || lo > 0x7f) {
      last.bytes[n++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    last.bytes[n++] = lo;
    last.length = n;
    last.value = value;
  }
  const bytes = last.bytes;
  for (let i = 0; i < last.length; i++) buf[pos + i] = bytes[i] as number;
  return pos + last.length;
}

/** A sample that exercises the fast path's layout (used to find a source's bytes and to check the writer). */
const PROBE_SAMPLE: MetricSample = {
  tenant: 'probe',
  name: 'probe_total',
  description: 'Probe.',
  unit: '1',
  type: 'SUM',
  temporality: 'CUMULATIVE',
  isMonotonic: true,
  attributes: { job: 'probe', 'zone.name': 'eu-1' },
  resource: {},
  serviceName: 'probe',
  scopeName: '',
  scopeVersion: '',
  startTimeUnixNano: 0n,
  timeUnixNano: 0n,
  value: 0,
  histogram: null,
  exponentialHistogram: null,
  summary: null,
  exemplars: [],
  flags: 0,
  source: '',
};

/** Envelopes the writer must encode exactly as the serde does before it is used. */
function probeBatches(): MetricBatch[] {
  const attributes = { instance: '10.0.0.1:9100', job: 'node', room: 'Zürich ✓' };
  const plain: MetricSample = { ...PROBE_SAMPLE, attributes, source: 'remote-write', startTimeUnixNano: -1_500_000_000n, timeUnixNano: 1_733_100_000_000_000_000n, value: 12.5 };
  return [
    { records: [] },
    {
      records: [
        plain,
        { ...plain, timeUnixNano: 1_733_100_001_000_000_000n, value: Number.NaN, flags: 1 },
        { ...plain, startTimeUnixNano: INT64_MIN, timeUnixNano: INT64_MAX, value: -0 },
        { ...plain, exemplars: [{ timeUnixNano: 1n, value: 2, traceId: '', spanId: '', filteredAttributes: { a: 'b' } }] },
        { ...plain, type: 'HISTOGRAM', histogram: { count: 2n, sum: 1.5, min: null, max: null, explicitBounds: [1], bucketCounts: [1n, 1n] } },
        { ...plain, tenant: 'other', flags: 64 },
      ],
    },
  ];
}

/**
 * A serde for EnvelopePacker<MetricSample> whose synchronous encode writes MetricBatch envelopes through a
 * MetricBatchWriter, once the writer has been seen to give the serde's own bytes for schema `schemaId`; anything
 * else (another schema id, an envelope too large, the asynchronous path) is the serde's.
 */
export function metricBatchSerde(serde: AvroSerde, schemaId: number): AvroSerde {
  const writer = new MetricBatchWriter();
  let verified: boolean | undefined;
  const verify = (): boolean | undefined => {
    try {
      for (const batch of probeBatches()) {
        const reference = serde.encodeSync(schemaId, batch);
        if (reference === null) return undefined;
        const mine = writer.encode(schemaId, batch);
        if (mine === null || !mine.equals(reference)) return false;
      }
      return true;
    } catch {
      return false; // the schema under the id does not take a MetricBatch as this file knows it
    }
  };
  const facade: Pick<AvroSerde, 'encode' | 'encodeSync'> = {
    encode: (id, value) => serde.encode(id, value),
    encodeSync: (id, value) => {
      if (id !== schemaId) return serde.encodeSync(id, value);
      verified ??= verify();
      if (verified !== true) return serde.encodeSync(id, value);
      return writer.encode(id, value as MetricBatch) ?? serde.encodeSync(id, value);
    },
  };
  return facade as AvroSerde;
}
