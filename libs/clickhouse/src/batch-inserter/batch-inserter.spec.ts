import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClickHouseError, type ClickHouseClient, type InsertParams } from '@clickhouse/client';
import { Registry } from 'prom-client';
import { defaultClickHouseConfig, type ClickHouseConfig } from '../clickhouse.config';
import { BatchInserter } from './batch-inserter';
import { ClickHouseInsertError } from './insert-error';
import type { TaggedRow } from './insert-plan';

type Row = { n: number; bad?: boolean };

/**
 * An in-memory stand-in for a ClickHouse table with token deduplication: it stores rows, drops an insert whose
 * token it has seen, refuses rows marked bad as ClickHouse refuses unparsable data, and fails the next inserts
 * with the scripted errors. Tests assert on what it stored.
 */
class FakeTable {
  readonly rows: Row[] = [];
  readonly tokens = new Set<string>();
  failures: Error[] = [];

  client(): ClickHouseClient {
    const insert = async (params: InsertParams<unknown, Row>) => {
      const failure = this.failures.shift();
      if (failure !== undefined) throw failure;
      const values = params.values as Row[];
      if (values.some((r) => r.bad === true)) throw new ClickHouseError({ message: 'Cannot parse DateTime', code: '41', type: 'CANNOT_PARSE_DATETIME' });
      const token = String(params.clickhouse_settings?.insert_deduplication_token);
      const written = this.tokens.has(token) ? 0 : values.length;
      if (written > 0) {
        this.tokens.add(token);
        this.rows.push(...values);
      }
      return { executed: true, query_id: 'q', response_headers: {}, summary: { written_rows: String(written) } };
    };
    return { insert } as unknown as ClickHouseClient;
  }
}

const serverConfig = (changes: Partial<ClickHouseConfig> = {}): ClickHouseConfig => ({
  ...defaultClickHouseConfig(),
  url: 'http://127.0.0.1:8123',
  insertRetryBaseMs: 1,
  insertRetryMaxMs: 2,
  ...changes,
});
const rowsAt = (partition: number, offsets: number[], bad: number[] = []): Array<TaggedRow<Row>> =>
  offsets.map((o) => ({ row: bad.includes(o) ? { n: o, bad: true } : { n: o }, coords: { topic: 'sextant.logs', partition, offset: String(o) } }));

async function metricValue(registry: Registry, name: string, labels: Record<string, string>): Promise<number> {
  const metric = await registry.getSingleMetric(name)?.get();
  const match = metric?.values.find((v) => Object.entries(labels).every(([k, val]) => v.labels[k] === val));
  return match?.value ?? 0;
}

