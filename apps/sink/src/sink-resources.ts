/**
 * The sink's storage side, created before it consumes anything: the ClickHouse client (a server, or locally the
 * store process, both over ClickHouse's HTTP interface), migrations applied, one exactly-once writer per stored
 * topic (logs, metric samples, metric rollups) with its per-partition leases, and a readiness probe.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ExactlyOnceLogWriter, ExactlyOnceMetricRollupWriter, ExactlyOnceMetricSampleWriter, createClickHouseClient, migrate, pingClickHouse } from '@sextant/clickhouse';
import type { LogRecord, MetricRollup, MetricSample } from '@sextant/contracts';
import type { PartitionLifecycle, TopicPartition } from '@sextant/kafka';
import { retrying, type StageRuntime } from '@sextant/stage-runtime';
import { PartitionWriter } from './partition-writer';
import { clickHouseConfigOf, type SinkStageSettings } from './sink.config';

export interface SinkResources {
  client: ClickHouseClient;
  logs: PartitionWriter<LogRecord>;
  samples: PartitionWriter<MetricSample>;
  rollups: PartitionWriter<MetricRollup>;
  /** Tells every writer of revoked partitions (each drops the leases of its own topic's). */
  lifecycle: PartitionLifecycle;
}

export async function prepareSink(runtime: StageRuntime, settings: SinkStageSettings): Promise<SinkResources> {
  const config = clickHouseConfigOf(settings.clickhouse);
  const client = createClickHouseClient(config);
  const applied = await retrying(runtime.logger, 'ClickHouse migrations', () => migrate(client, config));
  runtime.logger.info({ migrations: applied }, 'ClickHouse schema up to date');
  runtime.readiness.add({
    name: 'clickhouse',
    check: async () => {
      const h = await pingClickHouse(client);
      if (!h.ok) throw new Error(h.error ?? 'ClickHouse does not answer');
    },
  });
  const options = (component: string) => {
    const log = runtime.logger.child({ component });
    return { client, config, registry: runtime.metrics, warn: (msg: string, fields: Record<string, unknown>) => log.warn(fields, msg) };
  };
  const tenant = (r: { tenant: string }): string => r.tenant;
  const logs = new PartitionWriter<LogRecord>(new ExactlyOnceLogWriter(options('exactly-once-log-writer')), tenant);
  const samples = new PartitionWriter<MetricSample>(new ExactlyOnceMetricSampleWriter(options('exactly-once-metric-sample-writer')), tenant);
  const rollups = new PartitionWriter<MetricRollup>(new ExactlyOnceMetricRollupWriter(options('exactly-once-metric-rollup-writer')), tenant);
  const writers = [logs, samples, rollups];
  const lifecycle: PartitionLifecycle = {
    onPartitionsRevoked: (partitions: TopicPartition[]) => {
      for (const w of writers) w.onPartitionsRevoked(partitions);
    },
  };
  return { client, logs, samples, rollups, lifecycle };
}

export async function closeSink(r: SinkResources): Promise<void> {
  await r.client.close();
}
