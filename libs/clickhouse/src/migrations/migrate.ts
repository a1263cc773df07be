/**
 * Applies pending schema migrations in version order and records each in the migrations table (version,
 * name, checksum, applied_at), then brings the logs TTL in line with config, creates the configured rollup
 * tables and aligns every metric table's TTL. It refuses to start when a recorded migration's checksum
 * differs from the code's (someone edited a shipped migration) or when a pending migration is older than one
 * already applied (two branches merged out of order).
 *
 * Concurrency: ClickHouse has no transactions or advisory locks, so two processes starting together may both
 * see a migration as pending and both run it. That is safe by construction: every statement is idempotent
 * (`IF NOT EXISTS` and friends, checked by a unit test), and the migrations table is a ReplacingMergeTree keyed
 * by version whose readers take the first record per version, so a double record changes nothing. An embedded
 * chDB store has a single owning process, so there the question does not arise.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../clickhouse.config';
import { assertMigrationSequence, migrationChecksum, migrationContext, type Migration, type MigrationContext } from './migration';
import { MIGRATIONS } from './migration-sequence';
import { createMetricRollupTables, reconcileMetricTtls } from './metric-rollup-tables';
import { reconcileLogsTtl } from './reconcile-logs-ttl';

/** One row of the migrations table. */
export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  /** When it was recorded, as the server's `DateTime64(3)` text (UTC for embedded chDB). */
  appliedAt: string;
}

export interface MigrateResult {
  /** Migrations this call ran, in order. */
  applied: Array<{ version: number; name: string }>;
  /** Versions that were already recorded and whose checksums match. */
  alreadyApplied: number[];
  /** Versions recorded by newer code that this code does not know (tolerated: migrations are additive). */
  unknownApplied: number[];
  /** Whether the logs table's TTL was changed to match `logsTtlDays`. */
  ttlChanged: boolean;
  /** Metric tables whose TTL was changed to match `metrics.ttlDays` or their rollup resolution's `ttlDays`. */
  metricTtlsChanged: string[];
}

export interface MigrateOptions {
  /** The sequence to apply; defaults to the lib's own `MIGRATIONS`. */
  migrations?: readonly Migration[];
}

/** A recorded migration no longer matches its code. */
export class MigrationChecksumError extends Error {
  constructor(
    readonly version: number,
    readonly recorded: string,
    readonly expected: string,
  ) {
    super(
      `migration ${version} was applied with checksum ${recorded} but the code now produces ${expected}: ` +
        'a shipped migration was edited; restore it and add a new migration instead',
    );
    this.name = 'MigrationChecksumError';
  }
}

function bootstrapStatements(ctx: MigrationContext): string[] {
  return [
    `CREATE DATABASE IF NOT EXISTS ${ctx.database}`,
    `CREATE TABLE IF NOT EXISTS ${ctx.tables.migrations}
(
    version UInt32,
    name String,
    checksum String,
    applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree
ORDER BY version`,
  ];
}

/** Recorded migrations, first record per version, ascending. */
export async function readAppliedMigrations(client: ClickHouseClient, config: ClickHouseConfig): Promise<AppliedMigration[]> {
  const ctx = migrationContext(config);
  const result = await client.query({
    query: `SELECT version, argMin(name, applied_at) AS name, argMin(checksum, applied_at) AS checksum,
                   toString(min(applied_at)) AS appliedAt
            FROM ${ctx.tables.migrations} GROUP BY version ORDER BY version`,
    format: 'JSONEachRow',
  });
  const rows = await result.json<{ version: number | string; name: string; checksum: string; appliedAt: string }>();
  return rows.map((r) => ({ version: Number(r.version), name: r.name, checksum: r.checksum, appliedAt: r.appliedAt }));
}

/** Applies every pending migration, idempotently; see the module comment for the guarantees. */
export async function migrate(client: ClickHouseClient, config: ClickHouseConfig, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  assertMigrationSequence(migrations);
  const ctx = migrationContext(config);
  for (const statement of bootstrapStatements(ctx)) await client.command({ query: statement });

  const recorded = new Map((await readAppliedMigrations(client, config)).map((m) => [m.version, m]));
  const known = new Set(migrations.map((m) => m.version));
  const result: MigrateResult = {
    applied: [],
    alreadyApplied: [],
    unknownApplied: [...recorded.keys()].filter((v) => !known.has(v)),
    ttlChanged: false,
    metricTtlsChanged: [],
  };
  const pending: Array<{ migration: Migration; checksum: string }> = [];
  for (const migration of migrations) {
    const checksum = migrationChecksum(migration);
    const previous = recorded.get(migration.version);
    if (previous === undefined) {
      pending.push({ migration, checksum });
    } else if (previous.checksum !== checksum) {
      throw new MigrationChecksumError(migration.version, previous.checksum, checksum);
    } else {
      result.alreadyApplied.push(migration.version);
    }
  }
  const newestApplied = Math.max(0, ...recorded.keys());
  const stale = pending.find((p) => p.migration.version < newestApplied);
  if (stale !== undefined) {
    throw new Error(
      `migration ${stale.migration.version} (${stale.migration.name}) is pending but version ${newestApplied} is already applied; ` +
        'give it a version above every applied one',
    );
  }

  for (const { migration, checksum } of pending) {
    for (const statement of migration.up(ctx)) await client.command({ query: statement });
    await client.insert({
      table: ctx.tables.migrations,
      values: [{ version: migration.version, name: migration.name, checksum }],
      format: 'JSONEachRow',
      // Explicit token: on embedded chDB per-query settings persist in the session, so never inherit one.
      clickhouse_settings: { insert_deduplication_token: `migration:${migration.version}:${checksum}` },
    });
    result.applied.push({ version: migration.version, name: migration.name });
  }
  result.ttlChanged = await reconcileLogsTtl(client, config);
  await createMetricRollupTables(client, config);
  result.metricTtlsChanged = await reconcileMetricTtls(client, config);
  return result;
}
