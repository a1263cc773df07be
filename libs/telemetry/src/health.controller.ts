/**
 * /healthz (the process is alive), /readyz (its dependencies answer and it is not shutting down) and
 * /metrics (Prometheus text format) — the same three endpoints on every stage.
 */
import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { ReadinessChecks, type ReadinessReport } from './readiness-checks';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@Controller()
export class HealthController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly readiness: ReadinessChecks,
  ) {}

  @Get('healthz')
  healthz(): { status: string } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async readyz(): Promise<ReadinessReport> {
    const report = await this.readiness.run();
    if (!report.ready) throw new ServiceUnavailableException(report);
    return report;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
