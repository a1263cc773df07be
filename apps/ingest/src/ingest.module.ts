/** Root module of the ingest stage: telemetry endpoints, tenant resolution, OTLP (HTTP, gRPC, Collector topics) and remote-write receivers, the log and metric publishers. */
import { type DynamicModule, Module } from '@nestjs/common';
import { TransactionalOutput } from '@sextant/kafka';
import { StageCoreModule, StageRuntime } from '@sextant/stage-runtime';
import { TenantResolver, loadTokensFile } from './auth/tenant-resolver';
import type { IngestStageSettings } from './ingest.config';
import { IngestMetrics } from './ingest.metrics';
import { OtlpTopicsHandler } from './kafka/otlp-topics.handler';
import { INGEST_SETTINGS } from './ingest.tokens';
import { LogPublisher } from './logs/log-publisher.service';
import { MetricPublisher } from './metrics/metric-publisher.service';
import { OtlpGrpcServer } from './otlp/otlp-grpc.server';
import { OtlpLogsController } from './otlp/otlp-logs.controller';
import { OtlpMetricsController } from './otlp/otlp-metrics.controller';
import { OtlpReceivers } from './otlp/otlp-receivers';
import { MetricMetadataCache } from './remote-write/metric-metadata.cache';
import { RemoteWriteController } from './remote-write/remote-write.controller';

@Module({})
export class IngestModule {
  static forRoot(runtime: StageRuntime, settings: IngestStageSettings, output: TransactionalOutput): DynamicModule {
    const tenants = new TenantResolver({
      tokens: loadTokensFile(settings.ingest.tokensFile),
      anonymous: settings.ingest.anonymous,
      defaultTenant: settings.ingest.defaultTenant,
    });
    return {
      module: IngestModule,
      imports: [StageCoreModule.forRoot(runtime)],
      controllers: [OtlpLogsController, OtlpMetricsController, RemoteWriteController, OtlpTopicsHandler],
      providers: [
        { provide: INGEST_SETTINGS, useValue: settings },
        { provide: TransactionalOutput, useValue: output },
        { provide: TenantResolver, useValue: tenants },
        IngestMetrics,
        LogPublisher,
        MetricPublisher,
        MetricMetadataCache,
        OtlpReceivers,
        OtlpGrpcServer,
      ],
    };
  }
}
