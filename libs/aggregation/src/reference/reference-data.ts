// A seeded generator of realistic scraped series for the Prometheus reference test, and the remote-write 1.0
// request objects that carry them: the classic exposition (counters, gauges, `_bucket{le}`/`_sum`/`_count`),
// which is what Prometheus stores and what a scraping Prometheus forwards, and the same histograms as native
// histograms with custom buckets (NHCB, schema -53), which the engine takes as HISTOGRAM points.
import { rng } from '../testdata/samples';

/** One float sample: milliseconds since the epoch, value. */
export interface RefPoint {
  t: number;
  v: number;
}

export interface RefSeries {
  name: string;
  /** Without `__name__`. */
  labels: Record<string, string>;
  points: RefPoint[];
}

/** A classic histogram's scrape: per-bucket (not cumulative) counts since the process started, +Inf last. */
export interface RefHistogramPoint {
  t: number;
  buckets: number[];
  count: number;
  sum: number;
}

export interface RefHistogramSeries {
  /** Family name: the series are `<name>_bucket`, `<name>_sum`, `<name>_count` (classic) or `<name>` (NHCB). */
  name: string;
  labels: Record<string, string>;
  bounds: number[];
  points: RefHistogramPoint[];
}

export interface ReferenceData {
  /** First sample time (aligned to 60 s) and the time after the last sample, ms. */
  startMs: number;
  endMs: number;
  counters: RefSeries[];
  gauges: RefSeries[];
  histograms: RefHistogramSeries[];
}

export const COUNTER = 'http_requests_total';
export const CPU_COUNTER = 'process_cpu_seconds_total';
export const MEMORY_GAUGE = 'process_resident_memory_bytes';
export const TEMPERATURE_GAUGE = 'room_temperature_celsius';
export const HISTOGRAM = 'rpc_duration_seconds';
export const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const JOB = 'shop';

/**
 * Scrape times of one target from `startMs` for `minutes`: 10–15 s apart, and about a quarter of them moved
 * onto the next multiple of 10 s when that is still 10–15 s after the previous one (so some samples sit exactly
 * on 10 s and 60 s window boundaries). `firstOnBoundary` puts the first scrape on `startMs` itself.
 */
function scrapeTimes(random: () => number, startMs: number, minutes: number, firstOnBoundary: boolean): number[] {
  const end = startMs + minutes * 60_000;
  const times: number[] = [firstOnBoundary ? startMs : startMs + 1 + Math.floor(random() * 9_000)];
  for (;;) {
    const prev = times[times.length - 1];
    let t = prev + 10_000 + Math.floor(random() * 5_001);
    const boundary = Math.ceil((prev + 10_000) / 10_000) * 10_000;
    if (random() < 0.25 && boundary <= prev + 15_000) t = boundary;
    if (t >= end) return times;
    times.push(t);
  }
}

/** A log-normal-ish latency in seconds around `median`. */
function latency(random: () => number, median: number): number {
  const u = Math.max(random(), 1e-9);
  const v = random();
  const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return median * Math.exp(0.9 * normal);
}

/** Index of the first scrape at or after `fromIndex` that is the first one of its 60 s window. */
function firstOfWindowIndex(times: number[], fromIndex: number): number {
  for (let i = Math.max(1, fromIndex); i < times.length; i++) if (Math.floor(times[i] / 60_000) !== Math.floor(times[i - 1] / 60_000)) return i;
  return times.length - 1;
}

/**
 * `minutes` of data from `startMs` (a multiple of 60 s) for three targets: per target two integer request
 * counters (one reset on the first scrape of a 60 s window, one reset mid-window), a float CPU counter with a
 * reset, an integer and a float gauge, and histograms of two services (api on i1 and i2, web on i1 and i3), one
 * of them reset (the restarted process's first scrape has no observations yet).
 */
