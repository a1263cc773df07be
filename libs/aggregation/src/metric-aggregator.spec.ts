import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metricSeriesKey, type MetricRollup, type MetricSample } from '@sextant/contracts';
import type { AggregatorConfig } from './aggregation.config';
import { MemoryAggregatorState } from './aggregator-state';
import { bucketQuantile } from './explicit-histogram';
import { MetricAggregator } from './metric-aggregator';
import { at, sample, T0_NS } from './testdata/samples';

const T0_MS = Number(T0_NS / 1_000_000n);

function engine(config: Partial<AggregatorConfig> = {}, store = new MemoryAggregatorState()): MetricAggregator {
  return new MetricAggregator({ resolutionsMs: [10_000], ...config }, { partition: 3, store });
}

/** Feeds the samples, pushes the watermark far ahead, returns everything emitted. */
function run(samples: MetricSample[], config: Partial<AggregatorConfig> = {}): MetricRollup[] {
  const e = engine(config);
  for (const s of samples) e.add(s);
  e.advance(at(10_000));
  return e.drain();
}

const counter = (t: number, value: number, extra: Partial<MetricSample> = {}) =>
  sample({ name: 'c', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', timeUnixNano: at(t), value, ...extra });

test('a window closes when the watermark passes its end plus the allowed lateness', () => {
  const e = engine();
  e.add(sample({ timeUnixNano: at(1), value: 4, attributes: { a: '1' }, resource: { 'service.name': 'api' } }));
  e.add(sample({ timeUnixNano: at(3), value: 2, attributes: { a: '1' }, resource: { 'service.name': 'api' } }));
  e.add(sample({ timeUnixNano: at(44.999), value: 1, attributes: { a: '1' }, resource: { 'service.name': 'api' } }));
  assert.deepEqual(e.drain(), [], 'watermark 39.999 s: window [0, 10) + 30 s lateness not passed');
  e.add(sample({ timeUnixNano: at(45), value: 1, attributes: { a: '1' }, resource: { 'service.name': 'api' } }));
  const rows = e.drain();
  assert.equal(rows.length, 1);
  const r = rows[0];
  assert.equal(r.windowStartUnixNano, T0_NS);
  assert.equal(r.windowEndUnixNano, at(10));
  assert.deepEqual([r.count, r.sum, r.min, r.max, r.last, r.kind, r.revision, r.shard], [2n, 6, 2, 4, 2, 'GAUGE', 0, -1]);
  assert.deepEqual(r.labels, { a: '1', job: 'api' });
  assert.equal(r.seriesKey, metricSeriesKey(sample({ attributes: { a: '1' }, resource: { 'service.name': 'api' } })));
  assert.deepEqual([r.increase, r.rate, r.sourceTopic, r.overflow], [null, null, 'ingest.metrics', false]);
  assert.equal(e.stats().watermarkMs, T0_MS + 40_000);
});

test('advance() closes windows on an idle partition', () => {
  const e = engine();
  e.add(sample({ timeUnixNano: at(1), value: 1 }));
  e.advance(at(39));
  assert.equal(e.drain().length, 0);
  e.advance(at(40));
  assert.equal(e.drain().length, 1);
});

test('late samples re-open the window and re-emit it with the next revision', () => {
  const e = engine();
  e.add(sample({ timeUnixNano: at(1), value: 1 }));
  e.advance(at(50));
  assert.equal(e.drain()[0].revision, 0);
  e.add(sample({ timeUnixNano: at(2), value: 5 }));
  e.add(sample({ timeUnixNano: at(3), value: 7 }));
  assert.deepEqual(e.drain(), [], 'emitted only once the watermark moves again');
  e.advance(at(51));
  const [fixed] = e.drain();
  assert.deepEqual([fixed.revision, fixed.count, fixed.max, fixed.last], [1, 3n, 7, 7]);
  assert.equal(e.stats().late_samples, 2);
  assert.equal(e.stats().corrections, 1);
  e.add(sample({ timeUnixNano: at(4), value: 9 }));
  e.advance(at(52));
  assert.equal(e.drain()[0].revision, 2);
});

test('late samples past the correction horizon, or with corrections off, are dropped and counted', () => {
  const e = engine({ correctionHorizonMs: 60_000 });
  e.add(sample({ timeUnixNano: at(1), value: 1 }));
  e.advance(at(71));
  e.drain();
  e.add(sample({ timeUnixNano: at(2), value: 1 }));
  e.advance(at(72));
  assert.deepEqual(e.drain(), []);
  assert.deepEqual([e.stats().late_samples, e.stats().dropped_late], [1, 1]);
  const off = engine({ emitCorrections: false });
  off.add(sample({ timeUnixNano: at(1), value: 1 }));
  off.advance(at(50));
  off.drain();
  off.add(sample({ timeUnixNano: at(2), value: 1 }));
  off.advance(at(51));
  assert.deepEqual(off.drain(), []);
  assert.deepEqual([off.stats().dropped_late, off.stats().keptWindows], [1, 0]);
});

test('cumulative counters: increase over resets, the delta into a window belongs to it', () => {
  const rows = run([counter(1, 10), counter(3, 15), counter(5, 4), counter(12, 6)]);
  assert.equal(rows.length, 2);
  // Prometheus start time 0: the first point is only a baseline. 10 → 15 (+5), reset to 4 (+4).
  assert.deepEqual([rows[0].increase, rows[0].rate, rows[0].resets, rows[0].count, rows[0].last, rows[0].sum], [9, 0.9, 1, 3n, 4, 9]);
  assert.deepEqual([rows[1].increase, rows[1].resets, rows[1].last], [2, 0, 6]);
});

test('a created time inside the window makes the first point count whole; a change of it is a reset', () => {
  const start = at(0.5);
  const rows = run([counter(1, 10, { startTimeUnixNano: start }), counter(3, 12, { startTimeUnixNano: start }), counter(4, 3, { startTimeUnixNano: at(3.5) })]);
  assert.deepEqual([rows[0].increase, rows[0].resets], [10 + 2 + 3, 1]);
  const old = run([counter(1, 10, { startTimeUnixNano: at(-3600) }), counter(3, 12, { startTimeUnixNano: at(-3600) })]);
  assert.equal(old[0].increase, 2, 'a series created long before: no spike');
});

test('a stale marker ends counter continuity: the next point is a new baseline', () => {
  const rows = run([counter(1, 10), counter(2, 20), counter(3, 0, { flags: 1 }), counter(4, 100), counter(5, 103)]);
  assert.deepEqual([rows[0].increase, rows[0].count, rows[0].resets], [13, 4n, 0]);
});

test('up-down counters report last and the sum of deltas', () => {
  const ud = (t: number, value: number) => sample({ name: 'q', type: 'SUM', temporality: 'CUMULATIVE', timeUnixNano: at(t), value });
  const [r] = run([ud(1, 5), ud(2, 8), ud(3, 2)]);
  assert.deepEqual([r.kind, r.last, r.sum, r.min, r.max, r.increase], ['UPDOWN_COUNTER', 2, -3, 2, 8, null]);
});

test('gauge last is by event time, ties by arrival order', () => {
  const [r] = run([sample({ timeUnixNano: at(5), value: 1 }), sample({ timeUnixNano: at(2), value: 2 }), sample({ timeUnixNano: at(5), value: 3 })]);
  assert.equal(r.last, 3);
  const [r2] = run([sample({ timeUnixNano: at(5), value: 1 }), sample({ timeUnixNano: at(2), value: 2 })]);
  assert.equal(r2.last, 1);
});

const hist = (t: number, counts: number[], sum: number, temporality: MetricSample['temporality'], bounds = [1, 2, 4]) =>
  sample({
    name: 'h',
    type: 'HISTOGRAM',
    temporality,
    timeUnixNano: at(t),
    histogram: { count: BigInt(counts.reduce((a, b) => a + b, 0)), sum, min: null, max: null, explicitBounds: bounds, bucketCounts: counts.map(BigInt) },
  });

test('explicit histograms merge buckets; quantiles are histogram_quantile of the merged buckets', () => {
  const [r] = run([hist(1, [5, 10, 5, 0], 30, 'DELTA'), hist(2, [5, 10, 15, 10], 90, 'DELTA')], { quantiles: [0.25, 0.5, 0.99] });
  assert.deepEqual(r.histogram, { explicitBounds: [1, 2, 4], bucketCounts: [10n, 20n, 20n, 10n] });
  assert.deepEqual([r.count, r.sum, r.kind, r.exponentialHistogram], [60n, 120, 'HISTOGRAM', null]);
  // By hand: rank 15 in (1,2] → 1 + 5/20 = 1.25; rank 30 = le 2 → 2; rank 59.4 in +Inf → 4.
  assert.deepEqual(r.quantiles, [{ quantile: 0.25, value: 1.25 }, { quantile: 0.5, value: 2 }, { quantile: 0.99, value: 4 }]);
  assert.equal(r.quantiles[0].value, bucketQuantile(0.25, [1, 2, 4], [10, 20, 20, 10]));
});

test('cumulative histograms: per-bucket increase, a bounds change is a reset', () => {
  const rows = run([hist(1, [1, 1, 0, 0], 2, 'CUMULATIVE'), hist(2, [3, 2, 1, 0], 9, 'CUMULATIVE'), hist(3, [1, 0, 0], 1, 'CUMULATIVE', [1, 2]), hist(12, [2, 1, 0], 4, 'CUMULATIVE', [1, 2])]);
  assert.deepEqual(rows[0].histogram?.bucketCounts, [2n, 1n, 1n, 0n]);
  // The point with other bounds is a reset whose buckets cannot merge into this window: left out, counted.
  assert.deepEqual([rows[0].count, rows[0].sum, rows[0].resets], [4n, 7, 0]);
  assert.deepEqual(rows[1].histogram, { explicitBounds: [1, 2], bucketCounts: [1n, 1n, 0n] });
  assert.equal(rows[1].sum, 3);
});

test('exponential histograms in the engine: merged at the smallest scale', () => {
  const eh = (t: number, scale: number, counts: number[]) =>
    sample({
      name: 'e',
      type: 'EXPONENTIAL_HISTOGRAM',
      temporality: 'DELTA',
      timeUnixNano: at(t),
      exponentialHistogram: { count: BigInt(counts.reduce((a, b) => a + b, 0)), sum: 1, min: null, max: null, scale, zeroCount: 0n, zeroThreshold: 0, positive: { offset: 0, bucketCounts: counts.map(BigInt) }, negative: { offset: 0, bucketCounts: [] } },
    });
  const [r] = run([eh(1, 3, [1, 1, 1, 1, 1, 1, 1, 1]), eh(2, 1, [10, 20])]);
  assert.equal(r.histogram, null);
  assert.deepEqual(r.exponentialHistogram?.scale, 1);
  assert.deepEqual(r.exponentialHistogram?.positive, { offset: 0, bucketCounts: [14n, 24n] });
  assert.equal(r.count, 38n);
  assert.equal(r.quantiles.length, 3);
});

test('summaries: count and sum as increases, quantiles as last reported', () => {
  const sm = (t: number, count: number, sum: number, p50: number) =>
    sample({ name: 's', type: 'SUMMARY', temporality: 'CUMULATIVE', timeUnixNano: at(t), summary: { count: BigInt(count), sum, quantiles: [{ quantile: 0.5, value: p50 }] } });
  const [r] = run([sm(1, 10, 100, 1), sm(2, 15, 130, 2), sm(3, 4, 8, 3)]);
  assert.deepEqual([r.kind, r.count, r.sum, r.resets], ['SUMMARY', 9n, 38, 1]);
  assert.deepEqual(r.quantiles, [{ quantile: 0.5, value: 3 }]);
});

test('log records feed a delta counter per service and severity', () => {
  const e = engine();
  e.addLogRecords('t1', 'api', 'ERROR', at(1), 3);
  e.addLogRecord({ tenant: 't1', serviceName: 'api', severityText: '', severityNumber: 17, timeUnixNano: at(2), observedTimeUnixNano: at(2) });
  e.advance(at(100));
  const [r] = e.drain();
  assert.deepEqual([r.name, r.labels, r.kind, r.increase, r.count, r.sourceTopic], ['sextant_log_records', { service_name: 'api', severity: 'ERROR' }, 'COUNTER', 4, 4n, 'logs']);
});
