// Property: flushing and restoring at any points gives exactly the rows of an uninterrupted run, whatever
// the mix of kinds, lateness, corrections and idle ticks; a checkpoint of the version-1 JSON format loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import type { AggregatorConfig } from './aggregation.config';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { encodeClosed, encodeSeries } from './series-state.v1';
import type { Series } from './series-state';
import { at, rng, sample } from './testdata/samples';

function text(rows: MetricRollup[]): string {
  return JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : typeof v === 'number' && !Number.isFinite(v) ? String(v) : Object.is(v, -0) ? '-0' : v));
}

type Step = { sample: MetricSample } | { logs: { service: string; severity: string; timeNs: bigint; n: number } } | { advance: bigint };

/** A seeded mixed stream: every kind, both temporalities, resets, stale markers, bounds changes, out of order, late, idle ticks. */
function stream(seed: number, n: number): Step[] {
  const random = rng(seed);
  const steps: Step[] = [];
  const cumulative = new Map<number, number>();
  const hist = new Map<number, number[]>();
  let t = 1;
  for (let i = 0; i < n; i++) {
    t += random() * 1.5;
    const late = random() < 0.04 ? random() * 120 : random() * 3;
    const time = at(Math.max(0.001, t - late));
    const id = Math.floor(random() * 24);
    const attributes = { id: String(id), pod: `p${id % 3}` };
    const resource = { 'service.name': `svc${id % 2}` };
    const roll = random();
    if (roll < 0.02) {
      steps.push({ advance: at(t + random() * 40) });
      continue;
    }
    if (roll < 0.06) {
      steps.push({ logs: { service: `svc${id % 2}`, severity: random() < 0.5 ? 'INFO' : 'ERROR', timeNs: time, n: 1 + Math.floor(random() * 5) } });
      continue;
    }
    switch (id % 6) {
      case 0:
        steps.push({ sample: sample({ name: 'g', attributes, resource, timeUnixNano: time, value: random() < 0.02 ? NaN : random() * 100 - 50 }) });
        break;
      case 1: {
        let total = (cumulative.get(id) ?? 0) + Math.floor(random() * 10);
        if (random() < 0.03) total = 0;
        cumulative.set(id, total);
        steps.push({ sample: sample({ name: 'c', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes, resource, timeUnixNano: time, value: total, flags: random() < 0.02 ? 1 : 0 }) });
        break;
      }
      case 2:
        steps.push({ sample: sample({ name: 'd', type: 'SUM', isMonotonic: true, temporality: 'DELTA', attributes, resource, timeUnixNano: time, value: random() * 7 }) });
        break;
      case 3: {
        const bounds = random() < 0.03 ? [1, 3] : [1, 2, 5];
        const prev = hist.get(id);
        const counts = prev !== undefined && prev.length === bounds.length + 1 && random() > 0.03 ? prev.map((c) => c + Math.floor(random() * 4)) : bounds.concat(0).map(() => Math.floor(random() * 4));
        hist.set(id, counts);
        const count = counts.reduce((a, b) => a + b, 0);
        steps.push({
          sample: sample({ name: 'h', type: 'HISTOGRAM', temporality: 'CUMULATIVE', attributes, resource, timeUnixNano: time, histogram: { count: BigInt(count), sum: count * 1.25, min: null, max: null, explicitBounds: bounds, bucketCounts: counts.map(BigInt) } }),
        });
        break;
      }
      case 4: {
        const positive = [0, 1, 2].map(() => BigInt(Math.floor(random() * 4)));
        const zeroCount = BigInt(Math.floor(random() * 2));
        const count = positive.reduce((a, b) => a + b, zeroCount);
        steps.push({
          sample: sample({
            name: 'e',
            type: 'EXPONENTIAL_HISTOGRAM',
            temporality: 'DELTA',
            attributes,
            resource,
            timeUnixNano: time,
            exponentialHistogram: { count, sum: Number(count) * 0.5, min: null, max: null, scale: random() < 0.5 ? 2 : 3, zeroCount, zeroThreshold: 0, positive: { offset: Math.floor(random() * 4), bucketCounts: positive }, negative: { offset: 0, bucketCounts: [] } },
          }),
        });
        break;
      }
      default:
        steps.push({
          sample: sample({ name: 's', type: 'SUMMARY', temporality: 'DELTA', attributes, resource, timeUnixNano: time, summary: { count: 3n, sum: random() * 9, quantiles: [{ quantile: 0.5, value: random() }, { quantile: 0.99, value: random() * 2 }] } }),
        });
    }
  }
  return steps;
}

function feed(e: MetricAggregator, step: Step): void {
  if ('sample' in step) e.add(step.sample);
  else if ('logs' in step) e.addLogRecords('t1', step.logs.service, step.logs.severity, step.logs.timeNs, step.logs.n);
  else e.advance(step.advance);
}

