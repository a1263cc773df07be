import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeJsonValue, JsonBigNumber, JsonSyntaxError, MAX_JSON_DEPTH, parseJsonText } from './parse-json-text';

describe('parseJsonText', () => {
  it('returns what JSON.parse returns when no literal needs more than a double', () => {
    const text = '{"a":[1,-2.5e3,true,false,null],"b":{"c":"d\\n\\u00e9"},"e":123456789012345}';
    assert.deepEqual(parseJsonText(text), JSON.parse(text));
  });

  it('keeps long number literals exact, in the same shape JSON.parse would give otherwise', () => {
    const text = '{"ns":1700000000123456789,"neg":-9223372036854775808,"frac":1700000000.123456789,"s":"x\\"y","n":[1,{"d":0.5}],"e":1e999}';
    const parsed = parseJsonText(text);
    assert.deepEqual(parsed, {
      ns: new JsonBigNumber('1700000000123456789'),
      neg: new JsonBigNumber('-9223372036854775808'),
      frac: new JsonBigNumber('1700000000.123456789'),
      s: 'x"y',
      n: [1, { d: 0.5 }],
      e: new JsonBigNumber('1e999'),
    });
    assert.equal(encodeJsonValue(parsed), text);
  });

  it('keeps a "__proto__" key as an own property on both paths', () => {
    for (const text of ['{"__proto__":{"polluted":1}}', '{"__proto__":{"polluted":1},"big":12345678901234567890}']) {
      const parsed = parseJsonText(text) as Record<string, unknown>;
      assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
      assert.deepEqual(Object.keys(parsed).slice(0, 1), ['__proto__']);
      assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    }
  });

  it('throws JsonSyntaxError with a position for text that is not JSON, on both paths', () => {
    for (const text of [
      '{"a":1,}',
      '{"a":12345678901234567890,}',
      '{"a":12345678901234567890',
      '{"a":12345678901234567890} x',
      '{"a":"12345678901234567890\u0001"}',
      '{"a":01234567890123456789}',
      '{a:12345678901234567890}',
      '[12345678901234567890 1]',
      '{"a":"\\q","b":12345678901234567890}',
    ]) {
      assert.throws(() => parseJsonText(text), JsonSyntaxError, text);
    }
    assert.throws(() => parseJsonText('[1234567890123456789,tru]'), /unexpected character at position 21/);
  });

  it('refuses nesting deeper than MAX_JSON_DEPTH on the exact path', () => {
    const deep = (n: number) => `${'['.repeat(n)}12345678901234567890${']'.repeat(n)}`;
    assert.ok(parseJsonText(deep(MAX_JSON_DEPTH)));
    assert.throws(() => parseJsonText(deep(MAX_JSON_DEPTH + 2)), /nesting deeper than/);
  });
});

describe('encodeJsonValue', () => {
  it('writes compact JSON with non-finite numbers as null', () => {
    assert.equal(encodeJsonValue({ a: [1.5, 'q"', null, false, NaN], b: {} }), '{"a":[1.5,"q\\"",null,false,null],"b":{}}');
  });
});
