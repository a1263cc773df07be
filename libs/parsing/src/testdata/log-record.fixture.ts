// A fresh ingest.logs record as the collectors write it: nothing parsed yet.
import type { LogRecord } from '@sextant/contracts';

export function rawRecord(body: string, overrides: Partial<LogRecord> = {}): LogRecord {
  return {
    tenant: 'acme',
    timeUnixNano: 0n,
    observedTimeUnixNano: 1_800_000_000_000_000_000n,
    severityNumber: 0,
    severityText: '',
    body,
    attributes: {},
    resource: { 'service.name': 'cart' },
    scopeName: '',
    scopeVersion: '',
    traceId: '',
    spanId: '',
    traceFlags: 0,
    serviceName: 'cart',
    source: 'agent',
    stream: 'stdout',
    k8s: null,
    parseFlags: [],
    ...overrides,
  };
}