const CONFIGS: Partial<AggregatorConfig>[] = [
  { resolutionsMs: [10_000, 60_000], correctionHorizonMs: 60_000, preAggregations: [{ record: 'c_by_pod', metric: 'c', by: ['pod'] }, { record: 'h_all', metric: 'h', without: ['id', 'pod'] }] },
  { resolutionsMs: [5_000], allowedLatenessMs: 5_000, correctionHorizonMs: 20_000, maxOutOfOrderMs: 1_000, seriesIdleTimeoutMs: 40_000 },
  { resolutionsMs: [10_000, 30_000], emitCorrections: false, maxSeriesPerMetric: 2, maxSeries: 12, maxOverflowSeries: 3 },
];

function make(store: MemoryAggregatorState, config: Partial<AggregatorConfig>): MetricAggregator {
  return new MetricAggregator(config, { partition: 2, store });
}

test('flush and restore at random points replay into exactly the rows of an uninterrupted run', () => {
  for (const [c, config] of CONFIGS.entries()) {
    for (const seed of [11, 12, 13, 14]) {
      const steps = stream(seed * 7 + c, 2500);
      const straight = make(new MemoryAggregatorState(), config);
      const expected: MetricRollup[] = [];
      for (const step of steps) {
        feed(straight, step);
        expected.push(...straight.drain());
      }
      straight.advance(at(100_000));
      expected.push(...straight.drain());

      const random = rng(seed * 101 + c);
      let store = new MemoryAggregatorState();
      let e = make(store, config);
      const got: MetricRollup[] = [];
      // A sub-batch: records applied, rows drained, state flushed; sometimes a crash after a flush (the next
      // replica restores from a JSON round trip of the store), sometimes a crash before it (the sub-batch is
      // replayed from the last flush).
      let batch: Step[] = [];
      let batchRows: MetricRollup[] = [];
      let flushedAt = 0;
      for (let i = 0; i < steps.length; i++) {
        feed(e, steps[i]);
        batch.push(steps[i]);
        batchRows.push(...e.drain());
        if (random() < 0.15) {
          e.flush();
          got.push(...batchRows);
          batch = [];
          batchRows = [];
          flushedAt = i + 1;
          if (random() < 0.1) {
            store = store.snapshot();
            e = make(store, config);
            e.load();
          }
        } else if (random() < 0.01) {
          // Crash before the flush: the rows of the sub-batch were not committed; replay it on a restored replica.
          store = store.snapshot();
          e = make(store, config);
          e.load();
          batchRows = [];
          for (const step of batch) {
            feed(e, step);
            batchRows.push(...e.drain());
          }
        }
      }
      assert.ok(flushedAt > 0);
      e.advance(at(100_000));
      got.push(...batchRows, ...e.drain());
      assert.ok(expected.length > 200, `config ${c} seed ${seed}: ${expected.length} rows`);
      if (config.emitCorrections !== false) assert.ok(expected.some((r) => r.revision > 0), 'the stream exercises corrections');
      assert.equal(text(got), text(expected), `config ${c} seed ${seed}`);
    }
  }
});

test('a checkpoint of the version-1 JSON format loads, and the next flush rewrites it as version 2', () => {
  const config = CONFIGS[0];
  const steps = stream(5, 1500);
  const cut = 900;
  const straight = make(new MemoryAggregatorState(), config);
  const expected: MetricRollup[] = [];
  steps.forEach((step, i) => {
    feed(straight, step);
    if (i >= cut) expected.push(...straight.drain());
    else straight.drain();
  });
  // The state at the cut in version 1: what the previous engine wrote (its s:/k: values and its meta).
  const source = make(new MemoryAggregatorState(), config);
  for (const step of steps.slice(0, cut)) feed(source, step);
  source.drain();
  source.flush();
  const v1 = new MemoryAggregatorState();
  const internals = source as unknown as { series: Map<string, Series>; watermarkMs: number; maxEventMs: number; advancedMs: number; lastSweepMs: number; counts: Record<string, number> };
  for (const s of internals.series.values()) {
    v1.map.set(`s:${s.key}`, encodeSeries(s));
    if (s.closed.some((ws) => ws.length > 0)) v1.map.set(`k:${s.key}`, encodeClosed(s));
  }
  v1.map.set('p:meta', { wm: internals.watermarkMs, me: internals.maxEventMs, adv: internals.advancedMs, sw: internals.lastSweepMs, c: internals.counts });
  const store = v1.snapshot();
  const e = make(store, config);
  e.load();
  e.flush();
  assert.ok([...store.map.values()].every((v) => typeof v === 'string' || (v as { v?: number }).v === 2), 'every value rewritten as version 2');
  const got: MetricRollup[] = [];
  for (const step of steps.slice(cut)) {
    feed(e, step);
    got.push(...e.drain());
  }
  assert.equal(text(got), text(expected));
});

test('a value of an unknown format version is refused with a clear error', () => {
  const store = new MemoryAggregatorState();
  store.map.set('p:meta', { v: 99, wm: 0, me: 0, adv: 0, sw: 0, c: {} });
  assert.throws(() => make(store, {}).load(), /format version 99/);
  const bad = new MemoryAggregatorState();
  bad.map.set('k:x', Buffer.from([7, 2, 0]).toString('base64'));
  assert.throws(() => make(bad, {}).load(), /format version 7/);
});
