/**
 * What every stage module imports: the telemetry endpoints (health, readiness, metrics) built on the
 * runtime's logger, registry and probes, and the runtime itself as an injectable.
 */
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { TelemetryModule } from '@sextant/telemetry';
import { StageRuntime } from './stage-runtime';

@Global()
@Module({})
export class StageCoreModule {
  static forRoot(runtime: StageRuntime): DynamicModule {
    return {
      module: StageCoreModule,
      imports: [TelemetryModule.forRoot({ logger: runtime.logger, metrics: runtime.metrics, readiness: runtime.readiness, liveness: runtime.liveness })],
      providers: [{ provide: StageRuntime, useValue: runtime }],
      exports: [StageRuntime],
    };
  }
}
