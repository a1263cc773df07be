import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { decodeOtlpLogsProtobuf, type OtlpDecodeContext } from './decode-otlp-logs';
import { OtlpDecodeError, OtlpTooManyRecordsError } from './otlp-decode.error';
import { MAX_ANY_VALUE_DEPTH } from './otlp-common.model';
import { otlpProtoTypes } from './otlp-proto-root';

const ctx: OtlpDecodeContext = { tenant: 'acme', observedTimeUnixNano: 1_800_000_000_000_000_000n };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

/** Encodes a request given in protobufjs object form (camelCase, 64-bit values as decimal strings). */
function encodeRequest(request: object): Uint8Array {
  const type = otlpProtoTypes().exportLogsServiceRequest;
  return type.encode(type.fromObject(request)).finish();
}

function oneRecord(logRecord: object, resourceAttributes: object[] = []): Uint8Array {
  return encodeRequest({
    resourceLogs: [
      {
        resource: { attributes: resourceAttributes },
        scopeLogs: [{ scope: { name: 'scope', version: '1.0' }, logRecords: [logRecord] }],
      },
    ],
  });
}

describe('decodeOtlpLogsProtobuf', () => {
  it('maps every field of a record', () => {
    const buf = oneRecord(
      {
        timeUnixNano: '1700000000123456789',
        observedTimeUnixNano: '1700000001987654321',
        severityNumber: 17,
        severityText: 'ERROR',
        body: { stringValue: 'disk full\n' },
        attributes: [
          { key: 'path', value: { stringValue: '/var' } },
          { key: 'free', value: { intValue: '0' } },
        ],
        flags: 0x101,
        traceId: Buffer.from(TRACE, 'hex'),
        spanId: Buffer.from(SPAN, 'hex'),
      },
      [
        { key: 'service.name', value: { stringValue: 'checkout' } },
        { key: 'host.name', value: { stringValue: 'node-1' } },
      ],
    );
    const { records, rejected, errors } = decodeOtlpLogsProtobuf(buf, ctx);
    assert.equal(rejected, 0);
    assert.deepEqual(errors, []);
    assert.deepEqual(records, [
      {
        tenant: 'acme',
        timeUnixNano: 1_700_000_000_123_456_789n,
        observedTimeUnixNano: 1_700_000_001_987_654_321n,
        severityNumber: 17,
        severityText: 'ERROR',
        body: 'disk full\n',
        attributes: { path: '/var', free: '0' },
        resource: { 'service.name': 'checkout', 'host.name': 'node-1' },
        scopeName: 'scope',
        scopeVersion: '1.0',
        traceId: TRACE,
        spanId: SPAN,
        traceFlags: 1,
        serviceName: 'checkout',
        source: 'otlp',
        stream: '',
        k8s: null,
        parseFlags: [],
      },
    ]);
  });

  it('formats attribute values of every AnyValue kind, 64-bit integers exactly', () => {
    const buf = oneRecord({
      attributes: [
        { key: 'max', value: { intValue: '9223372036854775807' } },
        { key: 'min', value: { intValue: '-9223372036854775808' } },
        { key: 'bool', value: { boolValue: true } },
        { key: 'false', value: { boolValue: false } },
        { key: 'double', value: { doubleValue: 0.1 } },
        { key: 'nan', value: { doubleValue: NaN } },
        { key: 'inf', value: { doubleValue: -Infinity } },
        { key: 'bytes', value: { bytesValue: Buffer.from([0, 1, 254, 255]) } },
        {
          key: 'array',
          value: { arrayValue: { values: [{ intValue: '1234567890123456789' }, { stringValue: 'a"b' }, {}] } },
        },
        {
          key: 'map',
          value: {
            kvlistValue: {
              values: [
                { key: 'x', value: { doubleValue: 1.5 } },
                { key: 'nested', value: { arrayValue: { values: [{ boolValue: false }, { bytesValue: Buffer.from('hi') }] } } },
                { key: 'x', value: { doubleValue: Infinity } },
              ],
            },
          },
        },
        { key: 'empty', value: {} },
        { key: 'dup', value: { stringValue: 'first' } },
        { key: 'dup', value: { stringValue: 'last' } },
      ],
    });
    const [record] = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.deepEqual(record?.attributes, {
      max: '9223372036854775807',
      min: '-9223372036854775808',
      bool: 'true',
      false: 'false',
      double: '0.1',
      nan: 'NaN',
      inf: '-Infinity',
      bytes: 'AAH+/w==',
      array: '[1234567890123456789,"a\\"b",null]',
      map: '{"x":"Infinity","nested":[false,"aGk="]}',
      empty: '',
      dup: 'last',
    });
  });

  it('JSON-encodes a non-string body and flags it body_json', () => {
    const cases: [object, string][] = [
      [{ kvlistValue: { values: [{ key: 'msg', value: { stringValue: 'hi' } }, { key: 'n', value: { intValue: '-1' } }] } }, '{"msg":"hi","n":-1}'],
      [{ arrayValue: { values: [{ intValue: '1844674407370955161' }, { doubleValue: 2.5 }] } }, '[1844674407370955161,2.5]'],
      [{ intValue: '-9223372036854775808' }, '-9223372036854775808'],
      [{ boolValue: false }, 'false'],
      [{ doubleValue: NaN }, '"NaN"'],
      [{ bytesValue: Buffer.from([255]) }, '"/w=="'],
    ];
    for (const [body, expected] of cases) {
      const [record] = decodeOtlpLogsProtobuf(oneRecord({ body }), ctx).records;
      assert.equal(record?.body, expected);
      assert.deepEqual(record?.parseFlags, ['body_json']);
      assert.doesNotThrow(() => JSON.parse(record?.body ?? ''));
    }
  });

  it('leaves an absent body, zero ids and zero times as unset', () => {
    const buf = oneRecord({
      traceId: Buffer.alloc(16),
      spanId: Buffer.alloc(8),
      timeUnixNano: '0',
      observedTimeUnixNano: '0',
    });
    const [record] = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.equal(record?.body, '');
    assert.deepEqual(record?.parseFlags, []);
    assert.equal(record?.traceId, '');
    assert.equal(record?.spanId, '');
    assert.equal(record?.timeUnixNano, 0n);
    assert.equal(record?.observedTimeUnixNano, ctx.observedTimeUnixNano);
  });

  it('reads fixed64 timestamps exactly, and keeps those beyond a LogRecord\'s signed range as text, flagged', () => {
    const edge = decodeOtlpLogsProtobuf(oneRecord({ timeUnixNano: '9223372036854775807' }), ctx).records[0];
    assert.equal(edge?.timeUnixNano, 9_223_372_036_854_775_807n);
    const buf = oneRecord({ timeUnixNano: '18446744073709551615', observedTimeUnixNano: '9223372036854775808' });
    const [record] = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.equal(record?.timeUnixNano, 0n);
    assert.equal(record?.attributes['sextant.original_timestamp'], '18446744073709551615');
    assert.ok(record?.parseFlags.includes('timestamp_out_of_range'));
    assert.equal(record?.observedTimeUnixNano, ctx.observedTimeUnixNano);
  });

  it('fills k8s from the resource attributes, pod labels included', () => {
    const buf = oneRecord({ body: { stringValue: 'x' } }, [
      { key: 'k8s.namespace.name', value: { stringValue: 'shop' } },
      { key: 'k8s.pod.name', value: { stringValue: 'cart-7d9f' } },
      { key: 'k8s.pod.uid', value: { stringValue: 'uid-1' } },
      { key: 'k8s.container.name', value: { stringValue: 'cart' } },
      { key: 'k8s.node.name', value: { stringValue: 'node-a' } },
      { key: 'k8s.pod.label.app', value: { stringValue: 'cart' } },
      { key: 'k8s.pod.label.__proto__', value: { stringValue: 'odd' } },
    ]);
    const [record] = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.deepEqual(record?.k8s, {
      namespace: 'shop',
      pod: 'cart-7d9f',
      podUid: 'uid-1',
      container: 'cart',
      node: 'node-a',
      labels: JSON.parse('{"app":"cart","__proto__":"odd"}'),
    });
    assert.equal(Object.getPrototypeOf(record?.k8s?.labels), Object.prototype);
    const partial = decodeOtlpLogsProtobuf(oneRecord({}, [{ key: 'k8s.pod.name', value: { stringValue: 'p' } }]), ctx);
    assert.deepEqual(partial.records[0]?.k8s, { namespace: '', pod: 'p', podUid: '', container: '', node: '', labels: {} });
  });

  it('shares one frozen resource map per resource: no record can change another through it', () => {
    const buf = encodeRequest({
      resourceLogs: [
        {
          resource: { attributes: [{ key: 'service.name', value: { stringValue: 'a' } }] },
          scopeLogs: [{ logRecords: [{}, {}] }],
        },
      ],
    });
    const [first, second] = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.ok(first && second);
    assert.throws(() => {
      first.resource['mutated'] = 'yes';
    }, TypeError);
    assert.deepEqual(second.resource, { 'service.name': 'a' });
  });

  it('stores event_name as the event.name attribute unless the record already has one', () => {
    const buf = encodeRequest({
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { eventName: 'session.start' },
                { eventName: 'ignored', attributes: [{ key: 'event.name', value: { stringValue: 'kept' } }] },
              ],
            },
          ],
        },
      ],
    });
    const records = decodeOtlpLogsProtobuf(buf, ctx).records;
    assert.deepEqual(records.map((r) => r.attributes), [{ 'event.name': 'session.start' }, { 'event.name': 'kept' }]);
  });

  it('rejects records with bad ids or severity and keeps the rest (partial success)', () => {
    const buf = encodeRequest({
      resourceLogs: [
        {
          resource: {},
          scopeLogs: [
            {
              scope: { name: 's' },
              logRecords: [
                { body: { stringValue: 'ok-1' } },
                { body: { stringValue: 'short trace' }, traceId: Buffer.alloc(15, 1) },
                { body: { stringValue: 'long span' }, traceId: Buffer.from(TRACE, 'hex'), spanId: Buffer.alloc(9, 1) },
                { body: { stringValue: 'severity' }, severityNumber: 25 },
                { body: { stringValue: 'ok-2' }, severityNumber: 24 },
              ],
            },
          ],
        },
      ],
    });
    const result = decodeOtlpLogsProtobuf(buf, ctx);
    assert.deepEqual(result.records.map((r) => r.body), ['ok-1', 'ok-2']);
    assert.equal(result.rejected, 3);
    assert.deepEqual(result.errors, [
      'resourceLogs[0].scopeLogs[0].logRecords[1]: traceId has 15 bytes, expected 16 (32 hex digits)',
      'resourceLogs[0].scopeLogs[0].logRecords[2]: spanId has 9 bytes, expected 8 (16 hex digits)',
      'resourceLogs[0].scopeLogs[0].logRecords[3]: severityNumber 25 is outside 0-24',
    ]);
  });

  it('caps the reasons it returns but counts every rejection', () => {
    const logRecords = Array.from({ length: 30 }, () => ({ spanId: Buffer.alloc(3, 7) }));
    const result = decodeOtlpLogsProtobuf(encodeRequest({ resourceLogs: [{ scopeLogs: [{ logRecords }] }] }), ctx);
    assert.equal(result.rejected, 30);
    assert.equal(result.errors.length, 20);
    assert.equal(result.records.length, 0);
  });

  it('decodes an empty body as an empty request', () => {
    assert.deepEqual(decodeOtlpLogsProtobuf(new Uint8Array(0), ctx), { records: [], rejected: 0, errors: [] });
  });

  it('throws OtlpDecodeError for bytes that are not an ExportLogsServiceRequest', () => {
    const valid = oneRecord({ body: { stringValue: 'hello' } });
    for (const bad of [valid.subarray(0, valid.length - 3), Buffer.from('{"resourceLogs":[]}'), Buffer.from([0x0a, 0xff])]) {
      assert.throws(
        () => decodeOtlpLogsProtobuf(bad, ctx),
        (err: unknown) =>
          err instanceof OtlpDecodeError && /^invalid OTLP protobuf ExportLogsServiceRequest: /.test(err.message),
      );
    }
  });

  it('refuses AnyValues nested deeper than MAX_ANY_VALUE_DEPTH, and accepts them up to it', () => {
    // Written by hand: protobufjs's fromObject refuses such depth before our decoder would see it.
    const nestedBody = (levels: number): Uint8Array => {
      let anyValue = new protobuf.Writer().uint32((1 << 3) | 2).string('leaf').finish();
      for (let i = 0; i < levels; i++) {
        const arrayValue = new protobuf.Writer().uint32((1 << 3) | 2).bytes(anyValue).finish();
        anyValue = new protobuf.Writer().uint32((5 << 3) | 2).bytes(arrayValue).finish();
      }
      const logRecord = new protobuf.Writer().uint32((5 << 3) | 2).bytes(anyValue).finish();
      const scopeLogs = new protobuf.Writer().uint32((2 << 3) | 2).bytes(logRecord).finish();
      const resourceLogs = new protobuf.Writer().uint32((2 << 3) | 2).bytes(scopeLogs).finish();
      return new protobuf.Writer().uint32((1 << 3) | 2).bytes(resourceLogs).finish();
    };
    const [record] = decodeOtlpLogsProtobuf(nestedBody(MAX_ANY_VALUE_DEPTH), ctx).records;
    assert.equal(record?.body, `${'['.repeat(MAX_ANY_VALUE_DEPTH)}"leaf"${']'.repeat(MAX_ANY_VALUE_DEPTH)}`);
    assert.throws(
      () => decodeOtlpLogsProtobuf(nestedBody(MAX_ANY_VALUE_DEPTH + 1), ctx),
      (err: unknown) => err instanceof OtlpDecodeError && err.message === `AnyValue nested deeper than ${MAX_ANY_VALUE_DEPTH} levels`,
    );
    assert.throws(() => decodeOtlpLogsProtobuf(nestedBody(200), ctx), OtlpDecodeError);
  });

  it('throws OtlpTooManyRecordsError above maxRecords, counting across resources and scopes', () => {
    const buf = encodeRequest({
      resourceLogs: [
        { scopeLogs: [{ logRecords: [{}, {}] }, { logRecords: [{}] }] },
        { scopeLogs: [{ logRecords: [{}] }] },
      ],
    });
    assert.equal(decodeOtlpLogsProtobuf(buf, { ...ctx, maxRecords: 4 }).records.length, 4);
    assert.throws(
      () => decodeOtlpLogsProtobuf(buf, { ...ctx, maxRecords: 3 }),
      (err: unknown) => err instanceof OtlpTooManyRecordsError && err.count === 4 && err.limit === 3,
    );
  });
});
