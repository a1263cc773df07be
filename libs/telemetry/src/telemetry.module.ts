/**
 * Nest module that gives a service its health endpoints and makes the shared logger, metrics registry and
 * readiness checks injectable. Built once in main.ts from objects created before Nest starts, so that
 * startup failures are logged by the same JSON logger.
 */
import { type DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { HealthController, METRICS_REGISTRY } from './health.controller';
import { LivenessChecks } from './liveness-checks';
import { ReadinessChecks } from './readiness-checks';

export const LOGGER = Symbol('LOGGER');

export interface TelemetryModuleOptions {
  logger: Logger;
  metrics: Registry;
  readiness: ReadinessChecks;
  /** Wedge detectors behind /healthz; none (always alive) when absent. */
  liveness?: LivenessChecks;
}

@Global()
@Module({})
export class TelemetryModule {
  static forRoot(opts: TelemetryModuleOptions): DynamicModule {
    return {
      module: TelemetryModule,
      controllers: [HealthController],
      providers: [
        { provide: LOGGER, useValue: opts.logger },
        { provide: METRICS_REGISTRY, useValue: opts.metrics },
        { provide: ReadinessChecks, useValue: opts.readiness },
        { provide: LivenessChecks, useValue: opts.liveness ?? new LivenessChecks() },
      ],
      exports: [LOGGER, METRICS_REGISTRY, ReadinessChecks, LivenessChecks],
    };
  }
}
