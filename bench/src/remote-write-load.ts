/**
 * The remote-write benchmark's load: Prometheus remote write 1.0 requests (`prometheus.WriteRequest`, snappy
 * block compressed), as a Prometheus server scraping node_exporter-like targets sends them: S series of a dozen
 * metric families with 6-8 labels, one sample per series per scrape round, SAMPLES_PER_REQUEST samples per
 * request (Prometheus's max_samples_per_send). Like Prometheus's queue manager, the series are split into shards
 * by series, one sender each, so a series' samples arrive in order. Every request carries new timestamps (each
 * round is ROUND_STEP_MS later) so that a TSDB receiver appends instead of discarding duplicates or refusing
 * old samples.
 *
 * Encoding is by hand and cheap, so the generator's own CPU stays small next to the servers': each series'
 * labels are encoded once; a request is those bytes plus the fresh samples, framed as protobuf
 * (field numbers from prometheus/prompb/remote.proto and types.proto).
 */
import { compressSync } from 'snappy';
import type { EncodedRequest } from './otlp-logs-request';

/** Prometheus's default max_samples_per_send. */
export const SAMPLES_PER_REQUEST = 2000;
/**
 * Time between a shard's rounds. Shorter than a scrape interval, so that a long run stays within the hour
 * before now that the generator starts at (receivers refuse samples far in the future).
 */
const ROUND_STEP_MS = 1_000;

const FAMILIES = [
  'node_cpu_seconds_total',
  'node_memory_MemAvailable_bytes',
  'node_network_receive_bytes_total',
  'node_network_transmit_bytes_total',
  'node_filesystem_avail_bytes',
  'node_disk_read_bytes_total',
  'node_disk_written_bytes_total',
  'http_requests_total',
  'http_request_duration_seconds_bucket',
  'process_resident_memory_bytes',
  'go_goroutines',
  'up',
];

function varint(n: number, out: number[]): void {
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function field(no: number, bytes: Uint8Array | number[], out: number[]): void {
  out.push((no << 3) | 2);
  varint(bytes.length, out);
  for (const b of bytes) out.push(b);
}

function encodeLabel(name: string, value: string): number[] {
  const out: number[] = [];
  field(1, Buffer.from(name, 'utf8'), out);
  field(2, Buffer.from(value, 'utf8'), out);
  return out;
}

/** The encoded labels of series i: its metric family and instance, job, and per-family dimensions. */
function seriesLabels(i: number): Buffer {
  const family = FAMILIES[i % FAMILIES.length] as string;
  const labels: [string, string][] = [
    ['__name__', family],
    ['cpu', String(i % 16)],
    ['device', `dev${Math.floor(i / 16) % 8}`],
    ['instance', `10.0.${Math.floor(i / 4096) % 256}.${Math.floor(i / 16) % 256}:9100`],
    ['job', 'node'],
    ['mode', ['user', 'system', 'idle', 'iowait'][i % 4] as string],
    ['series', String(i)],
  ];
  const out: number[] = [];
  for (const [n, v] of labels) field(1, encodeLabel(n, v), out);
  return Buffer.from(out);
}

/** One sender's series and where it is in its rounds. */
interface Shard {
  readonly labels: Buffer[];
  next: number;
  round: number;
}

/**
 * Remote-write requests over `series` series split into `shards` shards: each call gives a shard's next
 * request; after a shard's last series its next round starts ROUND_STEP_MS later.
 */
export class RemoteWriteLoad {
  private readonly shards: Shard[];
  readonly startMs: number;

  constructor(readonly series: number, shards: number) {
    if (series % (shards * SAMPLES_PER_REQUEST) !== 0) throw new Error(`series (${series}) must be a multiple of shards × ${SAMPLES_PER_REQUEST}, so that every request carries as many samples`);
    const perShard = series / shards;
    this.shards = Array.from({ length: shards }, (_v, s) => ({ labels: Array.from({ length: perShard }, (_w, i) => seriesLabels(s * perShard + i)), next: 0, round: 0 }));
    this.startMs = Date.now() - 60 * 60_000;
  }

  /** The next request of a shard, with its headers; `samples` says how many it carries. */
  request(shardNo: number): EncodedRequest & { samples: number } {
    const shard = this.shards[shardNo % this.shards.length] as Shard;
    const parts: Buffer[] = [];
    const tsMs = this.startMs + shard.round * ROUND_STEP_MS;
    let samples = 0;
    while (samples < SAMPLES_PER_REQUEST) {
      const i = shard.next;
      const labels = shard.labels[i] as Buffer;
      // Sample { double value = 1; int64 timestamp = 2; }
      const sample: number[] = [(1 << 3) | 1];
      const value = Buffer.alloc(8);
      value.writeDoubleLE(shard.round * 10 + (i % 97));
      for (const b of value) sample.push(b);
      sample.push(2 << 3);
      varint(tsMs, sample);
      const series: number[] = [];
      field(2, sample, series);
      // TimeSeries { repeated Label labels = 1; repeated Sample samples = 2; } inside WriteRequest field 1.
      const body = Buffer.concat([labels, Buffer.from(series)]);
      const head: number[] = [];
      head.push((1 << 3) | 2);
      varint(body.length, head);
      parts.push(Buffer.from(head), body);
      samples++;
      shard.next++;
      if (shard.next === shard.labels.length) {
        shard.next = 0;
        shard.round++;
      }
    }
    return {
      body: compressSync(Buffer.concat(parts)),
      contentType: 'application/x-protobuf',
      headers: { 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' },
      samples,
    };
  }
}
