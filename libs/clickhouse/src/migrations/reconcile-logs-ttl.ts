/**
 * Keeps the logs table's TTL equal to `logsTtlDays` from config. The first migration sets the TTL at creation;
 * later changes to the config are applied here as a metadata-only `MODIFY TTL` (with
 * `materialize_ttl_after_modify = 0`, so no part is rewritten: expired whole-day parts are dropped as merges
 * and the TTL scheduler reach them).
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../clickhouse.config';
import { migrationContext } from './migration';

/**
 * Retention in days currently declared on the logs table: a number, null when the table declares no such TTL,
 * undefined when the table does not exist.
 */
export async function readLogsTtlDays(client: ClickHouseClient, config: ClickHouseConfig): Promise<number | null | undefined> {
  const result = await client.query({
    query: 'SELECT engine_full FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    query_params: { database: config.database, table: config.tables.logs },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ engine_full: string }>();
  if (rows[0] === undefined) return undefined;
  const match = /\bTTL\s+TimestampTime\s*\+\s*toIntervalDay\((\d+)\)/.exec(rows[0].engine_full);
  return match === null ? null : Number(match[1]);
}

/**
 * Applies `config.logsTtlDays` when the table declares another retention; returns whether it changed.
 * A missing table is left alone (it is the migrations' job to create it).
 */
export async function reconcileLogsTtl(client: ClickHouseClient, config: ClickHouseConfig): Promise<boolean> {
  const current = await readLogsTtlDays(client, config);
  if (current === undefined || current === config.logsTtlDays) return false;
  const ctx = migrationContext(config);
  await client.command({
    query: `ALTER TABLE ${ctx.tables.logs} MODIFY TTL TimestampTime + toIntervalDay(${ctx.logsTtlDays})`,
    clickhouse_settings: { materialize_ttl_after_modify: 0 },
  });
  return true;
}
