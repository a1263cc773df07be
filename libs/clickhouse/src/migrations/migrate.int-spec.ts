import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { resolveClickHouseConfig, type ClickHouseConfig } from '../clickhouse.config';
import { createClickHouseClient, pingClickHouse } from '../clickhouse-client.factory';
import { migrate, MigrationChecksumError, readAppliedMigrations } from './migrate';
import { migrationChecksum, type Migration } from './migration';
import { MIGRATIONS } from './migration-sequence';
import { readLogsTtlDays } from './reconcile-logs-ttl';

const first = MIGRATIONS[0] as Migration;
const addColumn = (version: number, column: string): Migration => ({
  version,
  name: `add_${column.toLowerCase()}`,
  up: (ctx) => [`ALTER TABLE ${ctx.tables.logs} ADD COLUMN IF NOT EXISTS ${column} String`],
});

describe('migrate (embedded chDB)', () => {
  let dir: string;
  let config: ClickHouseConfig;
  let client: ClickHouseClient;
  const withDatabase = (database: string, changes: Partial<ClickHouseConfig> = {}): ClickHouseConfig => ({ ...config, database, ...changes });

  async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
  }

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-ch-migrate-'));
    config = resolveClickHouseConfig({ path: join(dir, 'store'), database: 'sextant_it' });
    client = createClickHouseClient(config);
  });

  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports the embedded store ready', async () => {
    assert.deepEqual(await pingClickHouse(client), { ok: true });
  });

  it('applies every migration once and records it; a second run changes nothing', async () => {
    const firstRun = await migrate(client, config);
    assert.deepEqual(firstRun.applied, [
      { version: 1, name: 'create_otel_logs' },
      { version: 2, name: 'create_sink_state' },
      { version: 3, name: 'drop_scope_attribute_indexes' },
      { version: 4, name: 'create_metric_tables' },
    ]);
    assert.deepEqual(firstRun.alreadyApplied, []);
    const secondRun = await migrate(client, config);
    assert.deepEqual(secondRun, { applied: [], alreadyApplied: [1, 2, 3, 4], unknownApplied: [], ttlChanged: false, metricTtlsChanged: [] });
    const recorded = await readAppliedMigrations(client, config);
    assert.equal(recorded.length, 4);
    assert.deepEqual([recorded[0]?.version, recorded[0]?.name, recorded[0]?.checksum], [1, 'create_otel_logs', migrationChecksum(first)]);
    assert.match(recorded[0]?.appliedAt ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/);
  });

  it('creates the logs table with the exporter schema, keys, TTL and skip indexes', async () => {
    const columns = await rows<{ name: string; type: string }>(
      'SELECT name, type FROM system.columns WHERE database = {d:String} AND table = {t:String} ORDER BY position',
      { d: 'sextant_it', t: 'otel_logs' },
    );
    const types = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    assert.deepEqual(
      {
        Timestamp: types.Timestamp,
        TimestampTime: types.TimestampTime,
        TraceId: types.TraceId,
        TraceFlags: types.TraceFlags,
        SeverityText: types.SeverityText,
        SeverityNumber: types.SeverityNumber,
        ServiceName: types.ServiceName,
        Body: types.Body,
        ResourceAttributes: types.ResourceAttributes,
        ScopeAttributes: types.ScopeAttributes,
        LogAttributes: types.LogAttributes,
        Tenant: types.Tenant,
        ObservedTimestamp: types.ObservedTimestamp,
        ParseFlags: types.ParseFlags,
        K8sPod: types.K8sPod,
        K8sLabels: types.K8sLabels,
        _KafkaOffset: types._KafkaOffset,
        _KafkaIndex: types._KafkaIndex,
      },
      {
        Timestamp: 'DateTime64(9)',
        TimestampTime: 'DateTime',
        TraceId: 'String',
        TraceFlags: 'UInt8',
        SeverityText: 'LowCardinality(String)',
        SeverityNumber: 'UInt8',
        ServiceName: 'LowCardinality(String)',
        Body: 'String',
        ResourceAttributes: 'Map(LowCardinality(String), String)',
        ScopeAttributes: 'Map(LowCardinality(String), String)',
        LogAttributes: 'Map(LowCardinality(String), String)',
        Tenant: 'LowCardinality(String)',
        ObservedTimestamp: 'DateTime64(9)',
        ParseFlags: 'Array(LowCardinality(String))',
        K8sPod: 'LowCardinality(String)',
        K8sLabels: 'Map(LowCardinality(String), String)',
        _KafkaOffset: 'UInt64',
        _KafkaIndex: 'Int32',
      },
    );
    const [table] = await rows<{ sorting_key: string; primary_key: string; partition_key: string; engine: string }>(
      'SELECT sorting_key, primary_key, partition_key, engine FROM system.tables WHERE database = {d:String} AND name = {t:String}',
      { d: 'sextant_it', t: 'otel_logs' },
    );
    assert.deepEqual(table, {
      sorting_key: 'Tenant, ServiceName, TimestampTime, Timestamp',
      primary_key: 'Tenant, ServiceName, TimestampTime',
      partition_key: 'toDate(TimestampTime)',
      engine: 'MergeTree',
    });
    assert.equal(await readLogsTtlDays(client, config), 30);
    const indexes = await rows<{ name: string; type: string }>(
      'SELECT name, type FROM system.data_skipping_indices WHERE database = {d:String} AND table = {t:String} ORDER BY name',
      { d: 'sextant_it', t: 'otel_logs' },
    );
    const byName = Object.fromEntries(indexes.map((i) => [i.name, i.type]));
    assert.equal(byName.idx_trace_id, 'bloom_filter');
    assert.equal(byName.idx_body, 'tokenbf_v1');
    assert.equal(byName.idx_log_attr_key, 'bloom_filter');
    assert.equal(indexes.length, 8);
    assert.equal(byName.idx_scope_attr_key, undefined);
    const [state] = await rows<{ sorting_key: string }>('SELECT sorting_key FROM system.tables WHERE database = {d:String} AND name = {t:String}', {
      d: 'sextant_it',
      t: 'sextant_sink_state',
    });
    assert.equal(state?.sorting_key, 'TableName, Topic, Partition, Epoch, Version');
  });

  it('brings the TTL in line with config on the next run', async () => {
    const shorter = { ...config, logsTtlDays: 7 };
    assert.equal((await migrate(client, shorter)).ttlChanged, true);
    assert.equal(await readLogsTtlDays(client, shorter), 7);
    assert.equal((await migrate(client, shorter)).ttlChanged, false);
  });

  it('refuses to run when an applied migration was edited, and records nothing', async () => {
    const edited: Migration = { ...first, up: (ctx) => [...first.up(ctx), `ALTER TABLE ${ctx.tables.logs} ADD COLUMN IF NOT EXISTS Sneaky String`] };
    await assert.rejects(migrate(client, config, { migrations: [edited, addColumn(2, 'Later')] }), (err: unknown) => {
      return err instanceof MigrationChecksumError && err.version === 1 && err.recorded === migrationChecksum(first);
    });
    assert.deepEqual((await readAppliedMigrations(client, config)).map((m) => m.version), [1, 2, 3, 4]);
    const sneaky = await rows('SELECT name FROM system.columns WHERE database = {d:String} AND name IN (\'Sneaky\', \'Later\')', { d: 'sextant_it' });
    assert.deepEqual(sneaky, []);
  });

  it('applies appended migrations in order; older code tolerates them; out-of-order ones are refused', async () => {
    const cfg = withDatabase('sextant_seq');
    const run = await migrate(client, cfg, { migrations: [first, addColumn(3, 'Third')] });
    assert.deepEqual(run.applied.map((m) => m.version), [1, 3]);
    assert.deepEqual((await migrate(client, cfg, { migrations: [first] })).unknownApplied, [3]);
    await assert.rejects(migrate(client, cfg, { migrations: [first, addColumn(2, 'Second'), addColumn(3, 'Third')] }), /migration 2 \(add_second\) is pending but version 3 is already applied/);
  });

  it('survives two migrations racing on a fresh database', async () => {
    const cfg = withDatabase('sextant_race');
    const results = await Promise.all([migrate(client, cfg), migrate(client, cfg)]);
    assert.ok(results.every((r) => r.alreadyApplied.length + r.applied.length === MIGRATIONS.length));
    assert.deepEqual((await readAppliedMigrations(client, cfg)).map((m) => m.version), [1, 2, 3, 4]);
    assert.deepEqual((await migrate(client, cfg)).alreadyApplied, [1, 2, 3, 4]);
  });
});
