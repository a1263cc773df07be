import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeOtlpLogsJson, type OtlpDecodeContext } from './decode-otlp-logs';
import { OtlpDecodeError, OtlpTooManyRecordsError } from './otlp-decode.error';

const ctx: OtlpDecodeContext = { tenant: 't1', observedTimeUnixNano: 5n };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

function request(logRecords: unknown[], resourceAttributes: unknown[] = []): string {
  return JSON.stringify({
    resourceLogs: [
      { resource: { attributes: resourceAttributes }, scopeLogs: [{ scope: { name: 'sc', version: '2' }, logRecords }] },
    ],
  });
}

function decodeOne(logRecord: unknown) {
  const result = decodeOtlpLogsJson(request([logRecord]), ctx);
  assert.equal(result.rejected, 0, result.errors.join('; '));
  const [record] = result.records;
  assert.ok(record);
  return record;
}

function assertDecodeError(body: string | object, message: string): void {
  assert.throws(
    () => decodeOtlpLogsJson(body, ctx),
    (err: unknown) => err instanceof OtlpDecodeError && err.message === message,
  );
}

describe('decodeOtlpLogsJson', () => {
  it('maps a spec-style record: hex ids, string int64s, enum by number', () => {
    const record = decodeOne({
      timeUnixNano: '1544712660300000000',
      observedTimeUnixNano: '1544712660300000001',
      severityNumber: 10,
      severityText: 'Information',
      traceId: TRACE.toUpperCase(),
      spanId: SPAN,
      flags: 257,
      body: { stringValue: 'Example log record' },
      attributes: [
        { key: 'string.attribute', value: { stringValue: 'some string' } },
        { key: 'boolean.attribute', value: { boolValue: true } },
        { key: 'int.attribute', value: { intValue: '10' } },
        { key: 'double.attribute', value: { doubleValue: 637.704 } },
        { key: 'array.attribute', value: { arrayValue: { values: [{ stringValue: 'many' }, { stringValue: 'values' }] } } },
        { key: 'map.attribute', value: { kvlistValue: { values: [{ key: 'some.map.key', value: { stringValue: 'some value' } }] } } },
      ],
    });
    assert.deepEqual(record, {
      tenant: 't1',
      timeUnixNano: 1_544_712_660_300_000_000n,
      observedTimeUnixNano: 1_544_712_660_300_000_001n,
      severityNumber: 10,
      severityText: 'Information',
      body: 'Example log record',
      attributes: {
        'string.attribute': 'some string',
        'boolean.attribute': 'true',
        'int.attribute': '10',
        'double.attribute': '637.704',
        'array.attribute': '["many","values"]',
        'map.attribute': '{"some.map.key":"some value"}',
      },
      resource: {},
      scopeName: 'sc',
      scopeVersion: '2',
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: 1,
      serviceName: '',
      source: 'otlp',
      stream: '',
      k8s: null,
      parseFlags: [],
    });
  });

  it('stores a time beyond the year 2262 as no time of its own, flagged, the original kept as text', () => {
    const text = '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"timeUnixNano":"18446744073709551615","body":{"stringValue":"far"}},{"timeUnixNano":"9223372036854775807","body":{"stringValue":"edge"}}]}]}]}';
    const { records, rejected } = decodeOtlpLogsJson(text, ctx);
    assert.equal(rejected, 0);
    assert.equal(records[0]?.timeUnixNano, 0n);
    assert.deepEqual(records[0]?.parseFlags, ['timestamp_out_of_range']);
    assert.equal(records[0]?.attributes['sextant.original_timestamp'], '18446744073709551615');
    // The largest signed value still fits a LogRecord; the sink's time window deals with it.
    assert.equal(records[1]?.timeUnixNano, 9_223_372_036_854_775_807n);
    assert.deepEqual(records[1]?.parseFlags, []);
  });

  it('keeps 64-bit integers exact whether sent as strings or as bare JSON numbers', () => {
    const text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{
      "timeUnixNano": 1700000000123456789, "observedTimeUnixNano": "18446744073709551615",
      "body": {"intValue": -9223372036854775808},
      "attributes": [{"key": "big", "value": {"intValue": 9007199254740993}},
                     {"key": "arr", "value": {"arrayValue": {"values": [{"intValue": 1234567890123456789}]}}},
                     {"key": "d", "value": {"doubleValue": 1234567890.1234567}},
                     {"key": "s", "value": {"stringValue": "12345678901234567890 stays text"}}]}]}]}]}`;
    const { records } = decodeOtlpLogsJson(text, ctx);
    assert.equal(records[0]?.timeUnixNano, 1_700_000_000_123_456_789n);
    // Beyond a LogRecord's signed 64-bit nanoseconds (the year 2262): the receive time stands in.
    assert.equal(records[0]?.observedTimeUnixNano, ctx.observedTimeUnixNano);
    assert.equal(records[0]?.body, '-9223372036854775808');
    assert.deepEqual(records[0]?.parseFlags, ['body_json']);
    assert.deepEqual(records[0]?.attributes, {
      big: '9007199254740993',
      arr: '[1234567890123456789]',
      d: String(1234567890.1234567),
      s: '12345678901234567890 stays text',
    });
  });

  it('accepts severity names, snake_case keys, null as unset, and UTF-8 bytes', () => {
    const text = JSON.stringify({
      resource_logs: [
        {
          resource: null,
          scope_logs: [
            {
              scope: null,
              log_records: [
                { severity_number: 'SEVERITY_NUMBER_WARN2', severity_text: 'warn', trace_id: TRACE, span_id: null, body: null },
                { severityNumber: 'SEVERITY_NUMBER_FATAL4', time_unix_nano: 7, attributes: null },
              ],
            },
          ],
        },
      ],
    });
    const { records } = decodeOtlpLogsJson(new TextEncoder().encode(text), ctx);
    assert.deepEqual(
      records.map((r) => [r.severityNumber, r.severityText, r.traceId, r.spanId, r.body, r.timeUnixNano]),
      [
        [14, 'warn', TRACE, '', '', 0n],
        [24, '', '', '', '', 7n],
      ],
    );
  });

  it('decodes bytes values from base64 (standard and URL-safe) and doubles spelled as strings', () => {
    const record = decodeOne({
      attributes: [
        { key: 'b64', value: { bytesValue: 'AAH+/w==' } },
        { key: 'b64url', value: { bytesValue: 'AAH-_w' } },
        { key: 'nan', value: { doubleValue: 'NaN' } },
        { key: 'inf', value: { doubleValue: 'Infinity' } },
        { key: 'str', value: { doubleValue: '2.5' } },
        { key: 'unset', value: {} },
      ],
    });
    assert.deepEqual(record.attributes, { b64: 'AAH+/w==', b64url: 'AAH+/w==', nan: 'NaN', inf: 'Infinity', str: '2.5', unset: '' });
  });

  it('accepts an already parsed object, bigint values included', () => {
    const { records } = decodeOtlpLogsJson(
      { resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: 1_700_000_000_000_000_001n, body: { stringValue: 'x' } }] }] }] },
      ctx,
    );
    assert.equal(records[0]?.timeUnixNano, 1_700_000_000_000_000_001n);
  });

  it('rejects records whose ids are not hex or have the wrong length, or whose severity is unknown', () => {
    const result = decodeOtlpLogsJson(
      request([
        { body: { stringValue: 'ok' }, traceId: '', spanId: '' },
        { traceId: 'CvdlGRbNQ92ESOshHIAxnA==' },
        { traceId: TRACE, spanId: 'abc' },
        { traceId: TRACE.slice(2) },
        { severityNumber: 'SEVERITY_NUMBER_LOUD' },
        { severityNumber: -1 },
        { body: { stringValue: 'ok too' }, traceId: '00000000000000000000000000000000', spanId: '0000000000000000' },
      ]),
      ctx,
    );
    assert.deepEqual(result.records.map((r) => [r.body, r.traceId, r.spanId]), [['ok', '', ''], ['ok too', '', '']]);
    assert.equal(result.rejected, 5);
    const at = 'resourceLogs[0].scopeLogs[0].logRecords';
    assert.deepEqual(result.errors, [
      `${at}[1].traceId: "CvdlGRbNQ92ESOshHIAxnA==" is not hex (OTLP/JSON spells ids in hex, not base64)`,
      `${at}[2].spanId: "abc" is not hex (OTLP/JSON spells ids in hex, not base64)`,
      `${at}[3]: traceId has 15 bytes, expected 16 (32 hex digits)`,
      `${at}[4].severityNumber: unknown severity "SEVERITY_NUMBER_LOUD"`,
      `${at}[5]: severityNumber -1 is outside 0-24`,
    ]);
  });

  it('throws OtlpDecodeError for text that is not JSON', () => {
    for (const text of ['', '{"resourceLogs": [', 'resourceLogs', '{"a": 12345678901234567890']) {
      assert.throws(
        () => decodeOtlpLogsJson(text, ctx),
        (err: unknown) => err instanceof OtlpDecodeError && err.message.startsWith('invalid JSON: '),
      );
    }
    assertDecodeError(new Uint8Array([0x7b, 0xff, 0x7d]), 'invalid JSON: the body is not valid UTF-8');
  });

  it('throws OtlpDecodeError naming the path of a value of the wrong type', () => {
    const at = 'resourceLogs[0].scopeLogs[0].logRecords[0]';
    assertDecodeError('[]', '(root): expected an object, got an array');
    assertDecodeError('{"resourceLogs": {}}', 'resourceLogs: expected an array, got an object');
    assertDecodeError('{"resourceLogs": [{"scopeLogs": [{"logRecords": [42]}]}]}', `${at}: expected an object, got number 42`);
    assertDecodeError(request([{ timeUnixNano: 'soon' }]), `${at}.timeUnixNano: expected an unsigned 64-bit integer (decimal string or number), got the string "soon"`);
    assertDecodeError(request([{ timeUnixNano: '-1' }]), `${at}.timeUnixNano: expected an unsigned 64-bit integer (decimal string or number), got the string "-1"`);
    assertDecodeError(request([{ timeUnixNano: '18446744073709551616' }]), `${at}.timeUnixNano: expected an unsigned 64-bit integer, got the string "18446744073709551616"`);
    assertDecodeError(request([{ timeUnixNano: 1.5 }]), `${at}.timeUnixNano: expected an unsigned 64-bit integer (decimal string or number), got number 1.5`);
    assertDecodeError(request([{ severityText: 3 }]), `${at}.severityText: expected a string, got number 3`);
    assertDecodeError(request([{ traceId: 12 }]), `${at}.traceId: expected a string, got number 12`);
    assertDecodeError(request([{ flags: -1 }]), `${at}.flags: expected an unsigned 32-bit integer, got number -1`);
    assertDecodeError(request([{ attributes: [{ key: 'k', value: { intValue: '9223372036854775808' } }] }]), `${at}.attributes[0].value.intValue: expected a 64-bit integer, got the string "9223372036854775808"`);
    assertDecodeError(request([{ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] }]), `${at}.attributes[0].value.boolValue: expected true or false, got the string "yes"`);
    assertDecodeError(request([{ attributes: [{ key: 'k', value: { bytesValue: 'not base64!' } }] }]), `${at}.attributes[0].value.bytesValue: expected base64 bytes, got the string "not base64!"`);
    assertDecodeError(request([{ body: { stringValue: 'a', intValue: 1 } }]), `${at}.body: AnyValue sets more than one value (stringValue, intValue)`);
    assertDecodeError(request([{ body: { arrayValue: { values: [{ kvlistValue: { values: [{ key: 1 }] } }] } } }]), `${at}.body.arrayValue.values[0].kvlistValue.values[0].key: expected a string, got number 1`);
    assertDecodeError(request([], [{ key: 'k', value: 'v' }]), 'resourceLogs[0].resource.attributes[0].value: expected an object, got the string "v"');
  });

  it('refuses AnyValues nested deeper than the limit', () => {
    let body: object = { stringValue: 'leaf' };
    for (let i = 0; i < 40; i++) body = { arrayValue: { values: [body] } };
    assert.throws(() => decodeOtlpLogsJson(request([{ body }]), ctx), /AnyValue nested deeper than 32 levels/);
  });

  it('throws OtlpTooManyRecordsError above maxRecords before reading any record', () => {
    // The second record is malformed: the limit is checked first, so the limit error wins.
    const text = request([{}, { timeUnixNano: 'bad' }]);
    assert.throws(() => decodeOtlpLogsJson(text, { ...ctx, maxRecords: 1 }), OtlpTooManyRecordsError);
  });

  it('decodes an empty object as an empty request and ignores unknown keys', () => {
    assert.deepEqual(decodeOtlpLogsJson('{}', ctx), { records: [], rejected: 0, errors: [] });
    const record = decodeOne({ body: { stringValue: 'x' }, somethingNew: { a: 1 }, droppedAttributesCount: 3 });
    assert.equal(record.body, 'x');
  });
});
