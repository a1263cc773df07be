/** Root module of the parser stage: telemetry endpoints and the ingest.logs batch handler. */
import { type DynamicModule, Module } from '@nestjs/common';
import { TransactionalOutput } from '@sextant/kafka';
import { DEFAULT_PARSE_OPTIONS } from '@sextant/parsing';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import type { ParserStageSettings } from './parser.config';
import { ParseLogsHandler } from './parse-logs.handler';
import { PARSE_OPTIONS } from './parser.tokens';

@Module({})
export class ParserModule {
  static forRoot(runtime: StageRuntime, settings: ParserStageSettings, output: TransactionalOutput): DynamicModule {
    return {
      module: ParserModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [ParseLogsHandler],
      providers: [
        { provide: TransactionalOutput, useValue: output },
        { provide: PARSE_OPTIONS, useValue: { ...DEFAULT_PARSE_OPTIONS, maxBodyBytes: settings.parser.maxBodyBytes, maxPromotedAttributes: settings.parser.maxAttributes } },
      ],
    };
  }
}
