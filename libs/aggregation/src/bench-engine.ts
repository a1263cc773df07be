// Throughput of the window engine on one core. Prints µs/sample and samples/s per case; asserts nothing.
// Run: node libs/aggregation/dist/bench-engine.js [case ...]   (cases: flush, no-flush, realistic, realistic-keyed;
// default all). The machine has few cores: run it with nothing else heavy, and compare runs of one machine.
//
// - flush / no-flush: 10k gauge and counter series × 100 rounds, every series touched each round, series keys
//   precomputed; `flush` flushes after every round into a MemoryAggregatorState (no value encoding cost).
// - realistic: what the aggregator stage does per sub-batch. 500 scrape targets × (40 cumulative counters,
//   40 gauges, 20 cumulative classic histograms of 12 buckets) = 50k live series, each scraped every 10 s
//   (targets spread over the interval), default windows (10 s and 1 m, 30 s lateness, 5 min correction
//   horizon) closing as event time advances. Sub-batches of 2,000 freshly built samples (as Avro decoding
//   builds them); after each: drain(), then flush() into a store that encodes values as the stage's
//   PartitionStateStore with jsonStateCodec does (encoded once on set for the byte bound, once more for the
//   changelog records at flush). add() gets no key, as aggregate.handler calls it; `realistic-keyed` passes
//   the precomputed key. 6 min of event time warm the state up (kept windows reach the horizon) untimed,
//   then 2 min are timed.
import { metricSeriesKey, type MetricSample } from '@sextant/contracts';
import type { AggregatorStateStore } from './aggregator-state';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { at, sample, T0_NS } from './testdata/samples';

interface Result {
  samples: number;
  seconds: number;
  rows: number;
  note: string;
}

function report(name: string, r: Result): void {
  const us = (r.seconds / r.samples) * 1e6;
  console.log(`${name.padEnd(16)} ${String(r.samples).padStart(8)} samples in ${r.seconds.toFixed(2).padStart(6)} s: ${us.toFixed(2).padStart(5)} µs/sample, ${String(Math.round(r.samples / r.seconds)).padStart(8)} samples/s, ${r.rows} rows${r.note}`);
}

function allSeriesRounds(flushEveryRound: boolean): Result {
  const SERIES = 10_000;
  const ROUNDS = 100;
  const engine = new MetricAggregator({}, { partition: 0, store: new MemoryAggregatorState() });
  const templates: { sample: MetricSample; key: string }[] = [];
  for (let i = 0; i < SERIES; i++) {
    const s = i % 2 === 0 ? sample({ name: 'g', attributes: { id: String(i) } }) : sample({ name: 'c', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes: { id: String(i) } });
    templates.push({ sample: s, key: metricSeriesKey(s) });
  }
  let rows = 0;
  const started = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const time = at(round);
    for (const { sample: s, key } of templates) engine.add({ ...s, timeUnixNano: time, value: round }, 'ingest.metrics', key);
    rows += engine.drain().length;
    if (flushEveryRound) engine.flush();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { samples: SERIES * ROUNDS, seconds, rows, note: flushEveryRound ? ', a flush per round' : '' };
}

/** A store costing what PartitionStateStore with jsonStateCodec costs: values encoded on set (byte bound) and at flush (changelog). */
class JsonCodecStore implements AggregatorStateStore<unknown> {
  private readonly map = new Map<string, { value: unknown; bytes: number }>();
  private readonly dirty = new Set<string>();
  bytes = 0;
  changelogBytes = 0;
  /** Values encoded for the changelog, and their bytes, per key prefix (`s:`, `k:`, `p:`). */
  readonly written = new Map<string, { n: number; bytes: number }>();

  constructor(private readonly maxBytes: number) {}

  get(key: string): unknown {
    return this.map.get(key)?.value;
  }

  set(key: string, value: unknown): 'stored' | 'overflow' {
    const old = this.map.get(key);
    const bytes = Buffer.byteLength(key, 'utf8') + Buffer.from(JSON.stringify(value), 'utf8').length;
    const grown = this.bytes - (old?.bytes ?? 0) + bytes;
    if (grown > this.maxBytes && bytes > (old?.bytes ?? 0)) return 'overflow';
    this.map.set(key, { value, bytes });
    this.bytes = grown;
    this.dirty.add(key);
    return 'stored';
  }

  delete(key: string): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.map.delete(key);
    this.bytes -= e.bytes;
    this.dirty.add(key);
  }

  *entries(): IterableIterator<[string, unknown]> {
    for (const [k, e] of this.map) yield [k, e.value];
  }

  /** The changelog records of the sub-batch: each changed value encoded again. */
  changelog(): void {
    for (const key of this.dirty) {
      const e = this.map.get(key);
      if (e === undefined) continue;
      const n = Buffer.from(JSON.stringify(e.value), 'utf8').length;
      this.changelogBytes += n;
      const w = this.written.get(key.slice(0, 2)) ?? { n: 0, bytes: 0 };
      w.n++;
      w.bytes += n;
      this.written.set(key.slice(0, 2), w);
    }
    this.dirty.clear();
  }
}

const TARGETS = 500;
const COUNTERS = 40;
const GAUGES = 40;
const HISTOGRAMS = 20;
const PER_TARGET = COUNTERS + GAUGES + HISTOGRAMS;
const SCRAPE_S = 10;
const SUB_BATCH = 2_000;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Deterministic pseudo-random integers for the generator (no Math.random: runs compare). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 4294967296;
  };
}