export function generateReferenceData(seed: number, startMs: number, minutes: number): ReferenceData {
  if (startMs % 60_000 !== 0) throw new Error('startMs must be a multiple of 60 s');
  const random = rng(seed);
  const counters: RefSeries[] = [];
  const gauges: RefSeries[] = [];
  const histograms: RefHistogramSeries[] = [];
  const instances = ['i1', 'i2', 'i3'];
  const timesOf = new Map<string, number[]>();
  instances.forEach((instance, k) => timesOf.set(instance, scrapeTimes(random, startMs, minutes, k === 0)));
  for (const [k, instance] of instances.entries()) {
    const times = timesOf.get(instance) as number[];
    const labels = { instance, job: JOB };
    const windowReset = firstOfWindowIndex(times, Math.floor(times.length / 3) + k);
    const midReset = Math.floor((times.length * 2) / 3) + k;
    for (const [code, rate, resetAt] of [['200', 40, windowReset], ['500', 3, midReset]] as const) {
      let v = Math.floor(random() * 100_000);
      const points = times.map((t, i) => {
        if (i === resetAt) v = Math.floor(random() * 3);
        else if (i > 0) v += Math.floor(random() * rate);
        return { t, v };
      });
      counters.push({ name: COUNTER, labels: { ...labels, code, method: 'GET' }, points });
    }
    let cpu = 1000 + random() * 500;
    const cpuReset = Math.floor(times.length / 2) + k;
    counters.push({
      name: CPU_COUNTER,
      labels,
      points: times.map((t, i) => {
        if (i === cpuReset) cpu = random() * 0.2;
        else if (i > 0) cpu += random() * 1.5;
        return { t, v: cpu };
      }),
    });
    let memory = 200_000_000 + Math.floor(random() * 50_000_000);
    let temperature = 20 + random() * 2;
    const memoryPoints: RefPoint[] = [];
    const temperaturePoints: RefPoint[] = [];
    for (const t of times) {
      memory += Math.floor((random() - 0.5) * 4_000_000);
      temperature += (random() - 0.5) * 0.3;
      memoryPoints.push({ t, v: memory });
      temperaturePoints.push({ t, v: temperature });
    }
    gauges.push({ name: MEMORY_GAUGE, labels, points: memoryPoints }, { name: TEMPERATURE_GAUGE, labels, points: temperaturePoints });
  }
  const members: [string, string, number][] = [['api', 'i1', 0.03], ['api', 'i2', 0.04], ['web', 'i1', 0.2], ['web', 'i3', 0.15]];
  for (const [n, [service, instance, median]] of members.entries()) {
    const times = timesOf.get(instance) as number[];
    const resetAt = n === 1 ? Math.floor(times.length / 2) : -1;
    const buckets = new Array<number>(BOUNDS.length + 1).fill(0);
    let sum = 0;
    const points = times.map((t, i) => {
      if (i === resetAt) {
        buckets.fill(0);
        sum = 0;
      } else {
        const observations = i === 0 ? 200 + Math.floor(random() * 100) : Math.floor(random() * 30);
        for (let o = 0; o < observations; o++) {
          const x = latency(random, median);
          let b = BOUNDS.findIndex((bound) => x <= bound);
          if (b < 0) b = BOUNDS.length;
          buckets[b]++;
          sum += x;
        }
      }
      return { t, buckets: [...buckets], count: buckets.reduce((a, b) => a + b, 0), sum };
    });
    histograms.push({ name: HISTOGRAM, labels: { instance, job: JOB, service }, bounds: [...BOUNDS], points });
  }
  const last = Math.max(...[...timesOf.values()].map((ts) => ts[ts.length - 1]));
  return { startMs, endMs: last + 1, counters, gauges, histograms };
}

type Labels = { name: string; value: string }[];

function labelsOf(name: string, labels: Record<string, string>): Labels {
  return Object.entries({ __name__: name, ...labels })
    .map(([n, value]) => ({ name: n, value }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

const floatSeries = (name: string, labels: Record<string, string>, points: RefPoint[]) => ({
  labels: labelsOf(name, labels),
  samples: points.map((p) => ({ value: p.v, timestamp: p.t })),
});

function histogramMetadata(data: ReferenceData): Record<string, string>[] {
  return [...new Set(data.histograms.map((h) => h.name))].map((name) => ({ type: 'HISTOGRAM', metric_family_name: name, help: 'Latency.', unit: 'seconds' }));
}

/** A `prometheus.WriteRequest` object (proto field names) of the classic exposition of `data`, with metadata. */
export function classicWriteRequest(data: ReferenceData): Record<string, unknown> {
  const timeseries: Record<string, unknown>[] = [];
  for (const s of [...data.counters, ...data.gauges]) timeseries.push(floatSeries(s.name, s.labels, s.points));
  for (const h of data.histograms) {
    const les = [...h.bounds.map(String), '+Inf'];
    les.forEach((le, b) =>
      timeseries.push(
        floatSeries(
          `${h.name}_bucket`,
          { ...h.labels, le },
          h.points.map((p) => ({ t: p.t, v: p.buckets.slice(0, b + 1).reduce((x, y) => x + y, 0) })),
        ),
      ),
    );
    timeseries.push(floatSeries(`${h.name}_sum`, h.labels, h.points.map((p) => ({ t: p.t, v: p.sum }))));
    timeseries.push(floatSeries(`${h.name}_count`, h.labels, h.points.map((p) => ({ t: p.t, v: p.count }))));
  }
  const metadata = [
    { type: 'COUNTER', metric_family_name: COUNTER, help: 'Requests served.', unit: '' },
    { type: 'COUNTER', metric_family_name: CPU_COUNTER, help: 'CPU time.', unit: 'seconds' },
    { type: 'GAUGE', metric_family_name: MEMORY_GAUGE, help: 'Resident memory.', unit: 'bytes' },
    { type: 'GAUGE', metric_family_name: TEMPERATURE_GAUGE, help: 'Room temperature.', unit: 'celsius' },
    ...histogramMetadata(data),
  ];
  return { timeseries, metadata };
}

/** The histograms of `data` as native histograms with custom buckets (what `convert_classic_histograms_to_nhcb` sends). */
export function nhcbWriteRequest(data: ReferenceData): Record<string, unknown> {
  const timeseries = data.histograms.map((h) => ({
    labels: labelsOf(h.name, h.labels),
    histograms: h.points.map((p) => ({
      count_int: p.count,
      sum: p.sum,
      schema: -53,
      zero_threshold: 0,
      zero_count_int: 0,
      positive_spans: [{ offset: 0, length: p.buckets.length }],
      positive_deltas: p.buckets.map((c, i) => c - (i === 0 ? 0 : p.buckets[i - 1])),
      custom_values: h.bounds,
      reset_hint: 'UNKNOWN',
      timestamp: p.t,
    })),
  }));
  return { timeseries, metadata: histogramMetadata(data) };
}
