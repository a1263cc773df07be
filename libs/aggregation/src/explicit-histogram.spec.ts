import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bucketQuantile } from './explicit-histogram';

// Bounds 1, 2, 4 (+Inf), per-bucket counts: le=1 → 10, le=2 → 30, le=4 → 50, +Inf → 60.
const BOUNDS = [1, 2, 4];
const COUNTS = [10, 20, 20, 10];

test('interpolates linearly within the bucket holding the rank', () => {
  // rank 30 = le=2 exactly: end of bucket (1,2].
  assert.equal(bucketQuantile(0.5, BOUNDS, COUNTS), 2);
  // rank 6: lowest bucket from 0 → 0 + 1 * 6/10.
  assert.equal(bucketQuantile(0.1, BOUNDS, COUNTS), 0.6);
  // rank 40: bucket (2,4], 10 of 20 → 3.
  assert.equal(bucketQuantile(40 / 60, BOUNDS, COUNTS), 3);
});

test('a rank in the +Inf bucket answers the highest finite bound', () => {
  assert.equal(bucketQuantile(0.99, BOUNDS, COUNTS), 4);
  assert.equal(bucketQuantile(1, BOUNDS, COUNTS), 4);
});

test('a lowest bucket with a non-positive bound answers that bound', () => {
  assert.equal(bucketQuantile(0.05, [-1, 0, 1], [10, 10, 10, 10]), -1);
  // rank 12: bucket (-1, 0], 2 of 10 → -1 + 1 * 0.2.
  assert.equal(bucketQuantile(0.3, [-1, 0, 1], [10, 10, 10, 10]), -0.8);
});

test('special cases as Prometheus: q out of range, no observations, too few buckets', () => {
  assert.equal(bucketQuantile(-0.1, BOUNDS, COUNTS), -Infinity);
  assert.equal(bucketQuantile(1.1, BOUNDS, COUNTS), Infinity);
  assert.ok(Number.isNaN(bucketQuantile(NaN, BOUNDS, COUNTS)));
  assert.ok(Number.isNaN(bucketQuantile(0.5, BOUNDS, [0, 0, 0, 0])));
  assert.ok(Number.isNaN(bucketQuantile(0.5, [], [5])));
});

test('q = 0 lands in the lowest bucket, even an empty one (NaN there, as Prometheus: 0/0)', () => {
  assert.equal(bucketQuantile(0, BOUNDS, COUNTS), 0);
  assert.ok(Number.isNaN(bucketQuantile(0, BOUNDS, [0, 0, 5, 0])));
});

test('equal bounds are coalesced', () => {
  assert.equal(bucketQuantile(0.5, [1, 1, 2], [5, 5, 10, 0]), 1);
});
