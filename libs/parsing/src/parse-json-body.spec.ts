import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogRecord } from '@sextant/contracts';
import { parseJsonBody } from './parse-json-body';
import { DEFAULT_PARSE_OPTIONS } from './parsing.config';
import { rawRecord } from './testdata/log-record.fixture';

function parsed(body: string, overrides: Partial<LogRecord> = {}, options = DEFAULT_PARSE_OPTIONS): LogRecord {
  const outcome = parseJsonBody(rawRecord(body, overrides), options);
  assert.equal(outcome.status, 'parsed');
  return outcome.status === 'parsed' ? outcome.record : rawRecord('');
}

describe('parseJsonBody', () => {
  it('promotes message, level, time and ids, and turns the other fields into attributes', () => {
    const record = parsed(
      '{"time":"2023-11-14T22:13:20.123456789Z","level":"warn","msg":"disk almost full\\n","trace_id":"0AF7651916CD43DD8448EB211C80319C","span_id":"b7ad6b7169203331","disk":"/dev/sda1","free":0.05,"inodes":12,"ok":false,"tags":["a","b"],"ctx":{"user":{"id":7}},"none":null}\n',
    );
    assert.deepEqual(record, rawRecord('disk almost full', {
      timeUnixNano: 1_700_000_000_123_456_789n,
      severityNumber: 13,
      severityText: 'warn',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      attributes: {
        disk: '/dev/sda1',
        free: '0.05',
        inodes: '12',
        ok: 'false',
        tags: '["a","b"]',
        ctx: '{"user":{"id":7}}',
        none: 'null',
      },
      parseFlags: ['json'],
    }));
  });

  it('takes the first message key in the order msg, message, log, and only a string', () => {
    assert.equal(parsed('{"log":"c","message":"b","msg":"a"}').body, 'a');
    assert.deepEqual(parsed('{"log":"c","message":"b","msg":"a"}').attributes, { log: 'c', message: 'b' });
    assert.equal(parsed('{"msg":{"not":"text"},"message":"b"}').body, 'b');
    assert.deepEqual(parsed('{"msg":{"not":"text"},"message":"b"}').attributes, { msg: '{"not":"text"}' });
  });

  it('keeps the JSON text as the body when there is no message field', () => {
    const record = parsed('{"event":"login","user":"ann"}\r\n');
    assert.equal(record.body, '{"event":"login","user":"ann"}');
    assert.deepEqual(record.attributes, { event: 'login', user: 'ann' });
  });

  it('maps level words and pino/bunyan numbers to severity numbers', () => {
    const cases: [string, string, number][] = [
      ['"trace"', 'trace', 1], ['"DEBUG"', 'DEBUG', 5], ['"info"', 'info', 9], ['"Warning"', 'Warning', 13],
      ['"err"', 'err', 17], ['"ERROR"', 'ERROR', 17], ['"critical"', 'critical', 21], ['"panic"', 'panic', 21],
      ['"fatal"', 'fatal', 21], ['30', '30', 9], ['50', '50', 17], ['"60"', '60', 21], ['"verbose"', 'verbose', 0],
      ['35', '35', 0],
    ];
    for (const [json, text, number] of cases) {
      const record = parsed(`{"level":${json}}`);
      assert.deepEqual([record.severityText, record.severityNumber], [text, number], json);
    }
    assert.deepEqual(
      ['severity', 'lvl', 'levelname'].map((k) => parsed(`{"${k}":"error"}`).severityNumber),
      [17, 17, 17],
    );
  });

  it('does not touch fields the record already has, and leaves their JSON fields as attributes', () => {
    const record = parsed(
      '{"level":"debug","time":1700000000,"traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","user":"new","msg":"m"}',
      {
        severityNumber: 17,
        severityText: 'ERROR',
        timeUnixNano: 5n,
        traceId: '11111111111111111111111111111111',
        spanId: '2222222222222222',
        attributes: { user: 'kept' },
      },
    );
    assert.deepEqual(
      [record.severityNumber, record.severityText, record.timeUnixNano, record.traceId, record.spanId],
      [17, 'ERROR', 5n, '11111111111111111111111111111111', '2222222222222222'],
    );
    assert.deepEqual(record.attributes, {
      user: 'kept',
      level: 'debug',
      time: '1700000000',
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
    });
  });

  it('reads epoch times exactly from numbers, long literals and strings, in every unit', () => {
    const cases: [string, bigint][] = [
      ['{"ts":1700000000.5}', 1_700_000_000_500_000_000n],
      ['{"ts":1700000000123}', 1_700_000_000_123_000_000n],
      ['{"timestamp":1700000000123456789}', 1_700_000_000_123_456_789n],
      ['{"time":1700000000.123456789}', 1_700_000_000_123_456_789n],
      ['{"@timestamp":"2023-11-14T23:13:20.000000001+01:00"}', 1_700_000_000_000_000_001n],
      ['{"time":"not a time","ts":"1700000000"}', 1_700_000_000_000_000_000n],
    ];
    for (const [json, ns] of cases) assert.equal(parsed(json).timeUnixNano, ns, json);
    assert.deepEqual(parsed('{"time":"not a time","ts":"1700000000"}').attributes, { time: 'not a time' });
  });

  it('keeps the digits of long numbers in attributes', () => {
    const record = parsed('{"id":123456789012345678901234567890,"nested":{"n":9007199254740993},"small":1.50}');
    assert.deepEqual(record.attributes, {
      id: '123456789012345678901234567890',
      nested: '{"n":9007199254740993}',
      small: '1.5',
    });
  });

  it('accepts only valid, non-zero hex ids; widens a 64-bit trace id', () => {
    assert.equal(parsed('{"trace_id":"00f067aa0ba902b7"}').traceId, '000000000000000000f067aa0ba902b7');
    for (const bad of ['"xyz"', '"00000000000000000000000000000000"', '"0af7651916cd43dd8448eb211c80319"', '42']) {
      const record = parsed(`{"trace_id":${bad},"span_id":${bad}}`);
      assert.equal(record.traceId, '', bad);
      assert.equal(record.spanId, '', bad);
      assert.ok(Object.hasOwn(record.attributes, 'trace_id'));
    }
  });

  it('caps the attributes it adds and flags attributes_truncated', () => {
    const fields = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`f${i}`, i]));
    const options = { ...DEFAULT_PARSE_OPTIONS, maxPromotedAttributes: 4 };
    const record = parsed(JSON.stringify({ msg: 'm', level: 'info', ...fields }), { attributes: { f0: 'mine' } }, options);
    assert.deepEqual(record.attributes, { f0: 'mine', f1: '1', f2: '2', f3: '3', f4: '4' });
    assert.deepEqual(record.parseFlags, ['json', 'attributes_truncated']);
    const exact = parsed(JSON.stringify({ a: 1, b: 2 }), {}, { ...DEFAULT_PARSE_OPTIONS, maxPromotedAttributes: 2 });
    assert.deepEqual(exact.parseFlags, ['json']);
  });

  it('stores a "__proto__" field as an attribute without touching prototypes', () => {
    const record = parsed('{"msg":"x","__proto__":{"admin":true}}');
    assert.equal(Object.getPrototypeOf(record.attributes), Object.prototype);
    assert.equal(record.attributes['__proto__'], '{"admin":true}');
    assert.deepEqual(Object.keys(record.attributes), ['__proto__']);
    // A "__proto__" attribute the record already had is copied as an attribute too.
    const existing: Record<string, string> = {};
    Object.defineProperty(existing, '__proto__', { value: 'mine', enumerable: true, writable: true, configurable: true });
    const kept = parsed('{"msg":"x","a":1}', { attributes: existing });
    assert.equal(Object.getPrototypeOf(kept.attributes), Object.prototype);
    assert.deepEqual(Object.entries(kept.attributes), [['__proto__', 'mine'], ['a', '1']]);
  });

  it('is not applicable to bodies that are not JSON objects', () => {
    for (const body of ['plain text', '[1,2]', '"str"', '42', '', '{', ' { "a": 1 ', 'x {"a":1}']) {
      assert.deepEqual(parseJsonBody(rawRecord(body), DEFAULT_PARSE_OPTIONS), { status: 'not_applicable' }, body);
    }
  });

  it('fails on a body that looks like a JSON object but is not JSON', () => {
    const outcome = parseJsonBody(rawRecord('{"msg": "cut here'.concat('}')), DEFAULT_PARSE_OPTIONS);
    assert.equal(outcome.status, 'failed');
    const big = parseJsonBody(rawRecord('{"ts": 1700000000123456789, "msg": }'), DEFAULT_PARSE_OPTIONS);
    assert.deepEqual(big, { status: 'failed', reason: 'invalid JSON body: unexpected character at position 35' });
  });

  it('never modifies the record it is given', () => {
    const input = rawRecord('{"msg":"m","a":1}', { attributes: { b: '2' } });
    const snapshot = structuredClone(input);
    parseJsonBody(input, DEFAULT_PARSE_OPTIONS);
    assert.deepEqual(input, snapshot);
  });
});
