/** Root module of the aggregator stage: telemetry endpoints and the batch handler of its two input topics. */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { AggregateHandler, type AggregatorResources } from './aggregate.handler';
import { AGGREGATOR_RESOURCES } from './aggregator.tokens';

@Module({})
export class AggregatorModule {
  static forRoot(runtime: StageRuntime, resources: AggregatorResources): DynamicModule {
    return {
      module: AggregatorModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [AggregateHandler],
      providers: [{ provide: AGGREGATOR_RESOURCES, useValue: resources }],
    };
  }
}
