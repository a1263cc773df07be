/**
 * What `migrate()` does for metrics after the versioned sequence: creates the rollup table of every configured
 * resolution (a resolution added to the config gets its table on the next start; one removed keeps its table
 * and data, which expire by their TTL), and brings the TTL of every metric table in line with the config, as
 * a metadata-only `MODIFY TTL` (`materialize_ttl_after_modify = 0`: no part is rewritten). Every statement is
 * idempotent, so two processes starting together are safe.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../clickhouse.config';
import { rollupTableName } from '../metrics-storage.config';
import { qualifiedTable } from '../sql-identifier';
import { metricRollupTableDdl, windowStartTtl } from '../tables/metric-rollups.table';
import { timeUnixTtl } from '../tables/otel-metrics.table';

/** A metric table, the TTL clause its config asks for, and how to find the day count in `engine_full`. */
interface RetentionTarget {
  table: string;
  days: number;
  clause: (days: number) => string;
  pattern: RegExp;
}

const TIME_UNIX_TTL = /\bTTL\s+toDateTime\(TimeUnix\)\s*\+\s*toIntervalDay\((\d+)\)/;
const DATE_TTL = /\bTTL\s+Date\s*\+\s*toIntervalDay\((\d+)\)/;
const WINDOW_START_TTL = /\bTTL\s+toDateTime\(WindowStart\)\s*\+\s*toIntervalDay\((\d+)\)/;

function retentionTargets(config: ClickHouseConfig): RetentionTarget[] {
  const m = config.metrics;
  const t = m.tables;
  const timeUnix = (table: string): RetentionTarget => ({ table, days: m.ttlDays, clause: timeUnixTtl, pattern: TIME_UNIX_TTL });
  return [
    ...[t.gauge, t.sum, t.histogram, t.expHistogram, t.summary, t.samples, t.nativeHistograms].map(timeUnix),
    { table: t.series, days: m.ttlDays, clause: (days) => `TTL Date + toIntervalDay(${days})`, pattern: DATE_TTL },
    ...m.rollups.map((r) => ({ table: rollupTableName(t, r.resolutionSeconds), days: r.ttlDays, clause: windowStartTtl, pattern: WINDOW_START_TTL })),
  ];
}

/** Retention in days a table declares: a number, null without such a TTL, undefined when the table is missing. */
export async function readTableTtlDays(client: ClickHouseClient, database: string, table: string, pattern: RegExp): Promise<number | null | undefined> {
  const result = await client.query({
    query: 'SELECT engine_full FROM system.tables WHERE database = {database:String} AND name = {table:String}',
    query_params: { database, table },
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ engine_full: string }>();
  if (rows[0] === undefined) return undefined;
  const match = pattern.exec(rows[0].engine_full);
  return match === null ? null : Number(match[1]);
}

/** Creates the configured rollup tables that do not exist yet. */
export async function createMetricRollupTables(client: ClickHouseClient, config: ClickHouseConfig): Promise<void> {
  for (const r of config.metrics.rollups) {
    const table = qualifiedTable(config.database, rollupTableName(config.metrics.tables, r.resolutionSeconds));
    await client.command({ query: metricRollupTableDdl(table, r.ttlDays) });
  }
}

/** Applies the configured retention to every metric table that declares another; returns the tables changed. */
export async function reconcileMetricTtls(client: ClickHouseClient, config: ClickHouseConfig): Promise<string[]> {
  const changed: string[] = [];
  for (const target of retentionTargets(config)) {
    const current = await readTableTtlDays(client, config.database, target.table, target.pattern);
    if (current === undefined || current === target.days) continue;
    await client.command({
      query: `ALTER TABLE ${qualifiedTable(config.database, target.table)} MODIFY ${target.clause(target.days)}`,
      clickhouse_settings: { materialize_ttl_after_modify: 0 },
    });
    changed.push(target.table);
  }
  return changed;
}
