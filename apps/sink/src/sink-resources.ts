/**
 * The sink's storage side, created before it consumes anything: the ClickHouse client (server or embedded),
 * migrations applied, the deduplicating inserter, the offset watermarks, a readiness probe, and — for the
 * embedded store — the read-only query endpoint on a session of its own.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { BatchInserter, createClickHouseClient, isEmbeddedClickHouse, migrate, pingClickHouse, qualifiedTable, type OtelLogRow } from '@sextant/clickhouse';
import type { StageRuntime } from '@sextant/stage-runtime';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_QUERY_LIMITS, startQueryEndpoint } from './query/query-endpoint';
import { OffsetWatermarks } from './offset-watermarks';
import { clickHouseConfigOf, type SinkStageSettings } from './sink.config';

export interface SinkResources {
  client: ClickHouseClient;
  logsInserter: BatchInserter<OtelLogRow>;
  watermarks: OffsetWatermarks;
  queryClient: ClickHouseClient | null;
  queryServer: FastifyInstance | null;
}

export async function prepareSink(runtime: StageRuntime, settings: SinkStageSettings): Promise<SinkResources> {
  const config = clickHouseConfigOf(settings.clickhouse);
  const client = createClickHouseClient(config);
  const applied = await migrate(client, config);
  runtime.logger.info({ migrations: applied }, 'ClickHouse schema up to date');
  runtime.readiness.add({
    name: 'clickhouse',
    check: async () => {
      const h = await pingClickHouse(client);
      if (!h.ok) throw new Error(h.error ?? 'ClickHouse does not answer');
    },
  });
  const logsInserter = new BatchInserter<OtelLogRow>({ client, config, table: config.tables.logs, registry: runtime.metrics });
  const watermarks = new OffsetWatermarks(client, qualifiedTable(config.database, config.tables.logs));
  let queryClient: ClickHouseClient | null = null;
  let queryServer: FastifyInstance | null = null;
  if (isEmbeddedClickHouse(config) && settings.clickhouse.queryEnabled) {
    queryClient = createClickHouseClient(config);
    queryServer = await startQueryEndpoint(queryClient, { host: settings.service.httpHost, port: settings.clickhouse.queryPort, ...DEFAULT_QUERY_LIMITS }, runtime.logger);
  }
  return { client, logsInserter, watermarks, queryClient, queryServer };
}

export async function closeSink(r: SinkResources): Promise<void> {
  await r.queryServer?.close();
  await r.queryClient?.close();
  await r.client.close();
}
