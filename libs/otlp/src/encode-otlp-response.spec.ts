import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { JsonLogsSerializer, JsonMetricsSerializer, ProtobufLogsSerializer, ProtobufMetricsSerializer } from '@opentelemetry/otlp-transformer';
import {
  encodeExportLogsResponseJson,
  encodeExportLogsResponseProtobuf,
  encodeExportMetricsResponseJson,
  encodeExportMetricsResponseProtobuf,
  encodeStatusJson,
  encodeStatusProtobuf,
  GrpcStatusCode,
  metricsPartialSuccessOf,
  partialSuccessOf,
} from './encode-otlp-response';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('ExportLogsServiceResponse encoders', () => {
  it('encodes a full success as an empty protobuf message and {} in JSON', () => {
    assert.equal(encodeExportLogsResponseProtobuf().length, 0);
    assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(encodeExportLogsResponseProtobuf()), {});
    assert.equal(encodeExportLogsResponseJson(), '{}');
  });

  it('encodes a partial success the OpenTelemetry SDK reads back', () => {
    const partial = { rejectedLogRecords: 3, errorMessage: 'traceId has 15 bytes' };
    const bytes = encodeExportLogsResponseProtobuf(partial);
    // field 1 (partial_success) { field 1 varint 3, field 2 "traceId has 15 bytes" }
    assert.equal(hex(bytes), `0a18080312${Buffer.from([20]).toString('hex')}${Buffer.from('traceId has 15 bytes').toString('hex')}`);
    assert.deepEqual(ProtobufLogsSerializer.deserializeResponse(bytes), { partialSuccess: partial });

    const json = encodeExportLogsResponseJson({ rejectedLogRecords: 2n, errorMessage: 'bad "ids"' });
    assert.equal(json, '{"partialSuccess":{"rejectedLogRecords":"2","errorMessage":"bad \\"ids\\""}}');
    assert.deepEqual(JsonLogsSerializer.deserializeResponse(new TextEncoder().encode(json)), {
      partialSuccess: { rejectedLogRecords: '2', errorMessage: 'bad "ids"' },
    });
  });

  it('derives the partial success from a decode result', () => {
    assert.equal(partialSuccessOf({ rejected: 0, errors: [] }), undefined);
    assert.deepEqual(partialSuccessOf({ rejected: 2, errors: ['a', 'b'] }), {
      rejectedLogRecords: 2,
      errorMessage: 'a; b',
    });
    assert.deepEqual(partialSuccessOf({ rejected: 25, errors: ['a', 'b'] }), {
      rejectedLogRecords: 25,
      errorMessage: 'a; b; and 23 more',
    });
  });
});

describe('ExportMetricsServiceResponse encoders', () => {
  it('encodes a full success as an empty protobuf message and {} in JSON', () => {
    assert.equal(encodeExportMetricsResponseProtobuf().length, 0);
    assert.deepEqual(ProtobufMetricsSerializer.deserializeResponse(encodeExportMetricsResponseProtobuf()), {});
    assert.equal(encodeExportMetricsResponseJson(), '{}');
  });

  it('encodes rejected_data_points and the message, which the OpenTelemetry SDK reads back', () => {
    const partial = { rejectedDataPoints: 300, errorMessage: 'metric name is empty' };
    const bytes = encodeExportMetricsResponseProtobuf(partial);
    // field 1 (partial_success) { field 1 varint 300 (ac 02), field 2 "metric name is empty" }
    assert.equal(hex(bytes), `0a1908ac021214${Buffer.from('metric name is empty').toString('hex')}`);
    assert.deepEqual(ProtobufMetricsSerializer.deserializeResponse(bytes), { partialSuccess: partial });

    const json = encodeExportMetricsResponseJson({ rejectedDataPoints: 9_007_199_254_740_993n, errorMessage: 'x' });
    assert.equal(json, '{"partialSuccess":{"rejectedDataPoints":"9007199254740993","errorMessage":"x"}}');
    assert.deepEqual(JsonMetricsSerializer.deserializeResponse(new TextEncoder().encode(json)), {
      partialSuccess: { rejectedDataPoints: '9007199254740993', errorMessage: 'x' },
    });
  });

  it('leaves a zero count off the wire (a warning with everything accepted)', () => {
    assert.equal(hex(encodeExportMetricsResponseProtobuf({ rejectedDataPoints: 0, errorMessage: 'w' })), '0a03120177');
  });

  it('derives the partial success from a decode result', () => {
    assert.equal(metricsPartialSuccessOf({ rejected: 0, errors: [] }), undefined);
    assert.deepEqual(metricsPartialSuccessOf({ rejected: 30, errors: ['a'] }), { rejectedDataPoints: 30, errorMessage: 'a; and 29 more' });
  });
});

describe('google.rpc.Status encoders', () => {
  it('encodes code, message and Any details with the Status field numbers', () => {
    const bytes = encodeStatusProtobuf({
      code: GrpcStatusCode.INVALID_ARGUMENT,
      message: 'bad',
      details: [{ typeUrl: 't/x', value: new Uint8Array([1, 2]) }],
    });
    // 08 03 (code=3) | 12 03 "bad" | 1a 09 { 0a 03 "t/x" | 12 02 01 02 }
    assert.equal(hex(bytes), '0803' + '1203626164' + '1a09' + '0a03742f78' + '12020102');
  });

  it('omits a zero code and empty details on the wire', () => {
    assert.equal(hex(encodeStatusProtobuf({ code: GrpcStatusCode.OK, message: 'ok' })), '12026f6b');
  });

  it('encodes the JSON form with all three fields', () => {
    assert.deepEqual(JSON.parse(encodeStatusJson({ code: 3, message: 'invalid JSON: Unexpected end' })), {
      code: 3,
      message: 'invalid JSON: Unexpected end',
      details: [],
    });
    assert.deepEqual(
      JSON.parse(encodeStatusJson({ code: 8, message: 'm', details: [{ typeUrl: 'type.googleapis.com/x.Y', value: new Uint8Array([255]) }] })),
      { code: 8, message: 'm', details: [{ '@type': 'type.googleapis.com/x.Y', value: '/w==' }] },
    );
  });
});
