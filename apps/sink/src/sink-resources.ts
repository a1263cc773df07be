/**
 * The sink's storage side, created before it consumes anything: the ClickHouse client (a server, or locally the
 * store process, both over ClickHouse's HTTP interface), migrations applied, the exactly-once log writer with
 * its per-partition leases, and a readiness probe.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { ExactlyOnceLogWriter, createClickHouseClient, migrate, pingClickHouse } from '@sextant/clickhouse';
import { retrying, type StageRuntime } from '@sextant/stage-runtime';
import { LogPartitionWriter } from './log-partition-writer';
import { clickHouseConfigOf, type SinkStageSettings } from './sink.config';

export interface SinkResources {
  client: ClickHouseClient;
  logs: LogPartitionWriter;
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
  const log = runtime.logger.child({ component: 'exactly-once-log-writer' });
  const writer = new ExactlyOnceLogWriter({ client, config, registry: runtime.metrics, warn: (msg, fields) => log.warn(fields, msg) });
  return { client, logs: new LogPartitionWriter(writer) };
}

export async function closeSink(r: SinkResources): Promise<void> {
  await r.client.close();
}
