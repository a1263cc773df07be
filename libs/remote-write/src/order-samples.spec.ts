import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { orderRequest, orderSamples, seriesKey } from './order-samples';
import type { RemoteWriteRequest, Sample } from './remote-write.model';
import { STALE_NAN } from './stale-nan';

const s = (timestampMs: number, value: number): Sample => ({ timestampMs, value, startTimestampMs: 0 });

describe('orderSamples (the TSDB rule for one series, out-of-order window 0)', () => {
  it('returns the same array when timestamps strictly increase', () => {
    const points = [s(1, 1), s(2, 2), s(5, 3)];
    const out = orderSamples(points);
    assert.equal(out.kept, points);
    assert.deepEqual({ ...out, kept: undefined }, { kept: undefined, outOfOrder: 0, duplicates: 0, conflicts: 0, latestTimestampMs: 5 });
  });

  it('drops older samples, identical repeats and conflicting repeats, keeping the first at each timestamp', () => {
    const out = orderSamples([s(1, 1), s(3, 3), s(2, 2), s(3, 3), s(3, 4), s(4, STALE_NAN), s(4, STALE_NAN), s(4, NaN), s(5, 0), s(5, -0)]);
    assert.deepEqual(out.kept, [s(1, 1), s(3, 3), s(4, STALE_NAN), s(5, 0)]);
    assert.deepEqual([out.outOfOrder, out.duplicates, out.conflicts, out.latestTimestampMs], [1, 2, 3, 5]);
  });

  it('continues from the timestamp already stored for the series', () => {
    const out = orderSamples([s(10, 1), s(11, 2)], 10);
    assert.deepEqual(out.kept, [s(11, 2)]);
    assert.equal(out.outOfOrder, 1, 'a sample at the stored timestamp with no stored value to compare is out of order');
    assert.equal(orderSamples([], 7).latestTimestampMs, 7);
  });

  it('takes a comparison for points without a float value', () => {
    const h = [{ timestampMs: 1, sum: 1 }, { timestampMs: 1, sum: 1 }];
    assert.equal(orderSamples(h).conflicts, 1);
    assert.equal(orderSamples(h, -Infinity, (a, b) => a.sum === b.sum).duplicates, 1);
  });
});

describe('seriesKey', () => {
  it('tells label sets apart whatever their characters', () => {
    const key = (pairs: [string, string][]) => seriesKey(pairs.map(([name, value]) => ({ name, value })));
    assert.equal(key([['a', 'b']]), key([['a', 'b']]));
    assert.notEqual(key([['a', 'bc']]), key([['ab', 'c']]));
    assert.notEqual(key([['a', '1:b']]), key([['a', '1'], ['b', '']]));
  });
});

describe('orderRequest', () => {
  const labels = [{ name: '__name__', value: 'up' }];
  const series = (samples: [number, number][], l = labels) => ({ labels: l, samples: samples.map(([timestampMs, value]) => ({ timestampMs, value })), histograms: [], exemplars: [], metadata: undefined });
  const request = (s: ReturnType<typeof series>[]) => ({ message: 'prometheus.WriteRequest', series: s, metadata: new Map(), counts: { samples: 0, histograms: 0, exemplars: 0 }, problems: [] }) as unknown as RemoteWriteRequest;

  it('drops, per series, what Prometheus would not append: older samples and repeats of the latest timestamp', () => {
    const r = request([series([[2, 50], [1, 51], [3, 53], [3, 53], [3, 54], [4, 55]])]);
    const o = orderRequest(r);
    assert.deepEqual(o.request.series[0]?.samples.map((p) => p.timestampMs), [2, 3, 4]);
    assert.deepEqual([o.outOfOrder, o.duplicates, o.conflicts], [1, 1, 1]);
  });

  it('carries the latest timestamp over entries of one label set, and leaves an ordered request as it is', () => {
    const ordered = request([series([[1, 1], [2, 2]]), series([[1, 1]], [{ name: '__name__', value: 'other' }])]);
    assert.equal(orderRequest(ordered).request, ordered);
    const twice = request([series([[5, 1]]), series([[4, 2], [6, 3]])]);
    assert.deepEqual(orderRequest(twice).request.series.map((s) => s.samples.map((p) => p.timestampMs)), [[5], [6]]);
  });
});
