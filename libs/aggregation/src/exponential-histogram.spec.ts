import { test } from 'node:test';
import assert from 'node:assert/strict';
import { downscale, expQuantile, mergeExp, subtractExp, widenZeroBucket, type ExpHistogram } from './exponential-histogram';

function exp(scale: number, offset: number, counts: number[], zeroCount = 0, zeroThreshold = 0): ExpHistogram {
  return { scale, zeroCount, zeroThreshold, positive: { offset, counts }, negative: { offset: 0, counts: [] } };
}

/** Count of each bucket index at the histogram's scale. */
function byIndex(h: ExpHistogram): Map<number, number> {
  const m = new Map<number, number>();
  h.positive.counts.forEach((c, i) => c > 0 && m.set(h.positive.offset + i, c));
  return m;
}

test('merging a scale-3 and a scale-1 point gives the scale-1 sum, bucket by bucket', () => {
  // Scale 3 buckets 0..7 all fold into scale-1 buckets 0 and 1 (index >> 2), 8..11 into 2.
  const fine = exp(3, 0, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  const coarse = exp(1, 0, [100, 200, 300]);
  const merged = mergeExp(fine, coarse, 160);
  assert.equal(merged.scale, 1);
  const expected = new Map([
    [0, 100 + 1 + 2 + 3 + 4],
    [1, 200 + 5 + 6 + 7 + 8],
    [2, 300 + 9 + 10 + 11 + 12],
  ]);
  assert.deepEqual(byIndex(merged), expected);
  assert.deepEqual(byIndex(mergeExp(coarse, fine, 160)), expected, 'order of the operands does not matter');
});

test('negative indexes reduce by floor division', () => {
  // Scale 2 → 0: indexes -5..0 become -2, -1, -1, -1, -1, 0.
  const h = downscale(exp(2, -5, [1, 1, 1, 1, 1, 1]), 0);
  assert.deepEqual(byIndex(h), new Map([[-2, 1], [-1, 4], [0, 1]]));
});

test('a span above maxExponentialBuckets forces a further scale reduction', () => {
  const a = exp(4, 0, [1]);
  const b = exp(4, 300, [1]);
  const merged = mergeExp(a, b, 160);
  // Span 301 at scale 4; at scale 3 indexes 0 and 150 → span 151 ≤ 160.
  assert.equal(merged.scale, 3);
  assert.deepEqual(byIndex(merged), new Map([[0, 1], [150, 1]]));
  assert.ok(merged.positive.counts.length <= 160);
});

test('a wider zero bucket absorbs the buckets below it', () => {
  // Scale 0: bucket i covers (2^i, 2^(i+1)]. Threshold 3 swallows buckets 0 (1,2] and 1 (2,4], grows to 4.
  const h = widenZeroBucket(exp(0, 0, [5, 6, 7]), 3);
  assert.equal(h.zeroCount, 11);
  assert.equal(h.zeroThreshold, 4);
  assert.deepEqual(byIndex(h), new Map([[2, 7]]));
  const merged = mergeExp(exp(0, 0, [5, 6, 7]), exp(0, 5, [1], 2, 3), 160);
  assert.equal(merged.zeroCount, 13);
});

test('cumulative to delta subtracts after aligning scales; a decrease is a reset', () => {
  const prev = exp(2, 0, [1, 1, 1, 1]);
  const cur = exp(1, 0, [3, 4]);
  const d = subtractExp(cur, prev, 160);
  assert.ok(d);
  assert.equal(d.scale, 1);
  // prev at scale 1 is [2, 2].
  assert.deepEqual(byIndex(d), new Map([[0, 1], [1, 2]]));
  assert.equal(subtractExp(exp(0, 0, [1]), exp(0, 0, [2]), 160), undefined);
});

test('quantiles interpolate exponentially within a bucket, linearly in the zero bucket', () => {
  // Scale 0, bucket 1 = (2, 4] holds everything: the median is 2^(1 + 0.5) = 2·√2.
  assert.equal(expQuantile(0.5, exp(0, 1, [10])), 2 ** 1.5);
  assert.equal(expQuantile(1, exp(0, 1, [10])), 4);
  // Zero bucket only positive neighbours: from 0 to the threshold.
  assert.equal(expQuantile(0.25, exp(0, 1, [10], 10, 1)), 0.5);
  // Negative bucket index 1 covers [-4, -2): its lower quarter is -2^(1 + 0.75).
  const neg: ExpHistogram = { scale: 0, zeroCount: 0, zeroThreshold: 0, positive: { offset: 0, counts: [] }, negative: { offset: 1, counts: [8] } };
  assert.equal(expQuantile(0.25, neg), -(2 ** 1.75));
  assert.ok(Number.isNaN(expQuantile(0.5, exp(0, 0, []))));
  assert.equal(expQuantile(-1, exp(0, 1, [10])), -Infinity);
});
