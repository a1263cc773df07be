/** Root module of the sink stage: telemetry endpoints and the logs sink with its exactly-once partition writer. */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { LogPartitionWriter } from './log-partition-writer';
import { LogsSink } from './logs.sink';
import type { SinkResources } from './sink-resources';

@Module({})
export class SinkModule {
  static forRoot(runtime: StageRuntime, resources: SinkResources): DynamicModule {
    return {
      module: SinkModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [LogsSink],
      providers: [{ provide: LogPartitionWriter, useValue: resources.logs }],
    };
  }
}
