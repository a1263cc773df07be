import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { at, sample, T0_NS } from './testdata/samples';

const BOUNDS = [0.1, 0.5, 1];

/** Observations per step, recorded by one histogram: the cumulative and the delta views of the same data. */
const STEPS = [
  [0.05, 0.7],
  [0.3, 0.7],
  [0.45, 0.75],
  [0.6, 0.65],
];

function histogram(values: number[], temporality: 'DELTA' | 'CUMULATIVE', t: number, startNs: bigint): MetricSample {
  const counts = [0, 0, 0, 0];
  for (const v of values) counts[BOUNDS.findIndex((b) => v <= b) === -1 ? 3 : BOUNDS.findIndex((b) => v <= b)]!++;
  return sample({
    type: 'HISTOGRAM',
    temporality,
    startTimeUnixNano: startNs,
    timeUnixNano: at(t),
    histogram: { count: BigInt(values.length), sum: values.reduce((a, b) => a + b, 0), min: Math.min(...values), max: Math.max(...values), explicitBounds: BOUNDS, bucketCounts: counts.map(BigInt) },
  });
}

function rollups(samples: MetricSample[]): MetricRollup[] {
  const engine = new MetricAggregator({ resolutionsMs: [10_000, 60_000], allowedLatenessMs: 0, maxOutOfOrderMs: 0 }, { partition: 0, store: new MemoryAggregatorState() });
  for (const s of samples) engine.add(s);
  engine.add(sample({ name: 'clock', timeUnixNano: at(600) }));
  return engine.drain().filter((r) => r.name === 'm');
}

describe('cumulative histograms: min and max per window', () => {
  // One point per 10 s window, all inside the first minute; the series started at T0.
  const delta = rollups(STEPS.map((v, i) => histogram(v, 'DELTA', 3 + 10 * i, T0_NS + BigInt(10 * i) * 1_000_000_000n)));
  const cumulative = rollups(STEPS.map((_, i) => histogram(STEPS.slice(0, i + 1).flat(), 'CUMULATIVE', 3 + 10 * i, T0_NS)));
  const of = (rows: MetricRollup[], seconds: number) => rows.filter((r) => r.windowEndUnixNano - r.windowStartUnixNano === BigInt(seconds) * 1_000_000_000n).map((r) => [r.min, r.max]);

  it('are the delta run\'s wherever the cumulative min or max moved, and unknown (null) where it did not', () => {
    assert.deepEqual(of(delta, 10), [[0.05, 0.7], [0.3, 0.7], [0.45, 0.75], [0.6, 0.65]]);
    // Window 1 holds the first point (created in it: counted whole); window 3 raised the max to 0.75; nothing
    // else moved the life-long extremes, so nothing else is known.
    assert.deepEqual(of(cumulative, 10), [[0.05, 0.7], [null, null], [null, 0.75], [null, null]]);
  });

  it('give the whole minute\'s extremes when they were set inside it', () => {
    assert.deepEqual(of(delta, 60), [[0.05, 0.75]]);
    assert.deepEqual(of(cumulative, 60), [[0.05, 0.75]]);
  });
});
