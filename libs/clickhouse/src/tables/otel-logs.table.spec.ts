import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '@sextant/contracts';
import { formatDateTime64Nanos, toOtelLogRow } from './otel-logs.table';

function record(changes: Partial<LogRecord> = {}): LogRecord {
  return {
    tenant: 'acme',
    timeUnixNano: 1_700_000_000_123_456_789n,
    observedTimeUnixNano: 1_700_000_001_000_000_001n,
    severityNumber: 17,
    severityText: 'ERROR',
    body: 'boom',
    attributes: { 'http.method': 'GET' },
    resource: { 'service.name': 'from-resource', 'host.name': 'h1' },
    scopeName: 'scope',
    scopeVersion: '1.0',
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    traceFlags: 1,
    serviceName: 'checkout',
    source: 'otlp',
    stream: 'stderr',
    k8s: { namespace: 'shop', pod: 'checkout-1', podUid: 'uid-1', container: 'app', node: 'n1', labels: { app: 'checkout' } },
    parseFlags: ['json'],
    ...changes,
  };
}

describe('formatDateTime64Nanos', () => {
  it('writes exact decimal seconds with nine fractional digits', () => {
    assert.equal(formatDateTime64Nanos(1_700_000_000_123_456_789n), '1700000000.123456789');
    assert.equal(formatDateTime64Nanos(1_700_000_000_000_000_001n), '1700000000.000000001');
    assert.equal(formatDateTime64Nanos(0n), '0000000000.000000000');
    assert.equal(formatDateTime64Nanos(99_999_999_000_000_005n), '0099999999.000000005');
    // Past 2^53: a float would round the last digits.
    assert.equal(formatDateTime64Nanos(9_007_199_254_740_993_001n), '9007199254.740993001');
  });

  it('clamps to the DateTime64(9) range', () => {
    assert.equal(formatDateTime64Nanos(-5n), '0000000000.000000000');
    assert.equal(formatDateTime64Nanos(2n ** 64n), '9223372036.854775807');
  });
});

describe('toOtelLogRow', () => {
  it('maps every field of a full record', () => {
    const row = toOtelLogRow(record(), { topic: 'sextant.logs', partition: 3, offset: '42' });
    assert.deepEqual(row, {
      Timestamp: '1700000000.123456789',
      TraceId: '0af7651916cd43dd8448eb211c80319c',
      SpanId: 'b7ad6b7169203331',
      TraceFlags: 1,
      SeverityText: 'ERROR',
      SeverityNumber: 17,
      ServiceName: 'checkout',
      Body: 'boom',
      ResourceSchemaUrl: '',
      ResourceAttributes: { 'service.name': 'from-resource', 'host.name': 'h1' },
      ScopeSchemaUrl: '',
      ScopeName: 'scope',
      ScopeVersion: '1.0',
      ScopeAttributes: {},
      LogAttributes: { 'http.method': 'GET' },
      EventName: '',
      Tenant: 'acme',
      ObservedTimestamp: '1700000001.000000001',
      Source: 'otlp',
      Stream: 'stderr',
      ParseFlags: ['json'],
      K8sNamespace: 'shop',
      K8sPod: 'checkout-1',
      K8sPodUid: 'uid-1',
      K8sContainer: 'app',
      K8sNode: 'n1',
      K8sLabels: { app: 'checkout' },
      _KafkaTopic: 'sextant.logs',
      _KafkaPartition: 3,
      _KafkaOffset: '42',
    });
  });

  it('uses the observed time when the event time is 0, and the reverse', () => {
    assert.equal(toOtelLogRow(record({ timeUnixNano: 0n })).Timestamp, '1700000001.000000001');
    const row = toOtelLogRow(record({ observedTimeUnixNano: 0n }));
    assert.equal(row.ObservedTimestamp, '1700000000.123456789');
  });

  it('leaves Kubernetes columns empty when the record has no k8s origin', () => {
    const row = toOtelLogRow(record({ k8s: null }));
    assert.deepEqual(
      [row.K8sNamespace, row.K8sPod, row.K8sPodUid, row.K8sContainer, row.K8sNode, row.K8sLabels],
      ['', '', '', '', '', {}],
    );
  });

  it('clamps severity to 0..24 and trace flags to a byte', () => {
    assert.equal(toOtelLogRow(record({ severityNumber: 99 })).SeverityNumber, 24);
    assert.equal(toOtelLogRow(record({ severityNumber: -3 })).SeverityNumber, 0);
    assert.equal(toOtelLogRow(record({ severityNumber: Number.NaN })).SeverityNumber, 0);
    assert.equal(toOtelLogRow(record({ severityNumber: 9.7 })).SeverityNumber, 9);
    assert.equal(toOtelLogRow(record({ traceFlags: 300 })).TraceFlags, 255);
  });

  it('falls back to the service.name resource attribute', () => {
    assert.equal(toOtelLogRow(record({ serviceName: '' })).ServiceName, 'from-resource');
    assert.equal(toOtelLogRow(record({ serviceName: '', resource: {} })).ServiceName, '');
  });

  it('fills the Kafka columns with zero values without coordinates, and takes bigint offsets', () => {
    const row = toOtelLogRow(record());
    assert.deepEqual([row._KafkaTopic, row._KafkaPartition, row._KafkaOffset], ['', 0, '0']);
    assert.equal(toOtelLogRow(record(), { topic: 't', partition: 0, offset: 2n ** 62n })._KafkaOffset, '4611686018427387904');
    assert.throws(() => toOtelLogRow(record(), { topic: 't', partition: 0, offset: '-1' }), /non-negative integer/);
  });

  it('is deterministic and JSON-encodable (no bigint left in the row)', () => {
    const a = JSON.stringify(toOtelLogRow(record(), { topic: 't', partition: 1, offset: 7n }));
    const b = JSON.stringify(toOtelLogRow(record(), { topic: 't', partition: 1, offset: '7' }));
    assert.equal(a, b);
  });
});
