/** Root module of the ingest stage: telemetry endpoints, tenant resolution, OTLP receivers, the log publisher. */
import { type DynamicModule, Module } from '@nestjs/common';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { TenantResolver, loadTokensFile } from './auth/tenant-resolver';
import type { IngestStageSettings } from './ingest.config';
import { IngestMetrics } from './ingest.metrics';
import { INGEST_SETTINGS } from './ingest.tokens';
import { LogPublisher } from './logs/log-publisher.service';
import { OtlpLogsController } from './otlp/otlp-logs.controller';

@Module({})
export class IngestModule {
  static forRoot(runtime: StageRuntime, settings: IngestStageSettings): DynamicModule {
    const tenants = new TenantResolver({
      tokens: loadTokensFile(settings.ingest.tokensFile),
      anonymous: settings.ingest.anonymous,
      defaultTenant: settings.ingest.defaultTenant,
    });
    return {
      module: IngestModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [OtlpLogsController],
      providers: [
        { provide: INGEST_SETTINGS, useValue: settings },
        { provide: TenantResolver, useValue: tenants },
        IngestMetrics,
        LogPublisher,
      ],
    };
  }
}
