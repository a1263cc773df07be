/** The ingest stage's own metrics: requests by protocol and status, records accepted and rejected, latency. */
import { Inject, Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@sextant/telemetry';

@Injectable()
export class IngestMetrics {
  private readonly requests: Counter<'protocol' | 'code'>;
  private readonly recordsTotal: Counter<'protocol' | 'outcome'>;
  private readonly duration: Histogram<'protocol'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.requests = new Counter({ name: 'sextant_ingest_requests_total', help: 'Ingest HTTP requests by protocol and status code.', labelNames: ['protocol', 'code'], registers: [registry] });
    this.recordsTotal = new Counter({ name: 'sextant_ingest_records_total', help: 'Records received, by protocol and outcome (accepted, rejected).', labelNames: ['protocol', 'outcome'], registers: [registry] });
    this.duration = new Histogram({
      name: 'sextant_ingest_request_duration_seconds',
      help: 'Time from request to answer, including the wait for Kafka acknowledgements.',
      labelNames: ['protocol'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
  }

  startRequest(protocol: string): (code: number) => void {
    const end = this.duration.startTimer({ protocol });
    return (code) => {
      end();
      this.requests.inc({ protocol, code: String(code) });
    };
  }

  records(protocol: string, accepted: number, rejected: number): void {
    if (accepted > 0) this.recordsTotal.inc({ protocol, outcome: 'accepted' }, accepted);
    if (rejected > 0) this.recordsTotal.inc({ protocol, outcome: 'rejected' }, rejected);
  }
}
