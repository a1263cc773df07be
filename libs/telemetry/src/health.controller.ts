/**
 * /healthz (the process can still make progress: 503 naming each wedged component), /readyz (its dependencies answer and it is not shutting down) and
 * /metrics (Prometheus text format) — the same three endpoints on every stage.
 */
import { Controller, Get, Header, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { Registry } from 'prom-client';
import { LivenessChecks, type LivenessReport } from './liveness-checks';
import { ReadinessChecks, type ReadinessReport } from './readiness-checks';

export const METRICS_REGISTRY = Symbol('METRICS_REGISTRY');

@Controller()
export class HealthController {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    private readonly readiness: ReadinessChecks,
    private readonly liveness: LivenessChecks,
  ) {}

  @Get('healthz')
  healthz(): LivenessReport {
    const report = this.liveness.run();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
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
