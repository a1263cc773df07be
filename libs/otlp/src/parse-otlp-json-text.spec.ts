import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OtlpDecodeError } from './otlp-decode.error';
import { parseOtlpJsonText, quoteLongNumberLiterals } from './parse-otlp-json-text';

describe('quoteLongNumberLiterals', () => {
  it('quotes number literals of 16 characters or more, outside strings only', () => {
    assert.equal(
      quoteLongNumberLiterals('{"a":1700000000123456789,"b":[-9223372036854775808, 12],"c":1.2345678901234567e+30}'),
      '{"a":"1700000000123456789","b":["-9223372036854775808", 12],"c":"1.2345678901234567e+30"}',
    );
    const inStrings = '{"k\\"1234567890123456789":"x\\\\","v":"1234567890123456789"}';
    assert.equal(quoteLongNumberLiterals(inStrings), inStrings);
    assert.equal(quoteLongNumberLiterals('[123456789012345]'), '[123456789012345]');
  });
});

describe('parseOtlpJsonText', () => {
  it('hands long integers out as exact decimal strings and leaves short numbers alone', () => {
    assert.deepEqual(parseOtlpJsonText('{"t":1700000000123456789,"n":42,"s":"1700000000123456789"}'), {
      t: '1700000000123456789',
      n: 42,
      s: '1700000000123456789',
    });
  });

  it('keeps long literals exact wherever a value may start: after a colon, in arrays, after whitespace', () => {
    assert.deepEqual(parseOtlpJsonText('{"a":\n  1700000000123456789,"b":[ 2, -9223372036854775808],"c":[1700000000123456789]}'), {
      a: '1700000000123456789',
      b: [2, '-9223372036854775808'],
      c: ['1700000000123456789'],
    });
  });

  it('reports a syntax error at its position in the text as sent', () => {
    assert.throws(
      () => parseOtlpJsonText('{"t":1700000000123456789,}'),
      (err: unknown) => err instanceof OtlpDecodeError && /^invalid JSON: .*position 25/.test(err.message),
    );
  });
});
