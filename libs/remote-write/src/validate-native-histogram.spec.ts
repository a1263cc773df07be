import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FloatNativeHistogram, IntegerNativeHistogram } from './remote-write.model';
import { nativeHistogramProblem } from './validate-native-histogram';

const base = {
  timestampMs: 1,
  startTimestampMs: 0,
  schema: 0,
  sum: 10,
  zeroThreshold: 0.001,
  resetHint: 'unknown',
  positiveSpans: [{ offset: 0, length: 2 }],
  negativeSpans: [{ offset: 1, length: 1 }],
  customValues: [],
} as const;
const integer = (over: Partial<IntegerNativeHistogram> = {}): IntegerNativeHistogram => ({
  kind: 'integer',
  ...base,
  count: 7,
  zeroCount: 1,
  positiveDeltas: [2, 1],
  negativeDeltas: [1],
  ...over,
});
const float = (over: Partial<FloatNativeHistogram> = {}): FloatNativeHistogram => ({
  kind: 'float',
  ...base,
  count: 7.5,
  zeroCount: 1,
  positiveCounts: [2, 3],
  negativeCounts: [1.5],
  ...over,
});
const nhcb = { schema: -53, zeroThreshold: 0, zeroCount: 0, negativeSpans: [], customValues: [0.5, 1, 2] };

describe('nativeHistogramProblem (Prometheus histogram validation)', () => {
  it('accepts valid integer, float and custom-bucket histograms', () => {
    assert.equal(nativeHistogramProblem(integer()), undefined);
    assert.equal(nativeHistogramProblem(float()), undefined);
    assert.equal(nativeHistogramProblem(integer({ ...nhcb, negativeDeltas: [], count: 5 })), undefined);
    assert.equal(nativeHistogramProblem(integer({ sum: NaN, count: 9 })), undefined, 'NaN sum: count may exceed the buckets');
    assert.equal(nativeHistogramProblem(float({ count: 1 })), undefined, 'float counts are not summed, as in Prometheus');
  });

  const cases: [string, ReturnType<typeof integer> | ReturnType<typeof float>, string][] = [
    ['schema 9 below -4', integer({ schema: -5 }), 'histogram has an invalid schema, which must be between -4 and 8 for exponential buckets, or -53 for custom buckets, got schema -5'],
    ['count mismatch', integer({ count: 6 }), "7 observations found in buckets, but the Count field is 6: histogram's observation count should equal the number of observations found in the buckets (in absence of NaN)"],
    ['count too small with NaN sum', integer({ sum: NaN, count: 6 }), "7 observations found in buckets, but the Count field is 6: histogram's observation count should be at least the number of observations found in the buckets"],
    ['negative bucket from deltas', integer({ positiveDeltas: [2, -3] }), 'positive side: bucket number 2 has observation count of -1: histogram has a bucket whose observation count is negative'],
    ['negative float bucket', float({ negativeCounts: [-1] }), 'negative side: bucket number 1 has observation count of -1: histogram has a bucket whose observation count is negative'],
    ['spans longer than buckets', integer({ positiveSpans: [{ offset: 0, length: 3 }] }), 'positive side: spans need 3 buckets, have 2 buckets: histogram spans specify different number of buckets than provided'],
    ['negative offset after the first span', integer({ negativeSpans: [{ offset: 0, length: 0 }, { offset: -1, length: 1 }] }), 'negative side: span number 2 with offset -1: histogram has a span whose offset is negative'],
    ['first span at int32 minimum', integer({ positiveSpans: [{ offset: -2147483648, length: 2 }] }), 'positive side: span number 1 starts at bucket index -2147483648: histogram has a span whose bucket index is out of range'],
    ['spans past int32', integer({ positiveSpans: [{ offset: 2147483647, length: 2 }] }), 'positive side: span number 1 ends at bucket index 2147483648: histogram has a span whose bucket index is out of range'],
    ['negative zero count (float)', float({ zeroCount: -1 }), 'zero bucket has observation count of -1: histogram has a bucket whose observation count is negative'],
    ['custom bounds with an exponential schema', float({ customValues: [1] }), 'histogram with exponential schema must not have custom bounds'],
    ['negative count (float)', float({ count: -2 }), "observation count is -2: histogram's observation count is negative"],
    ['custom buckets with a zero count', integer({ ...nhcb, zeroCount: 1, negativeDeltas: [] }), 'custom buckets: must have zero count of 0'],
    ['custom buckets with a zero threshold', integer({ ...nhcb, zeroThreshold: 0.1, negativeDeltas: [] }), 'custom buckets: must have zero threshold of 0'],
    ['custom buckets with negative spans', integer({ ...nhcb, negativeSpans: [{ offset: 0, length: 1 }], negativeDeltas: [1] }), 'custom buckets: must not have negative spans'],
    ['custom buckets with negative buckets', integer({ ...nhcb, negativeDeltas: [1] }), 'custom buckets: must not have negative buckets'],
    ['custom bounds not increasing', integer({ ...nhcb, customValues: [1, 1], negativeDeltas: [] }), 'custom buckets: previous bound is 1 and current is 1: histogram custom bounds must be in strictly increasing order'],
    ['custom bound NaN', integer({ ...nhcb, customValues: [NaN], negativeDeltas: [] }), 'custom buckets: histogram custom bounds must not be NaN'],
    ['explicit +Inf bound', integer({ ...nhcb, customValues: [1, Infinity], negativeDeltas: [] }), 'custom buckets: last +Inf bound must not be explicitly defined: histogram custom bounds must be finite'],
    ['too few custom bounds', integer({ ...nhcb, customValues: [], negativeDeltas: [], positiveSpans: [{ offset: 1, length: 2 }] }), 'custom buckets: only 0 custom bounds defined which is insufficient to cover total span length of 3: histogram custom bounds are too few'],
    ['negative custom span offset', integer({ ...nhcb, negativeDeltas: [], positiveSpans: [{ offset: -1, length: 2 }] }), 'custom buckets: span number 1 with offset -1: histogram has a span whose offset is negative'],
  ];
  for (const [what, histogram, message] of cases) {
    it(`refuses ${what}`, () => assert.equal(nativeHistogramProblem(histogram), message));
  }
});