describe('BatchInserter', () => {
  it('writes each partition once and reports a redelivered batch as deduplicated', async () => {
    const table = new FakeTable();
    const registry = new Registry();
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig(), table: 'otel_logs', registry });
    const batch = [...rowsAt(0, [1, 2, 3]), ...rowsAt(1, [7, 8])];
    const first = await inserter.insert(batch);
    assert.deepEqual(first.chunks.map((c) => [c.partition, c.firstOffset, c.lastOffset, c.deduplicated]), [
      [0, '1', '3', false],
      [1, '7', '8', false],
    ]);
    const again = await inserter.insert([...batch].reverse());
    assert.deepEqual(again.chunks.map((c) => [c.writtenRows, c.deduplicated]), [[0, true], [0, true]]);
    assert.deepEqual(table.rows.map((r) => r.n).sort((a, b) => a - b), [1, 2, 3, 7, 8]);
    assert.equal(await metricValue(registry, 'sextant_clickhouse_rows_inserted_total', { table: 'otel_logs' }), 10);
    assert.equal(await metricValue(registry, 'sextant_clickhouse_rows_deduplicated_total', { table: 'otel_logs' }), 5);
    assert.equal(await metricValue(registry, 'sextant_clickhouse_insert_batches_total', { table: 'otel_logs', outcome: 'inserted' }), 4);
  });

  it('retries transient errors with backoff, then writes once', async () => {
    const table = new FakeTable();
    const registry = new Registry();
    table.failures = [new ClickHouseError({ message: 'Too many parts', code: '252', type: 'TOO_MANY_PARTS' }), new Error('socket hang up')];
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig(), table: 'otel_logs', registry });
    const result = await inserter.insert(rowsAt(0, [1, 2]));
    assert.equal(result.chunks[0]?.attempts, 3);
    assert.deepEqual(table.rows, [{ n: 1 }, { n: 2 }]);
    assert.equal(await metricValue(registry, 'sextant_clickhouse_insert_retries_total', { table: 'otel_logs' }), 2);
  });

  it('gives up after insertMaxAttempts and throws, writing nothing', async () => {
    const table = new FakeTable();
    table.failures = [new Error('ECONNREFUSED'), new Error('ECONNREFUSED'), new Error('ECONNREFUSED')];
    const registry = new Registry();
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig({ insertMaxAttempts: 3 }), table: 'otel_logs', registry });
    await assert.rejects(inserter.insert(rowsAt(0, [1])), (err: unknown) => err instanceof ClickHouseInsertError && err.kind === 'transient' && err.attempts === 3);
    assert.deepEqual(table.rows, []);
    assert.equal(await metricValue(registry, 'sextant_clickhouse_insert_batches_total', { table: 'otel_logs', outcome: 'failed' }), 1);
  });

  it('never retries a fatal error', async () => {
    const table = new FakeTable();
    table.failures = [new ClickHouseError({ message: 'Table does not exist', code: '60', type: 'UNKNOWN_TABLE' })];
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig(), table: 'otel_logs', registry: new Registry() });
    await assert.rejects(inserter.insert(rowsAt(0, [1])), (err: unknown) => err instanceof ClickHouseInsertError && err.kind === 'fatal' && err.attempts === 1 && err.code === 60);
  });

  it('hands back exactly the rows ClickHouse refuses and writes the rest', async () => {
    const table = new FakeTable();
    const registry = new Registry();
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig(), table: 'otel_logs', registry });
    const result = await inserter.insert(rowsAt(4, [10, 11, 12, 13, 14, 15, 16], [12, 15]));
    assert.deepEqual(result.rejected.map((r) => r.coords.offset), ['12', '15']);
    assert.deepEqual(table.rows.map((r) => r.n).sort((a, b) => a - b), [10, 11, 13, 14, 16]);
    assert.equal(result.insertedRows, 5);
    const rejected = result.chunks.filter((c) => c.outcome === 'rejected');
    assert.deepEqual(rejected.map((c) => [c.firstOffset, c.error?.kind, c.error?.code]), [['12', 'data', 41], ['15', 'data', 41]]);
    // Bisection is deterministic: the same bad batch again writes nothing new.
    await inserter.insert(rowsAt(4, [10, 11, 12, 13, 14, 15, 16], [12, 15]));
    assert.equal(table.rows.length, 5);
  });

  it('splits a large partition into maxBatchRows chunks', async () => {
    const table = new FakeTable();
    const inserter = new BatchInserter<Row>({ client: table.client(), config: serverConfig({ maxBatchRows: 2 }), table: 'otel_logs', registry: new Registry() });
    const result = await inserter.insert(rowsAt(0, [1, 2, 3, 4, 5]));
    assert.deepEqual(result.chunks.map((c) => c.rows), [2, 2, 1]);
    assert.equal(table.rows.length, 5);
  });

  it('reports written rows as unknown on embedded chDB', async () => {
    const table = new FakeTable();
    const inserter = new BatchInserter<Row>({ client: table.client(), config: { ...serverConfig(), url: '' }, table: 'otel_logs', registry: new Registry() });
    const result = await inserter.insert(rowsAt(0, [1]));
    assert.deepEqual([result.chunks[0]?.writtenRows, result.chunks[0]?.deduplicated], [null, null]);
  });

  it('stops retrying when aborted', async () => {
    const table = new FakeTable();
    table.failures = [new Error('ECONNRESET'), new Error('ECONNRESET')];
    const config = serverConfig({ insertRetryBaseMs: 10_000, insertRetryMaxMs: 10_000 });
    const inserter = new BatchInserter<Row>({ client: table.client(), config, table: 'otel_logs', registry: new Registry() });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    await assert.rejects(inserter.insert(rowsAt(0, [1]), { signal: controller.signal }), { name: 'AbortError' });
    assert.ok(Date.now() - started < 5_000);
    assert.deepEqual(table.rows, []);
  });

  it('shares metrics between inserters on one registry and refuses bad table names', () => {
    const registry = new Registry();
    const client = new FakeTable().client();
    new BatchInserter<Row>({ client, config: serverConfig(), table: 'otel_logs', registry });
    new BatchInserter<Row>({ client, config: serverConfig(), table: 'otel_traces', registry });
    assert.throws(() => new BatchInserter<Row>({ client, config: serverConfig(), table: 'x; drop', registry }), /table must match/);
  });
});
