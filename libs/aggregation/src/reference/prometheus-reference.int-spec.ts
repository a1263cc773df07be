// The engine against real Prometheus: the same scraped series (seeded, 16 minutes ending a few minutes ago) go
// to Prometheus's remote-write receiver and, through @sextant/remote-write's decoder and metricSamplesOf, to
// MetricAggregator with 10 s and 1 m windows; every row is compared with PromQL evaluated at windowEnd − 1 ms.
// What is compared, the tolerances and the documented differences: README.md beside this file.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MetricRollup } from '@sextant/contracts';
import { encodeRemoteWriteBody, REMOTE_WRITE_V1 } from '@sextant/remote-write';
import { bucketQuantile } from '../explicit-histogram';
import { PROMETHEUS2_BINARY, prometheus3Binary, PrometheusProcess } from './prometheus-process';
import {
  agrees,
  differences,
  EXACT,
  extrapolatedIncrease,
  labelsKey,
  ourValues,
  pointsInWindow,
  promValues,
  resolutionMs,
  runEngine,
  samplesOfBody,
  windowEndMs,
  windowResets,
  type Agreement,
} from './reference-compare';
import { BOUNDS, classicWriteRequest, COUNTER, CPU_COUNTER, generateReferenceData, HISTOGRAM, MEMORY_GAUGE, nhcbWriteRequest, TEMPERATURE_GAUGE, type ReferenceData, type RefSeries } from './reference-data';

const SEED = Number(process.env['PROMREF_SEED'] ?? 20_251_107);
const MINUTES = 16;
const QUANTILES = [0.5, 0.9, 0.99];
/**
 * Float results (a float counter's increase, gauge and histogram sums) are the same maths in another order:
 * we add deltas, Prometheus subtracts the range's ends (and sum_over_time of Prometheus 3 adds with Kahan
 * compensation), so they may differ in the last bits of values of the counter's magnitude.
 */
const FLOAT: Agreement = { relative: 1e-9, scale: (a, b) => Math.max(Math.abs(a), Math.abs(b), 1) };
const RESOLUTIONS = [
  { ms: 60_000, range: '1m' },
  { ms: 10_000, range: '10s' },
];
const INTEGER_COUNTERS = [COUNTER, `${HISTOGRAM}_bucket`, `${HISTOGRAM}_count`];
const BY_SERVICE = `${HISTOGRAM}:by_service`;
const BUCKETS_BY_SERVICE = `${HISTOGRAM}_bucket:by_service_le`;
const BY_CODE = `${COUNTER}:by_code`;

// Recent past: Prometheus's head takes samples up to 1 h older than its newest, and none in the future.
const startMs = Math.floor((Date.now() - (MINUTES + 4) * 60_000) / 60_000) * 60_000;
const data = generateReferenceData(SEED, startMs, MINUTES);
const classicBody = encodeRemoteWriteBody(REMOTE_WRITE_V1, classicWriteRequest(data));
const nhcbBody = encodeRemoteWriteBody(REMOTE_WRITE_V1, nhcbWriteRequest(data));
const engine = runEngine([...samplesOfBody(classicBody), ...samplesOfBody(nhcbBody)], {
  resolutionsMs: RESOLUTIONS.map((r) => r.ms),
  quantiles: QUANTILES,
  preAggregations: [
    { record: BY_SERVICE, metric: HISTOGRAM, by: ['service'] },
    { record: BUCKETS_BY_SERVICE, metric: `${HISTOGRAM}_bucket`, by: ['service', 'le'] },
    { record: BY_CODE, metric: COUNTER, by: ['code'] },
  ],
});

const own = (name: string, res: number) => (r: MetricRollup) => r.name === name && r.shard === -1 && resolutionMs(r) === res;
const partial = (name: string, res: number) => (r: MetricRollup) => r.name === name && r.shard === 0 && resolutionMs(r) === res;
const rowsOf = (filter: (r: MetricRollup) => boolean) => engine.rows.filter(filter);

