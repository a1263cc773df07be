import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import { AggregatorConfigError, resolveAggregatorConfig, type AggregatorConfig } from './aggregation.config';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { at, rng, sample } from './testdata/samples';

const BASE: Partial<AggregatorConfig> = { resolutionsMs: [10_000, 60_000] };

function make(store: MemoryAggregatorState, config: Partial<AggregatorConfig> = {}): MetricAggregator {
  return new MetricAggregator({ ...BASE, ...config }, { partition: 7, store });
}

/** A stable text of rows (bigint-safe) for byte-for-byte comparison. */
function text(rows: MetricRollup[]): string {
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
}

test('delta and cumulative runs of the same measurements give identical rollups', () => {
  for (const seed of [1, 2, 3, 42, 1234]) {
    const random = rng(seed);
    const start = at(0.25);
    const deltas: MetricSample[] = [];
    const cumulative: MetricSample[] = [];
    let total = 0;
    let prevTime = start;
    let t = 1;
    for (let i = 0; i < 300; i++) {
      t += 0.1 + random() * 3;
      const d = Math.floor(random() * 50);
      total += d;
      const time = at(t);
      const attributes = { series: String(seed) };
      deltas.push(sample({ name: 'req', type: 'SUM', isMonotonic: true, temporality: 'DELTA', attributes, startTimeUnixNano: prevTime, timeUnixNano: time, value: d }));
      cumulative.push(sample({ name: 'req', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes, startTimeUnixNano: start, timeUnixNano: time, value: total }));
      prevTime = time;
    }
    const run = (samples: MetricSample[]) => {
      const e = make(new MemoryAggregatorState());
      const rows: MetricRollup[] = [];
      for (const s of samples) {
        e.add(s);
        rows.push(...e.drain());
      }
      e.advance(at(t + 1000));
      return [...rows, ...e.drain()];
    };
    const a = run(deltas);
    assert.ok(a.length > 20);
    assert.equal(text(a), text(run(cumulative)), `seed ${seed}`);
    assert.equal(a.filter((r) => r.windowEndUnixNano - r.windowStartUnixNano === 10_000_000_000n).reduce((n, r) => n + (r.increase ?? 0), 0), total);
  }
});

/** A random mixed stream: gauges, counters (with resets and stale markers), histograms, out of order and late. */
function randomStream(seed: number, n: number): MetricSample[] {
  const random = rng(seed);
  const out: MetricSample[] = [];
  const totals = new Map<number, number>();
  let t = 1;
  for (let i = 0; i < n; i++) {
    t += random() * 2;
    const jitter = random() < 0.05 ? -(random() * 80) : -(random() * 4);
    const time = at(Math.max(0.001, t + jitter));
    const id = Math.floor(random() * 12);
    const attributes = { id: String(id) };
    const kind = id % 3;
    if (kind === 0) out.push(sample({ name: 'g', attributes, timeUnixNano: time, value: random() * 100 - 50 }));
    else if (kind === 1) {
      let total = (totals.get(id) ?? 0) + Math.floor(random() * 10);
      if (random() < 0.03) total = 0;
      totals.set(id, total);
      out.push(sample({ name: 'c', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes, timeUnixNano: time, value: total, flags: random() < 0.02 ? 1 : 0 }));
    } else {
      const counts = [0, 1, 2, 3].map(() => BigInt(Math.floor(random() * 5)));
      const count = counts.reduce((a, b) => a + b, 0n);
      out.push(sample({ name: 'h', type: 'HISTOGRAM', temporality: 'DELTA', attributes, timeUnixNano: time, histogram: { count, sum: Number(count) * 1.5, min: null, max: null, explicitBounds: [1, 2, 5], bucketCounts: counts } }));
    }
  }
  return out;
}

test('restoring a snapshot at any cut point replays into the rows of an uninterrupted run', () => {
  const config: Partial<AggregatorConfig> = { preAggregations: [{ record: 'c_total', metric: 'c', without: ['id'] }], correctionHorizonMs: 60_000 };
  for (const seed of [7, 8, 9]) {
    const stream = randomStream(seed, 1500);
    const straight = make(new MemoryAggregatorState(), config);
    const expected: MetricRollup[] = [];
    stream.forEach((s) => {
      straight.add(s);
      expected.push(...straight.drain());
    });
    const random = rng(seed * 31);
    let store = new MemoryAggregatorState();
    let e = make(store, config);
    const got: MetricRollup[] = [];
    stream.forEach((s, i) => {
      e.add(s);
      got.push(...e.drain());
      if (i % 37 === 0) e.flush();
      if (random() < 0.02) {
        // A crash after a flush: the next replica restores from the changelog (a JSON round trip).
        e.flush();
        store = store.snapshot();
        e = make(store, config);
        e.load();
      }
    });
    assert.ok(expected.length > 100);
    assert.ok(expected.some((r) => r.revision > 0), 'the stream exercises corrections');
    assert.equal(text(got), text(expected), `seed ${seed}`);
  }
});

