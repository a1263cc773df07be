/** The store's own metrics, registered on the process registry that /metrics serves. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface StoreMetrics {
  /** Requests waiting for an engine session. */
  queued: Gauge;
  /** Engine sessions running a request. */
  busySessions: Gauge;
  /** Requests refused because the queue was full. */
  rejected: Counter;
  /** Requests answered, by kind (query, insert, ping, ...) and outcome (ok, error). */
  requests: Counter<'kind' | 'outcome'>;
  /** Time a request spent on an engine session, by kind. */
  duration: Histogram<'kind'>;
  /** Engine sessions replaced because a request left state that could not be reset (read-only, failed reset). */
  sessionsReplaced: Counter;
  /** Request body bytes received (after decompression). */
  bodyBytes: Counter;
}

export const STORE_QUEUED_METRIC = 'sextant_store_queued_requests';
export const STORE_REJECTED_METRIC = 'sextant_store_rejected_requests_total';

export function createStoreMetrics(registry: Registry): StoreMetrics {
  const registers = [registry];
  return {
    queued: new Gauge({ name: STORE_QUEUED_METRIC, help: 'Requests waiting for an engine session.', registers }),
    busySessions: new Gauge({ name: 'sextant_store_busy_sessions', help: 'Engine sessions running a request.', registers }),
    rejected: new Counter({ name: STORE_REJECTED_METRIC, help: 'Requests refused with 503 because the queue was full.', registers }),
    requests: new Counter({ name: 'sextant_store_requests_total', help: 'Requests answered, by kind and outcome.', labelNames: ['kind', 'outcome'], registers }),
    duration: new Histogram({
      name: 'sextant_store_request_duration_seconds',
      help: 'Time a request held an engine session, by kind.',
      labelNames: ['kind'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    sessionsReplaced: new Counter({ name: 'sextant_store_sessions_replaced_total', help: 'Engine sessions replaced after a request left state that could not be reset.', registers }),
    bodyBytes: new Counter({ name: 'sextant_store_request_body_bytes_total', help: 'Request body bytes received, after decompression.', registers }),
  };
}
