import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareUtf8 } from './label-order';
import { formatOpenMetricsFloat, parseFloatText } from './parse-float';

describe('numbers and order', () => {
  it('parses what Go parses', () => {
    const ok: [string, number][] = [['1', 1], ['-1.5e3', -1500], ['.5', 0.5], ['5.', 5], ['+.5', 0.5], ['1.e5', 1e5], ['00012', 12], ['Infinity', Infinity], ['-inf', -Infinity], ['+INF', Infinity]];
    for (const [text, value] of ok) assert.equal(parseFloatText(text), value, text);
    assert.ok(Number.isNaN(parseFloatText('nAn') as number));
    for (const text of ['', '.', '1e', '.e1', '+nan', 'infx', '0x10', '1.5.5', ' 1']) assert.ok(parseFloatText(text) instanceof Error, text);
  });

  it('formats as Prometheus formats OpenMetrics floats', () => {
    const cases: [number, string][] = [[1, '1.0'], [0, '0.0'], [-1, '-1.0'], [1000, '1000.0'], [999999, '999999.0'], [1234567, '1.234567e+06'], [1e20, '1e+20'], [0.0001, '0.0001'], [1e-5, '1e-05'], [0.5, '0.5'], [-2.5, '-2.5'], [5e-324, '5e-324'], [1.5e300, '1.5e+300'], [Infinity, '+Inf'], [-Infinity, '-Inf'], [NaN, 'NaN']];
    for (const [n, text] of cases) assert.equal(formatOpenMetricsFloat(n), text, String(n));
  });

  it('orders names by UTF-8 bytes', () => {
    assert.ok(compareUtf8('A', '__name__') < 0);
    assert.ok(compareUtf8('__name__', 'a') < 0);
    assert.ok(compareUtf8('\uffff', '😀') < 0, 'U+FFFF sorts before U+1F600 in UTF-8 (not in UTF-16)');
    assert.ok(compareUtf8('ab', 'a') > 0);
  });
});
