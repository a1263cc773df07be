import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Label } from './remote-write.model';
import { compareUtf8, formatLabels, normalizeSeriesLabels, sortLabels } from './validate-series-labels';

const labels = (...pairs: [string, string][]): Label[] => pairs.map(([name, value]) => ({ name, value }));

describe('series label rules', () => {
  it('orders names by UTF-8 bytes, as Go compares strings, not by UTF-16 code units', () => {
    const supplementary = '\u{1F600}'; // a surrogate pair in JS, 4 bytes F0.. in UTF-8
    const privateUse = '\uFF21'; // one code unit above the surrogates, 3 bytes EF.. in UTF-8
    assert.ok(supplementary < privateUse, 'JS order puts the surrogate pair first');
    assert.ok(compareUtf8(supplementary, privateUse) > 0, 'UTF-8 order puts it last');
    assert.ok(Buffer.compare(Buffer.from(supplementary), Buffer.from(privateUse)) > 0);
    const names = ['b', 'a', '\uE000', '\u{10000}', 'B', '_', 'ab', ''];
    const sorted = [...names].sort(compareUtf8);
    assert.deepEqual(sorted, [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y))));
  });

  it('sorts stably and leaves sorted input as it is', () => {
    const ls = labels(['b', '1'], ['a', '2'], ['b', '0']);
    sortLabels(ls);
    assert.deepEqual(ls, labels(['a', '2'], ['b', '1'], ['b', '0']));
    const sorted = labels(['a', '1'], ['b', '2']);
    const before = [...sorted];
    sortLabels(sorted);
    assert.ok(sorted.every((l, i) => l === before[i]));
  });

  it('drops empty values only once the series is valid', () => {
    const ls = labels(['zone', ''], ['__name__', 'up'], ['a', '']);
    assert.equal(normalizeSeriesLabels(ls, undefined, 'utf8'), undefined);
    assert.deepEqual(ls, labels(['__name__', 'up']));
  });

  it('prints label sets as Prometheus does', () => {
    assert.equal(formatLabels(labels(['__name__', 'up'], ['path', '/a "b"'])), '{__name__="up", path="/a \\"b\\""}');
  });
});
