import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatQueryParams } from '@clickhouse/client-common';
import { RequestError } from './clickhouse-request';
import { bindValues, placeholderTypes, unescapeText } from './query-parameters';

describe('placeholderTypes', () => {
  it('reads every {name:Type}, nested types included', () => {
    const t = placeholderTypes('SELECT {a:String}, { b : Array(Tuple(String, UInt8)) }, {c:Nullable(String)} WHERE x = {a:String}');
    assert.deepEqual([...t], [['a', 'String'], ['b', 'Array(Tuple(String, UInt8))'], ['c', 'Nullable(String)']]);
  });
});

describe('bindValues', () => {
  it('undoes the client escaping of strings exactly', () => {
    for (const value of ["it's", 'back\\slash', 'tab\tnew\nline\rcr', '\\N', "'; DROP TABLE t; --", '🚀']) {
      const sent = formatQueryParams({ value });
      assert.deepEqual(bindValues('SELECT {v:String}', new Map([['v', sent]])), { v: value }, value);
      assert.deepEqual(bindValues('SELECT {v:LowCardinality(Nullable(String))}', new Map([['v', sent]])), { v: value }, value);
    }
  });

  it('binds the NULL marker as null (the engine decides whether the placeholder takes it)', () => {
    assert.deepEqual(bindValues('SELECT {v:LowCardinality(Nullable(String))}', new Map([['v', '\\N']])), { v: null });
    assert.deepEqual(bindValues('SELECT {v:String}', new Map([['v', '\\N']])), { v: null });
  });

  it('passes numbers, arrays and dates as sent and NULL as null', () => {
    const b = bindValues('SELECT {n:UInt64}, {a:Array(String)}, {d:DateTime}, {z:Nullable(UInt8)}', new Map([
      ['n', '42'],
      ['a', "['x','y']"],
      ['d', '2024-01-02 03:04:05'],
      ['z', '\\N'],
    ]));
    assert.deepEqual(b, { n: '42', a: "['x','y']", d: '2024-01-02 03:04:05', z: null });
  });

  it('refuses an escape inside a non-string value instead of binding it wrong', () => {
    assert.throws(() => bindValues('SELECT {a:Array(String)}', new Map([['a', "['it\\'s']"]])), (e: unknown) => e instanceof RequestError && e.code === 457);
  });

  it('unescapes hex and control escapes', () => {
    assert.equal(unescapeText('\\x41\\0\\b\\\\'), 'A\0\b\\');
  });
});