/** Queries Prometheus over every window end of resolution `res` and compares with our values. */
async function compare(prom: PrometheusProcess, query: string, res: number, ours: Map<string, number>, how: Agreement, allowEmpty = false): Promise<Map<string, number>> {
  const first = data.startMs + res;
  const last = Math.ceil(data.endMs / res) * res;
  const theirs = promValues(await prom.queryRange(query, first - 1, last - 1, res));
  assert.ok(allowEmpty || ours.size > 0, `${query}: nothing to compare`);
  if (process.env['PROMREF_VERBOSE']) console.log(`${query} @${res} ms: ${ours.size} values, ${theirs.size} from Prometheus`);
  const diffs = differences(ours, theirs, how);
  assert.deepEqual(diffs.slice(0, 20), [], `${query} (${diffs.length} differences)`);
  return theirs;
}

/** Gauge rows against the *_over_time functions: exact, but for the float gauge's sum. */
async function compareGauges(prom: PrometheusProcess, res: number, range: string): Promise<void> {
  for (const name of [MEMORY_GAUGE, TEMPERATURE_GAUGE]) {
    const rows = rowsOf(own(name, res));
    await compare(prom, `min_over_time(${name}[${range}])`, res, ourValues(rows, (r) => r.min), EXACT);
    await compare(prom, `max_over_time(${name}[${range}])`, res, ourValues(rows, (r) => r.max), EXACT);
    await compare(prom, `count_over_time(${name}[${range}])`, res, ourValues(rows, (r) => Number(r.count)), EXACT);
    await compare(prom, `last_over_time(${name}[${range}])`, res, ourValues(rows, (r) => r.last), EXACT);
    await compare(prom, `sum_over_time(${name}[${range}])`, res, ourValues(rows, (r) => r.sum), name === MEMORY_GAUGE ? EXACT : FLOAT);
  }
}

const seriesOf = (name: string): RefSeries[] => data.counters.filter((s) => s.name === name);

/** Our rows' plain-increase counterparts and the raw-data facts the extrapolation and reset tests pin. */
function rawWindows(name: string, res: number) {
  const out: { key: string; startMs: number; endMs: number; series: RefSeries }[] = [];
  for (const series of seriesOf(name)) {
    const ends = new Set(series.points.map((p) => p.t - (p.t % res) + res));
    for (const endMs of ends) out.push({ key: `${labelsKey(series.labels)}@${endMs}`, startMs: endMs - res, endMs, series });
  }
  return out;
}

describe('the reference data and the engine run', () => {
  it('has samples exactly on 60 s and 10 s window boundaries and 10–15 s apart', () => {
    const times = data.counters.flatMap((s) => s.points.map((p) => p.t));
    assert.ok(times.some((t) => t % 60_000 === 0));
    assert.ok(times.some((t) => t % 10_000 === 0 && t % 60_000 !== 0));
    for (const s of data.counters) for (let i = 1; i < s.points.length; i++) assert.ok(s.points[i].t - s.points[i - 1].t >= 10_000 && s.points[i].t - s.points[i - 1].t <= 15_000);
    assert.ok(data.startMs >= Date.now() - 3_600_000 && data.endMs <= Date.now());
  });

  it('took every sample in order: nothing late, mismatched or invalid', () => {
    const { late_samples, kind_mismatch, bounds_mismatch, invalid_samples, refused_series } = engine.stats;
    assert.deepEqual({ late_samples, kind_mismatch, bounds_mismatch, invalid_samples, refused_series }, { late_samples: 0, kind_mismatch: 0, bounds_mismatch: 0, invalid_samples: 0, refused_series: 0 });
    assert.ok(rowsOf((r) => r.kind === 'HISTOGRAM').length > 0, 'NHCB points became HISTOGRAM rows');
    assert.ok(rowsOf((r) => r.name === `${HISTOGRAM}_bucket` && r.kind === 'COUNTER').length > 0, 'classic _bucket series became COUNTER rows');
    assert.ok(rowsOf((r) => r.kind === 'HISTOGRAM' && r.resets > 0).length > 0, 'a histogram reset is in the data');
    assert.ok(rowsOf((r) => r.name === CPU_COUNTER && r.resets > 0).length > 0, 'a float counter reset is in the data');
  });

  it('sums every delta of a series exactly once over its windows (a counter increase is conserved)', () => {
    for (const series of seriesOf(COUNTER)) {
      let total = 0;
      for (let i = 1; i < series.points.length; i++) {
        const [prev, cur] = [series.points[i - 1].v, series.points[i].v];
        total += cur < prev ? cur : cur - prev;
      }
      const ours = rowsOf(own(COUNTER, 60_000)).filter((r) => labelsKey(r.labels) === labelsKey(series.labels));
      assert.equal(ours.reduce((a, r) => a + (r.increase ?? 0), 0), total);
    }
  });
});

