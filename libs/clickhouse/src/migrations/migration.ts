/**
 * What a schema migration is: an ordered, named function from a context (quoted database and table names,
 * retention) to SQL statements. Names reach SQL only through the context, and the context is built from
 * validated identifiers, so no migration can splice user text into DDL. A migration's checksum is taken over
 * the SQL it produces for the *default* config: it changes when the migration is edited, not when a
 * deployment renames its database or tables.
 */
import { createHash } from 'node:crypto';
import { defaultClickHouseConfig, validateClickHouseConfig, type ClickHouseConfig } from '../clickhouse.config';
import type { MetricTablesConfig } from '../metrics-storage.config';
import { qualifiedTable, quoteIdentifier } from '../sql-identifier';

/** Everything a migration may put into its SQL. Names are already validated and back-quoted. */
export interface MigrationContext {
  /** Quoted database name, e.g. `` `sextant` ``. */
  database: string;
  /** Quoted, database-qualified table names, e.g. `` `sextant`.`otel_logs` ``. */
  tables: { logs: string; migrations: string; sinkState: string };
  /** Retention of log rows in days (a validated positive integer). */
  logsTtlDays: number;
  /** Quoted, database-qualified metric table names (rollup tables are created by `migrate()` per resolution). */
  metricTables: Omit<MetricTablesConfig, 'rollupsPrefix'>;
  /** Retention of samples, series, native histograms and `otel_metrics_*` rows in days. */
  metricsTtlDays: number;
}

/**
 * One schema step. Every statement MUST be idempotent (`IF NOT EXISTS`, `IF EXISTS`, `ADD COLUMN IF NOT
 * EXISTS`, ...): two processes may run the same pending migration at once, and a crash between a statement and
 * the record of the migration re-runs it. Data backfills do not belong here.
 */
export interface Migration {
  /** Position in the sequence: a positive integer, strictly increasing, never reused. */
  version: number;
  /** Short snake_case description, recorded with the version. */
  name: string;
  /** The statements to run, in order, one statement per string. */
  up: (ctx: MigrationContext) => string[];
}

/** Builds the context from a config (validating it, so every name is a plain identifier). */
export function migrationContext(config: ClickHouseConfig): MigrationContext {
  validateClickHouseConfig(config);
  return {
    database: quoteIdentifier(config.database),
    tables: {
      logs: qualifiedTable(config.database, config.tables.logs),
      migrations: qualifiedTable(config.database, config.tables.migrations),
      sinkState: qualifiedTable(config.database, config.tables.sinkState),
    },
    logsTtlDays: config.logsTtlDays,
    metricTables: quotedMetricTables(config),
    metricsTtlDays: config.metrics.ttlDays,
  };
}

function quotedMetricTables(config: ClickHouseConfig): MigrationContext['metricTables'] {
  const t = config.metrics.tables;
  const q = (name: string): string => qualifiedTable(config.database, name);
  return {
    gauge: q(t.gauge), sum: q(t.sum), histogram: q(t.histogram), expHistogram: q(t.expHistogram), summary: q(t.summary),
    series: q(t.series), samples: q(t.samples), nativeHistograms: q(t.nativeHistograms),
  };
}

/** sha256 (hex) of the migration's SQL for the default config, statements joined by a NUL. */
export function migrationChecksum(migration: Migration): string {
  const statements = migration.up(migrationContext(defaultClickHouseConfig()));
  return createHash('sha256').update(`${migration.version}\0${migration.name}\0${statements.join('\0')}`).digest('hex');
}

/** Throws unless versions are positive, unique and ascending and every name is snake_case. */
export function assertMigrationSequence(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const m of migrations) {
    if (!Number.isInteger(m.version) || m.version <= previous) {
      throw new Error(`migration versions must be positive integers in ascending order: ${m.version} follows ${previous}`);
    }
    if (!/^[a-z0-9_]+$/.test(m.name)) throw new Error(`migration ${m.version} name must be snake_case, got ${JSON.stringify(m.name)}`);
    previous = m.version;
  }
}
