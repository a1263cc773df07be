import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseLogRecord } from './parse-log-record';
import { DEFAULT_PARSE_OPTIONS, resolveParseOptions } from './parsing.config';
import { rawRecord } from './testdata/log-record.fixture';

describe('parseLogRecord', () => {
  it('parses a JSON body with the JSON parser', () => {
    const out = parseLogRecord(rawRecord('{"msg":"hi","level":"error","ts":1700000000123456789}\n'));
    assert.deepEqual(
      [out.body, out.severityNumber, out.timeUnixNano, out.parseFlags],
      ['hi', 17, 1_700_000_000_123_456_789n, ['json']],
    );
  });

  it('falls back to plain text for anything else', () => {
    const out = parseLogRecord(rawRecord('WARN low disk\n'));
    assert.deepEqual([out.body, out.severityNumber, out.parseFlags], ['WARN low disk', 13, ['plain']]);
    assert.deepEqual(parseLogRecord(rawRecord('[1,2,3]')).parseFlags, ['plain']);
  });

  it('keeps a broken JSON body as it came and flags parse_error', () => {
    const body = '{"msg":"half a line", "lev\n';
    const broken = `${body.trimEnd()}}`;
    const out = parseLogRecord(rawRecord(broken));
    assert.deepEqual(out, rawRecord(broken, { parseFlags: ['parse_error'] }));
  });

  it('keeps a record whose body exhausts the parser, flagged parse_error, without throwing', () => {
    // Nesting deep enough that encoding the nested attribute back to JSON overflows the stack.
    const deep = `{"a":${'['.repeat(200_000)}${']'.repeat(200_000)}}`;
    const out = parseLogRecord(rawRecord(deep), { ...DEFAULT_PARSE_OPTIONS, maxBodyBytes: 10 });
    assert.deepEqual(out.parseFlags, ['parse_error', 'truncated']);
    assert.equal(out.body, deep.slice(0, 10));
  });

  it('truncates a long body at a UTF-8 boundary and flags truncated, after parsing', () => {
    const options = resolveParseOptions({ maxBodyBytes: 8 });
    const plain = parseLogRecord(rawRecord('ab€€€€\n'), options); // a b € € = 8 bytes
    assert.deepEqual([plain.body, plain.parseFlags], ['ab€€', ['plain', 'truncated']]);
    const cutMidChar = parseLogRecord(rawRecord('abc€€€'), options); // a b c € = 6, next € would end at 9
    assert.deepEqual([cutMidChar.body, cutMidChar.parseFlags], ['abc€', ['plain', 'truncated']]);
    // The JSON body is parsed whole first, so its fields survive even though the text is far over the cap.
    const json = parseLogRecord(rawRecord(JSON.stringify({ msg: 'short', pad: 'x'.repeat(100) })), options);
    assert.deepEqual([json.body, json.parseFlags, json.attributes['pad']?.length], ['short', ['json'], 100]);
  });

  it('is idempotent: an already parsed record comes back unchanged', () => {
    const once = parseLogRecord(rawRecord('{"msg":"{\\"msg\\":\\"inner\\"}","level":"info"}'));
    assert.equal(once.body, '{"msg":"inner"}');
    assert.equal(parseLogRecord(once), once);
    for (const flag of ['plain', 'parse_error']) {
      const done = rawRecord('ERROR {"msg":"x"}', { parseFlags: ['body_json', flag] });
      assert.equal(parseLogRecord(done), done);
    }
  });

  it('parses records that carry only other flags (an OTLP body_json body is parsed as JSON)', () => {
    const out = parseLogRecord(rawRecord('{"msg":"structured","n":1}', { parseFlags: ['body_json'], source: 'otlp' }));
    assert.deepEqual([out.body, out.attributes, out.parseFlags], ['structured', { n: '1' }, ['body_json', 'json']]);
  });
});