describe('against Prometheus 3 (anchored range selectors)', () => {
  const prom = new PrometheusProcess(prometheus3Binary());
  before(async () => {
    await prom.start();
    await prom.write(classicBody);
  });
  after(() => prom.stop());

  for (const { ms: res, range } of RESOLUTIONS) {
    describe(`${range} windows`, () => {
      it('counter increase = increase(c[range] anchored): exact for integer counters, 1e-9 for the float one', async () => {
        for (const name of INTEGER_COUNTERS) await compare(prom, `increase(${name}[${range}] anchored)`, res, ourValues(rowsOf(own(name, res)), (r) => r.increase), EXACT);
        await compare(prom, `increase(${CPU_COUNTER}[${range}] anchored)`, res, ourValues(rowsOf(own(CPU_COUNTER, res)), (r) => r.increase), FLOAT);
      });

      it('counter rate = rate(c[range] anchored)', async () => {
        await compare(prom, `rate(${COUNTER}[${range}] anchored)`, res, ourValues(rowsOf(own(COUNTER, res)), (r) => r.rate), EXACT);
        await compare(prom, `rate(${CPU_COUNTER}[${range}] anchored)`, res, ourValues(rowsOf(own(CPU_COUNTER, res)), (r) => r.rate), FLOAT);
      });

      it('a pre-aggregation by code = sum by (code) (increase(c[range] anchored))', async () => {
        await compare(prom, `sum by (code) (increase(${COUNTER}[${range}] anchored))`, res, ourValues(rowsOf(partial(BY_CODE, res)), (r) => r.increase), EXACT);
      });

      it('counter resets = resets(c[range] anchored)', async () => {
        for (const name of [COUNTER, CPU_COUNTER, `${HISTOGRAM}_bucket`]) await compare(prom, `resets(${name}[${range}] anchored)`, res, ourValues(rowsOf(own(name, res)), (r) => r.resets), EXACT);
      });

      it('plain resets(c[range]) misses a reset on the window’s first sample, which we count', async () => {
        const ours = ourValues(rowsOf(own(COUNTER, res)), (r) => r.resets);
        const expected = new Map<string, number>();
        let onFirst = 0;
        for (const w of rawWindows(COUNTER, res)) {
          const r = windowResets(w.series.points, w.startMs, w.endMs);
          assert.equal(ours.get(w.key), r.within + r.onFirst, w.key);
          expected.set(w.key, r.within);
          onFirst += r.onFirst;
        }
        assert.ok(onFirst > 0, 'the data has a reset on the first sample of a window');
        await compare(prom, `resets(${COUNTER}[${range}])`, res, expected, EXACT);
      });

      it('plain increase(c[range]) extrapolates the in-range samples to the boundaries; ours is not extrapolated', async () => {
        const ours = ourValues(rowsOf(own(COUNTER, res)), (r) => r.increase);
        const reference = new Map<string, number>();
        for (const w of rawWindows(COUNTER, res)) {
          const v = extrapolatedIncrease(pointsInWindow(w.series.points, w.endMs, res), w.endMs - res - 1, w.endMs - 1);
          if (v !== undefined) reference.set(w.key, v);
        }
        const theirs = await compare(prom, `increase(${COUNTER}[${range}])`, res, reference, FLOAT, res === 10_000);
        if (res === 10_000) {
          // 10–15 s scrapes put at most one sample in a 10 s range: too few for plain increase, none for us.
          assert.equal(theirs.size, 0);
          assert.ok([...ours.values()].some((v) => v > 0));
        } else {
          const differing = [...theirs].filter(([k, v]) => ours.get(k) !== v).length;
          assert.ok(differing > theirs.size / 2, `plain increase differs from ours in most windows (${differing} of ${theirs.size})`);
        }
      });

      it('gauge min/max/count/last = min_/max_/count_/last_over_time exactly, sum = sum_over_time (1e-9)', async () => {
        await compareGauges(prom, res, range);
      });

      it('per-series histogram quantiles = histogram_quantile(q, increase(h_bucket[range] anchored))', async () => {
        const rows = rowsOf(own(HISTOGRAM, res));
        for (const q of QUANTILES) {
          await compare(prom, `histogram_quantile(${q}, increase(${HISTOGRAM}_bucket[${range}] anchored))`, res, ourValues(rows, (r) => r.quantiles.find((x) => x.quantile === q)?.value), EXACT);
        }
      });

      it('merged (by service) histogram quantiles = histogram_quantile(q, sum by (service, le) (increase(h_bucket[range] anchored)))', async () => {
        const rows = rowsOf(partial(BY_SERVICE, res));
        for (const q of QUANTILES) {
          await compare(prom, `histogram_quantile(${q}, sum by (service, le) (increase(${HISTOGRAM}_bucket[${range}] anchored)))`, res, ourValues(rows, (r) => r.quantiles.find((x) => x.quantile === q)?.value), EXACT);
        }
      });

      it('merged buckets, and the _bucket counters pre-aggregated by (service, le), = sum by (service, le) (increase(h_bucket[range] anchored))', async () => {
        const merged = new Map<string, number>();
        for (const r of rowsOf(partial(BY_SERVICE, res))) {
          let cumulative = 0;
          (r.histogram?.bucketCounts ?? []).forEach((c, i) => {
            cumulative += Number(c);
            merged.set(`${labelsKey({ ...r.labels, le: i < BOUNDS.length ? String(BOUNDS[i]) : '+Inf' })}@${windowEndMs(r)}`, cumulative);
          });
        }
        const query = `sum by (service, le) (increase(${HISTOGRAM}_bucket[${range}] anchored))`;
        await compare(prom, query, res, merged, EXACT);
        await compare(prom, query, res, ourValues(rowsOf(partial(BUCKETS_BY_SERVICE, res)), (r) => r.increase), EXACT);
      });

      it('histogram count and sum = increase(h_count / h_sum [range] anchored); the _sum series as we type it = delta(h_sum[range] anchored)', async () => {
        const rows = rowsOf(own(HISTOGRAM, res));
        await compare(prom, `increase(${HISTOGRAM}_count[${range}] anchored)`, res, ourValues(rows, (r) => Number(r.count)), EXACT);
        await compare(prom, `increase(${HISTOGRAM}_sum[${range}] anchored)`, res, ourValues(rows, (r) => r.sum), FLOAT);
        await compare(prom, `delta(${HISTOGRAM}_sum[${range}] anchored)`, res, ourValues(rowsOf(own(`${HISTOGRAM}_sum`, res)), (r) => r.sum), FLOAT);
      });
    });
  }

  it('a histogram reset counts whole (as Prometheus does for native histograms); per-le classic increases differ on a bucket that did not drop', async () => {
    const name = 'restart_duration_seconds';
    const w = data.startMs + 5 * 60_000;
    const restart: ReferenceData = {
      startMs: w,
      endMs: w + 60_000,
      counters: [],
      gauges: [],
      histograms: [
        {
          name,
          labels: { instance: 'i9', job: 'shop' },
          bounds: [0.005, 0.01],
          points: [
            // Before the restart: 1, 4 and 3 observations per bucket (cumulative 1, 5, 8).
            { t: w + 5_000, buckets: [1, 4, 3], count: 8, sum: 0.06 },
            // After it: 2, 0, 1 (cumulative 2, 2, 3): the lowest bucket went up, the others down.
            { t: w + 50_000, buckets: [2, 0, 1], count: 3, sum: 0.02 },
          ],
        },
      ],
    };
    const classic = encodeRemoteWriteBody(REMOTE_WRITE_V1, classicWriteRequest(restart));
    const nhcb = encodeRemoteWriteBody(REMOTE_WRITE_V1, nhcbWriteRequest(restart));
    await prom.write(classic);
    await prom.write(nhcb);
    const row = runEngine(samplesOfBody(nhcb), { resolutionsMs: [60_000], quantiles: [0.5] }).rows.find((r) => r.name === name);
    assert.deepEqual([row?.histogram?.bucketCounts.map(Number), row?.resets, row?.quantiles[0]?.value], [[2, 0, 1], 1, 0.00375]);
    const at = w + 60_000 - 1;
    const instant = async (query: string) => promValues(await prom.queryRange(query, at, at, 60_000));
    const perLe = await instant(`increase(${name}_bucket[1m] anchored)`);
    const le = (v: string) => perLe.get(`${labelsKey({ instance: 'i9', job: 'shop', le: v })}@${at + 1}`);
    assert.deepEqual([le('0.005'), le('0.01'), le('+Inf')], [1, 2, 3], 'classic: le=0.005 went 1 → 2, not a reset for that series');
    const classicQuantile = [...(await instant(`histogram_quantile(0.5, increase(${name}_bucket[1m] anchored))`)).values()];
    assert.deepEqual(classicQuantile, [0.0075]);
    // Native histograms have no anchored selector; plain increase scales the reset histogram, which a quantile ignores.
    const native = [...(await instant(`histogram_quantile(0.5, increase(${name}[1m]))`)).values()];
    assert.equal(native.length, 1, 'Prometheus stored the NHCB series');
    assert.ok(agrees(native[0], 0.00375, { relative: 1e-9 }), `native ${native[0]}`);
  });

  it('a merged quantile is bucketQuantile of the merged buckets (the estimator and the merge agree separately)', () => {
    for (const r of rowsOf(partial(BY_SERVICE, 60_000))) {
      const counts = (r.histogram?.bucketCounts ?? []).map(Number);
      for (const q of r.quantiles) assert.ok(Object.is(q.value, bucketQuantile(q.quantile, BOUNDS, counts)));
    }
  });
});

describe('against Prometheus 2.42 (no anchored selectors: gauges, plain increase and resets)', () => {
  const prom = new PrometheusProcess(PROMETHEUS2_BINARY);
  before(async () => {
    await prom.start();
    await prom.write(classicBody);
  });
  after(() => prom.stop());

  it('gauges = *_over_time, plain increase = the extrapolation, plain resets = resets within the window', async () => {
    for (const { ms: res, range } of RESOLUTIONS) {
      await compareGauges(prom, res, range);
      const extrapolated = new Map<string, number>();
      const within = new Map<string, number>();
      for (const w of rawWindows(COUNTER, res)) {
        const v = extrapolatedIncrease(pointsInWindow(w.series.points, w.endMs, res), w.endMs - res - 1, w.endMs - 1);
        if (v !== undefined) extrapolated.set(w.key, v);
        within.set(w.key, windowResets(w.series.points, w.startMs, w.endMs).within);
      }
      await compare(prom, `increase(${COUNTER}[${range}])`, res, extrapolated, FLOAT, res === 10_000);
      await compare(prom, `resets(${COUNTER}[${range}])`, res, within, EXACT);
    }
  });
});