test('pre-aggregations sum series into partials by or without labels, shard = partition', () => {
  const store = new MemoryAggregatorState();
  const e = make(store, {
    resolutionsMs: [10_000],
    preAggregations: [
      { record: 'req_by_code', metric: 'req', by: ['code'] },
      { record: 'req_no_path', metric: 'req', without: ['path'] },
    ],
  });
  const add = (t: number, path: string, value: number, code = '200') =>
    e.add(sample({ name: 'req', type: 'SUM', isMonotonic: true, temporality: 'DELTA', attributes: { path, code, pod: 'p1' }, timeUnixNano: at(t), value }));
  add(1, '/a', 3);
  add(2, '/b', 4);
  add(3, '/a', 5, '500');
  e.advance(at(100));
  const rows = e.drain();
  const by = rows.filter((r) => r.name === 'req_by_code');
  assert.deepEqual(by.map((r) => [r.labels, r.increase, r.count, r.shard]), [
    [{ code: '200' }, 7, 2n, 7],
    [{ code: '500' }, 5, 1n, 7],
  ]);
  const without = rows.filter((r) => r.name === 'req_no_path');
  assert.deepEqual(without.map((r) => [r.labels, r.increase, r.rate]), [
    [{ code: '200', pod: 'p1' }, 7, 0.7],
    [{ code: '500', pod: 'p1' }, 5, 0.5],
  ]);
  assert.ok(rows.filter((r) => r.name === 'req').every((r) => r.shard === -1));
});

test('cardinality budget: new series beyond it fold into the overflow series, which keeps no per-series state', () => {
  const store = new MemoryAggregatorState();
  const e = make(store, { resolutionsMs: [10_000], maxSeriesPerMetric: 1000, maxSeries: 1000 });
  for (let i = 0; i < 20_000; i++) e.add(sample({ name: 'g', attributes: { user: String(i) }, timeUnixNano: at(1), value: i }));
  e.advance(at(100));
  const rows = e.drain();
  const overflow = rows.filter((r) => r.overflow);
  assert.equal(rows.length, 1001);
  assert.equal(overflow.length, 1);
  assert.deepEqual([overflow[0].labels, overflow[0].count, overflow[0].min, overflow[0].max], [{ otel_metric_overflow: 'true' }, 19_000n, 1000, 19_999]);
  const stats = e.stats();
  assert.deepEqual([stats.refused_series, stats.overflow_samples, stats.series], [19_000, 19_000, 1001]);
  e.flush();
  // One `s:` key per series, one `k:` key per series with kept windows, and the partition's meta key.
  assert.ok(store.map.size <= 2 * 1001 + 1, `${store.map.size} keys`);
});

test('idle series expire and free their budget', () => {
  const e = make(new MemoryAggregatorState(), { resolutionsMs: [10_000], maxSeriesPerMetric: 1, maxSeries: 1, correctionHorizonMs: 30_000, seriesIdleTimeoutMs: 120_000 });
  e.add(sample({ name: 'g', attributes: { a: '1' }, timeUnixNano: at(1), value: 1 }));
  e.add(sample({ name: 'g', attributes: { a: '2' }, timeUnixNano: at(2), value: 1 }));
  assert.equal(e.stats().refused_series, 1);
  e.advance(at(200));
  assert.equal(e.stats().expired_series, 2, 'the series and the overflow series');
  e.add(sample({ name: 'g', attributes: { a: '2' }, timeUnixNano: at(201), value: 1 }));
  assert.deepEqual([e.stats().refused_series, e.stats().series], [1, 1]);
});

test('a store refusing a series state evicts the series and counts it', () => {
  // Room for two series (each writes its k: and s: keys), not for a third nor the meta key.
  const store = new MemoryAggregatorState(4);
  const e = make(store, { resolutionsMs: [10_000] });
  for (let i = 0; i < 3; i++) e.add(sample({ attributes: { i: String(i) }, timeUnixNano: at(1), value: 1 }));
  e.flush();
  assert.equal(e.stats().state_overflow, 2, 'one series and the meta key did not fit');
  assert.equal(e.stats().series, 2);
  e.advance(at(100));
  assert.equal(e.drain().length, 2);
});

test('flush writes each changed key once, not per sample', () => {
  const store = new MemoryAggregatorState();
  const e = make(store, { resolutionsMs: [10_000] });
  for (let i = 0; i < 100; i++) e.add(sample({ timeUnixNano: at(1 + i / 100), value: i }));
  e.flush();
  assert.equal(store.writes, 3, 'a new series: its k: (identity) and s: keys, and the meta key');
  for (let i = 0; i < 100; i++) e.add(sample({ timeUnixNano: at(2 + i / 100), value: i }));
  e.flush();
  assert.equal(store.writes, 5, 'then only s: and the meta key');
});

test('config validation lists every problem', () => {
  assert.throws(
    () => resolveAggregatorConfig({ resolutionsMs: [], quantiles: [0.9, 0.5], maxSeries: 0, preAggregations: [{ record: 'r', metric: 'm' }] }),
    (err: unknown) => err instanceof AggregatorConfigError && err.problems.length === 4,
  );
  assert.throws(() => resolveAggregatorConfig({ seriesIdleTimeoutMs: 1000 }), /seriesIdleTimeoutMs must be at least/);
  assert.throws(() => resolveAggregatorConfig({ maxSeriesPerMetric: 10, maxSeries: 5 }), /must not exceed maxSeries/);
  assert.deepEqual(resolveAggregatorConfig({ resolutionsMs: [60_000, 10_000] }).resolutionsMs, [10_000, 60_000]);
});