function realistic(passKey: boolean): Result {
  const random = lcg(12345);
  const store = new JsonCodecStore(512 * 1024 * 1024);
  const engine = new MetricAggregator({ maxSeries: 60_000, maxSeriesPerMetric: 25_000 }, { partition: 0, store });
  const totals = new Float64Array(TARGETS * PER_TARGET);
  const buckets = Array.from({ length: TARGETS * HISTOGRAMS }, () => new Array<number>(BOUNDS.length + 1).fill(0));
  const keys: string[] = new Array<string>(TARGETS * PER_TARGET);
  const build = (target: number, j: number, timeNs: bigint): MetricSample => {
    const id = target * PER_TARGET + j;
    const resource = { 'service.name': `svc-${target % 25}`, 'service.instance.id': `10.0.${target >> 8}.${target & 255}:9100` };
    if (j < COUNTERS) {
      totals[id] += Math.floor(random() * 20);
      const attributes = { method: j % 2 === 0 ? 'GET' : 'POST', code: String(200 + (j % 5)), route: `/api/v1/r${j >> 1}` };
      return sample({ name: 'http_requests_total', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes, resource, serviceName: resource['service.name'], timeUnixNano: timeNs, value: totals[id] });
    }
    if (j < COUNTERS + GAUGES) {
      const attributes = { cpu: String(j - COUNTERS), mode: 'user' };
      return sample({ name: 'node_cpu_utilisation', attributes, resource, serviceName: resource['service.name'], timeUnixNano: timeNs, value: random() * 100 });
    }
    const h = buckets[target * HISTOGRAMS + (j - COUNTERS - GAUGES)];
    let count = 0;
    let sum = totals[id];
    for (let b = 0; b < h.length; b++) {
      const n = Math.floor(random() * 4);
      h[b] += n;
      count += h[b];
      sum += n * (BOUNDS[Math.min(b, BOUNDS.length - 1)] * 0.7);
    }
    totals[id] = sum;
    return sample({
      name: 'http_request_duration_seconds',
      type: 'HISTOGRAM',
      temporality: 'CUMULATIVE',
      attributes: { route: `/api/v1/r${j - COUNTERS - GAUGES}` },
      resource,
      serviceName: resource['service.name'],
      timeUnixNano: timeNs,
      histogram: { count: BigInt(count), sum, min: null, max: null, explicitBounds: [...BOUNDS], bucketCounts: h.map((c) => BigInt(c)) },
    });
  };
  const WARM_SCRAPES = 36;
  const TIMED_SCRAPES = 12;
  let timedNs = 0n;
  let timedSamples = 0;
  let rows = 0;
  let batch: MetricSample[] = [];
  let batchKeys: string[] = [];
  const runBatch = (timed: boolean) => {
    if (timed && timedSamples === 0) store.written.clear();
    const started = process.hrtime.bigint();
    for (let i = 0; i < batch.length; i++) {
      if (passKey) engine.add(batch[i], 'ingest.metrics', batchKeys[i]);
      else engine.add(batch[i], 'ingest.metrics');
    }
    const out = engine.drain();
    engine.flush();
    store.changelog();
    if (timed) {
      timedNs += process.hrtime.bigint() - started;
      timedSamples += batch.length;
      rows += out.length;
    }
    batch = [];
    batchKeys = [];
  };
  for (let scrape = 0; scrape < WARM_SCRAPES + TIMED_SCRAPES; scrape++) {
    const timed = scrape >= WARM_SCRAPES;
    for (let target = 0; target < TARGETS; target++) {
      const timeNs = T0_NS + BigInt(scrape * SCRAPE_S * 1000 + Math.floor((target * SCRAPE_S * 1000) / TARGETS)) * 1_000_000n;
      for (let j = 0; j < PER_TARGET; j++) {
        const s = build(target, j, timeNs);
        batch.push(s);
        if (passKey) {
          const id = target * PER_TARGET + j;
          keys[id] ??= metricSeriesKey(s);
          batchKeys.push(keys[id]);
        }
        if (batch.length === SUB_BATCH) runBatch(timed);
      }
    }
  }
  if (batch.length > 0) runBatch(true);
  const stats = engine.stats();
  return {
    samples: timedSamples,
    seconds: Number(timedNs) / 1e9,
    rows,
    note:
      `, ${stats.series} series, ${stats.keptWindows} kept windows, state ${(store.bytes / 1048576).toFixed(0)} MiB, sub-batches of ${SUB_BATCH}; changelog per sample:` +
      [...store.written].map(([prefix, w]) => ` ${prefix} ${(w.n / timedSamples).toFixed(2)} × ${Math.round(w.bytes / w.n)} B`).join(','),
  };
}

const CASES: Record<string, () => Result> = {
  flush: () => allSeriesRounds(true),
  'no-flush': () => allSeriesRounds(false),
  realistic: () => realistic(false),
  'realistic-keyed': () => realistic(true),
};

function main(): void {
  const asked = process.argv.slice(2);
  const names = asked.length > 0 ? asked : Object.keys(CASES);
  for (const name of names) {
    const run = CASES[name];
    if (run === undefined) throw new Error(`unknown case ${name}: one of ${Object.keys(CASES).join(', ')}`);
    report(name, run());
  }
}

main();
