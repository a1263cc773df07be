/**
 * Writes metrics into ClickHouse exactly once, as the logs sink does (partition-writer.ts): every sample of
 * `ingest.metrics`, whatever protocol brought it, into the series and samples tables PromQL reads (and, for
 * OTLP sources, the OpenTelemetry exporter's `otel_metrics_*` tables); every window of `metrics.rollups` into
 * the rollup table of its resolution (see libs/clickhouse's ExactlyOnceMetricSampleWriter and
 * ExactlyOnceMetricRollupWriter, and docs/metrics-storage.md).
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import type { ConsumedBatch } from '@sextant/kafka';
import { RethrowErrorsFilter } from '@sextant/stage-runtime';
import type { SinkResources } from './sink-resources';
import { SINK_RESOURCES } from './sink.tokens';

@Controller()
@UseFilters(new RethrowErrorsFilter())
export class MetricsSink {
  constructor(@Inject(SINK_RESOURCES) private readonly resources: SinkResources) {}

  @EventPattern('ingest.metrics')
  async samples(@Payload() batch: ConsumedBatch<MetricSample>): Promise<void> {
    await this.resources.samples.write(batch);
  }

  @EventPattern('metrics.rollups')
  async rollups(@Payload() batch: ConsumedBatch<MetricRollup>): Promise<void> {
    await this.resources.rollups.write(batch);
  }
}
