/** Root module of the scraper stage: the telemetry endpoints (the scraping itself runs outside Nest, in Scraper). */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';

@Module({})
export class ScraperModule {
  static forRoot(runtime: StageRuntime): DynamicModule {
    return { module: ScraperModule, imports: [StageCoreModule.forRoot(runtime)] };
  }
}
