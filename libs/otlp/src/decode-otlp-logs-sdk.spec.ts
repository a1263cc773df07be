// Decodes what the real OpenTelemetry JS SDK puts on the wire (its own protobuf writer and JSON serializer,
// independent of our schema text), so a wrong field number or encoding rule on our side fails here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import { SeverityNumber } from '@opentelemetry/api-logs';
import { JsonLogsSerializer, ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import type { LogRecord } from '@sextant/contracts';
import { decodeOtlpLogsJson, decodeOtlpLogsProtobuf, type OtlpDecodeContext } from './decode-otlp-logs';

const ctx: OtlpDecodeContext = { tenant: 'acme', observedTimeUnixNano: 42n };
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';

async function emitWithSdk(): Promise<ReadableLogRecord[]> {
  const exporter = new InMemoryLogRecordExporter();
  const checkout = new LoggerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'k8s.namespace.name': 'shop',
      'k8s.pod.name': 'checkout-5c9d',
      'k8s.pod.uid': '6f1c2b7e',
      'k8s.container.name': 'app',
      'k8s.node.name': 'node-a',
      replicas: 3,
      ratio: 0.5,
      canary: true,
    }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const batch = new LoggerProvider({
    resource: resourceFromAttributes({ 'service.name': 'batch' }),
    processors: [new SimpleLogRecordProcessor({ exporter })],
  });
  const spanContext = trace.setSpanContext(context.active(), { traceId: TRACE, spanId: SPAN, traceFlags: 1 });
  checkout.getLogger('checkout-logger', '1.2.3').emit({
    timestamp: [1_700_000_000, 123_456_789],
    observedTimestamp: [1_700_000_001, 987_654_321],
    severityNumber: SeverityNumber.WARN,
    severityText: 'WARN',
    body: { a: 1, b: [true, 2.5], c: 'str' },
    attributes: {
      s: 'x',
      i: 42,
      safe: Number.MAX_SAFE_INTEGER,
      big: 2 ** 60,
      neg: -42,
      d: 1.5,
      b: false,
      arr: [1, 'two', false],
      kv: { k: 'v', n: 3 },
      bytes: new Uint8Array([1, 2, 255]),
    },
    eventName: 'cart.checkout',
    context: spanContext,
  });
  batch.getLogger('jobs').emit({
    timestamp: [1_600_000_000, 1],
    observedTimestamp: [1_600_000_000, 2],
    severityNumber: SeverityNumber.FATAL4,
    severityText: 'fatal',
    body: 'job failed\nstack line',
  });
  batch.getLogger('jobs').emit({ timestamp: [1_600_000_001, 0], observedTimestamp: [1_600_000_001, 0], body: new Uint8Array([0xde, 0xad]) });
  await Promise.all([checkout.forceFlush(), batch.forceFlush()]);
  return exporter.getFinishedLogRecords();
}

/** What both encodings must decode to, except the one attribute the SDK's JSON writes inexactly (`big`). */
function expectedRecords(big: string): LogRecord[] {
  const checkoutResource = {
    'service.name': 'checkout',
    'k8s.namespace.name': 'shop',
    'k8s.pod.name': 'checkout-5c9d',
    'k8s.pod.uid': '6f1c2b7e',
    'k8s.container.name': 'app',
    'k8s.node.name': 'node-a',
    replicas: '3',
    ratio: '0.5',
    canary: 'true',
  };
  const common = { tenant: 'acme', source: 'otlp', stream: '' };
  return [
    {
      ...common,
      timeUnixNano: 1_700_000_000_123_456_789n,
      observedTimeUnixNano: 1_700_000_001_987_654_321n,
      severityNumber: 13,
      severityText: 'WARN',
      body: '{"a":1,"b":[true,2.5],"c":"str"}',
      attributes: {
        s: 'x',
        i: '42',
        safe: '9007199254740991',
        big,
        neg: '-42',
        d: '1.5',
        b: 'false',
        arr: '[1,"two",false]',
        kv: '{"k":"v","n":3}',
        bytes: 'AQL/',
        'event.name': 'cart.checkout',
      },
      resource: checkoutResource,
      scopeName: 'checkout-logger',
      scopeVersion: '1.2.3',
      traceId: TRACE,
      spanId: SPAN,
      traceFlags: 1,
      serviceName: 'checkout',
      k8s: { namespace: 'shop', pod: 'checkout-5c9d', podUid: '6f1c2b7e', container: 'app', node: 'node-a', labels: {} },
      parseFlags: ['body_json'],
    },
    {
      ...common,
      timeUnixNano: 1_600_000_000_000_000_001n,
      observedTimeUnixNano: 1_600_000_000_000_000_002n,
      severityNumber: 24,
      severityText: 'fatal',
      body: 'job failed\nstack line',
      attributes: {},
      resource: { 'service.name': 'batch' },
      scopeName: 'jobs',
      scopeVersion: '',
      traceId: '',
      spanId: '',
      traceFlags: 0,
      serviceName: 'batch',
      k8s: null,
      parseFlags: [],
    },
    {
      ...common,
      timeUnixNano: 1_600_000_001_000_000_000n,
      observedTimeUnixNano: 1_600_000_001_000_000_000n,
      severityNumber: 0,
      severityText: '',
      body: '"3q0="',
      attributes: {},
      resource: { 'service.name': 'batch' },
      scopeName: 'jobs',
      scopeVersion: '',
      traceId: '',
      spanId: '',
      traceFlags: 0,
      serviceName: 'batch',
      k8s: null,
      parseFlags: ['body_json'],
    },
  ];
}

describe('decoding the OpenTelemetry JS SDK serializers', () => {
  it('decodes ProtobufLogsSerializer output field for field', async () => {
    const bytes = ProtobufLogsSerializer.serializeRequest(await emitWithSdk());
    assert.ok(bytes);
    const result = decodeOtlpLogsProtobuf(bytes, ctx);
    assert.deepEqual(result, { records: expectedRecords('1152921504606846976'), rejected: 0, errors: [] });
  });

  it('decodes JsonLogsSerializer output field for field', async () => {
    const bytes = JsonLogsSerializer.serializeRequest(await emitWithSdk());
    assert.ok(bytes);
    const text = new TextDecoder().decode(bytes);
    // The SDK writes 2^60 as the JS number literal 1152921504606847000; we keep what is on the wire, exactly.
    assert.match(text, /"intValue":1152921504606847000/);
    const result = decodeOtlpLogsJson(text, ctx);
    assert.deepEqual(result, { records: expectedRecords('1152921504606847000'), rejected: 0, errors: [] });
    assert.deepEqual(decodeOtlpLogsJson(bytes, ctx), result);
  });
});
