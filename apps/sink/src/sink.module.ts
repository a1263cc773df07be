/** Root module of the sink stage: telemetry endpoints, and the logs and metrics sinks with their exactly-once partition writers. */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { LogsSink } from './logs.sink';
import { MetricsSink } from './metrics.sink';
import type { SinkResources } from './sink-resources';
import { SINK_RESOURCES } from './sink.tokens';

@Module({})
export class SinkModule {
  static forRoot(runtime: StageRuntime, resources: SinkResources): DynamicModule {
    return {
      module: SinkModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [LogsSink, MetricsSink],
      providers: [{ provide: SINK_RESOURCES, useValue: resources }],
    };
  }
}
