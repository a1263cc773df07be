import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonBigNumber } from './parse-json-text';
import { parseEpochNumber, parseRfc3339, parseTimestamp } from './parse-timestamp';

describe('parseRfc3339', () => {
  it('reads nanosecond fractions exactly, in UTC and with offsets', () => {
    assert.equal(parseRfc3339('2023-11-14T22:13:20.123456789Z'), 1_700_000_000_123_456_789n);
    assert.equal(parseRfc3339('2023-11-14T23:13:20.123456789+01:00'), 1_700_000_000_123_456_789n);
    assert.equal(parseRfc3339('2023-11-14T17:43:20.123456789-04:30'), 1_700_000_000_123_456_789n);
    assert.equal(parseRfc3339('2023-11-14t22:13:20.1z'), 1_700_000_000_100_000_000n);
    assert.equal(parseRfc3339('2023-11-14 22:13:20,5+0000'), 1_700_000_000_500_000_000n);
    // Digits past the nanosecond are cut, not rounded.
    assert.equal(parseRfc3339('2023-11-14T22:13:20.1234567899Z'), 1_700_000_000_123_456_789n);
    assert.equal(parseRfc3339('1970-01-01T00:00:00.000000001Z'), 1n);
    assert.equal(parseRfc3339('2262-04-11T23:47:16.854775807Z'), 9_223_372_036_854_775_807n);
  });

  it('agrees with Date.UTC to the millisecond across leap years and month ends', () => {
    const days = [[2000, 2, 29], [2024, 2, 29], [1999, 12, 31], [2100, 3, 1], [2038, 1, 19], [1970, 1, 2], [2260, 2, 29]];
    for (const [y, m, d] of days as [number, number, number][]) {
      const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}T13:14:15.678Z`;
      assert.equal(parseRfc3339(iso), BigInt(Date.UTC(y, m - 1, d, 13, 14, 15, 678)) * 1_000_000n, iso);
    }
  });

  it('refuses impossible dates, missing offsets, and times at or before the epoch', () => {
    for (const text of [
      '2023-02-29T00:00:00Z',
      '2100-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-04-31T00:00:00Z',
      '2023-01-01T24:00:00Z',
      '2023-01-01T00:60:00Z',
      '2023-01-01T00:00:00+24:00',
      '2023-01-01T00:00:00',
      '2023-01-01',
      '1970-01-01T00:00:00Z',
      '1969-12-31T23:59:59Z',
      '2262-04-11T23:47:16.854775808Z',
    ]) {
      assert.equal(parseRfc3339(text), undefined, text);
    }
  });
});

describe('parseEpochNumber', () => {
  it('tells seconds, milliseconds, microseconds and nanoseconds apart by magnitude, exactly', () => {
    assert.equal(parseEpochNumber('1700000000'), 1_700_000_000_000_000_000n);
    assert.equal(parseEpochNumber('1700000000.123456789'), 1_700_000_000_123_456_789n);
    assert.equal(parseEpochNumber('1700000000123'), 1_700_000_000_123_000_000n);
    assert.equal(parseEpochNumber('1700000000123.456789'), 1_700_000_000_123_456_789n);
    assert.equal(parseEpochNumber('1700000000123456'), 1_700_000_000_123_456_000n);
    assert.equal(parseEpochNumber('1700000000123456789'), 1_700_000_000_123_456_789n);
    assert.equal(parseEpochNumber('1.7e9'), 1_700_000_000_000_000_000n);
    assert.equal(parseEpochNumber('1.700000000123456789E18'), 1_700_000_000_123_456_789n);
    assert.equal(parseEpochNumber('1700000000.1234567891'), 1_700_000_000_123_456_789n);
  });

  it('refuses what is not a non-negative decimal, zero, and values past int64', () => {
    for (const text of ['', '-1700000000', 'abc', '0x10', '0', '0.0', '1e400', '9223372036854775808', '1 700']) {
      assert.equal(parseEpochNumber(text), undefined, text);
    }
  });
});

describe('parseTimestamp', () => {
  it('takes strings (RFC 3339 or numeric), numbers and big number literals', () => {
    assert.equal(parseTimestamp(' 2023-11-14T22:13:20Z '), 1_700_000_000_000_000_000n);
    assert.equal(parseTimestamp('1700000000.5'), 1_700_000_000_500_000_000n);
    assert.equal(parseTimestamp(1_700_000_000_123), 1_700_000_000_123_000_000n);
    assert.equal(parseTimestamp(1_700_000_000.25), 1_700_000_000_250_000_000n);
    assert.equal(parseTimestamp(new JsonBigNumber('1700000000123456789')), 1_700_000_000_123_456_789n);
    assert.equal(parseTimestamp(new JsonBigNumber('1700000000.123456789')), 1_700_000_000_123_456_789n);
  });

  it('returns undefined for anything else', () => {
    for (const value of [null, true, {}, [], 'yesterday', -5, NaN, Infinity]) {
      assert.equal(parseTimestamp(value as never), undefined, String(value));
    }
  });
});
