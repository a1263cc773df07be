/** Root module of the sink stage: telemetry endpoints and the logs sink with its inserter and watermarks. */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { LogsSink } from './logs.sink';
import { OffsetWatermarks } from './offset-watermarks';
import type { SinkResources } from './sink-resources';
import { LOGS_INSERTER } from './sink.tokens';

@Module({})
export class SinkModule {
  static forRoot(runtime: StageRuntime, resources: SinkResources): DynamicModule {
    return {
      module: SinkModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [LogsSink],
      providers: [
        { provide: LOGS_INSERTER, useValue: resources.logsInserter },
        { provide: OffsetWatermarks, useValue: resources.watermarks },
      ],
    };
  }
}
