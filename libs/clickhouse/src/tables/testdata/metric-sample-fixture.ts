/** A `MetricSample` for the metric tests: a remote-written counter of service `checkout`, changed as asked. */
import type { MetricSample } from '@sextant/contracts';

export const T = 1_780_000_000_123_456_789n;

export function sample(changes: Partial<MetricSample> = {}): MetricSample {
  return {
    tenant: 'acme', name: 'http_requests_total', description: 'Requests', unit: '1', type: 'SUM', temporality: 'CUMULATIVE', isMonotonic: true,
    attributes: { method: 'GET' }, resource: { 'service.name': 'checkout' }, serviceName: 'checkout', scopeName: '', scopeVersion: '',
    startTimeUnixNano: 0n, timeUnixNano: T, value: 7, histogram: null, exponentialHistogram: null, summary: null, exemplars: [], flags: 0,
    source: 'remote-write', ...changes,
  };
}
