import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ClickHouseError, createClient, type ClickHouseClient } from '@clickhouse/client';
import { BatchInserter, classifyInsertError, createClickHouseClient, migrate, readAppliedMigrations, resolveClickHouseConfig, toOtelLogRow, type ClickHouseConfig, type OtelLogRow, type TaggedRow } from '@sextant/clickhouse';
import type { LogRecord } from '@sextant/contracts';
import { Registry } from 'prom-client';
import { startStore, type StoreProcess } from './store-process.test-helper';

const NOW_NS = BigInt(Math.floor(Date.now() / 1000) - 60) * 1_000_000_000n;

function logRow(i: number, partition = 0, tenant = 'store-it'): TaggedRow<OtelLogRow> {
  const rec: LogRecord = {
    tenant,
    timeUnixNano: NOW_NS + BigInt(i),
    observedTimeUnixNano: NOW_NS + BigInt(i),
    severityNumber: 9,
    severityText: 'INFO',
    body: `line ${i} with 'quotes' and \\ backslash`,
    attributes: { i: String(i) },
    resource: { 'service.name': 'checkout' },
    scopeName: '',
    scopeVersion: '',
    traceId: '',
    spanId: '',
    traceFlags: 0,
    serviceName: 'checkout',
    source: 'otlp',
    stream: '',
    k8s: null,
    parseFlags: [],
  };
  const coords = { topic: 'store-it.logs', partition, offset: String(1000 + i) };
  return { row: toOtelLogRow(rec, coords), coords };
}

describe('store speaks ClickHouse HTTP to @clickhouse/client', () => {
  let dir: string;
  let store: StoreProcess;
  let config: ClickHouseConfig;
  let client: ClickHouseClient;

  async function one<T>(query: string, query_params: Record<string, unknown> = {}, c: ClickHouseClient = client): Promise<T> {
    const rows = await (await c.query({ query, query_params, format: 'JSONEachRow' })).json<T>();
    assert.equal(rows.length, 1, query);
    return rows[0] as T;
  }

  async function failure(p: Promise<unknown>): Promise<ClickHouseError> {
    try {
      await p;
    } catch (err: unknown) {
      assert.ok(err instanceof ClickHouseError, `expected a ClickHouseError, got ${String(err)}`);
      return err;
    }
    assert.fail('expected the request to fail');
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-store-it-'));
    store = await startStore(join(dir, 'data'), { SEXTANT_STORE_READONLY_MAX_RESULT_BYTES: '4096' });
    config = resolveClickHouseConfig({ url: store.url, database: 'store_it' });
    client = createClickHouseClient(config);
  });

  after(async () => {
    await client.close();
    await store.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs the project migrations, and a second run applies nothing', async () => {
    const first = await migrate(client, config);
    assert.ok(first.applied.length >= 1);
    const second = await migrate(client, config);
    assert.equal(second.applied.length, 0);
    assert.equal((await readAppliedMigrations(client, config)).length, first.applied.length);
  });

  it('BatchInserter: the same batch twice (same token) is stored once', async () => {
    const inserter = new BatchInserter<OtelLogRow>({ client, config, table: config.tables.logs, registry: new Registry() });
    const batch = Array.from({ length: 50 }, (_, i) => logRow(i));
    const a = await inserter.insert(batch);
    const b = await inserter.insert(batch);
    assert.equal(a.insertedRows, 50);
    assert.equal(b.insertedRows, 50);
    const row = await one<{ n: string; bodies: string }>(`SELECT toString(count()) AS n, toString(countIf(Body LIKE '%''quotes''%')) AS bodies FROM store_it.otel_logs WHERE Tenant = 'store-it'`);
    assert.deepEqual(row, { n: '50', bodies: '50' });
  });

  it('two writers at once (two sink replicas), each replaying the other, store every row once', async () => {
    const second = createClickHouseClient(config);
    try {
      const writers = [client, second].map((c) => new BatchInserter<OtelLogRow>({ client: c, config, table: config.tables.logs, registry: new Registry() }));
      const batches = (p: number): Array<Array<TaggedRow<OtelLogRow>>> => Array.from({ length: 8 }, (_, b) => Array.from({ length: 25 }, (_, k) => logRow(b * 25 + k, p, 'two-writers')));
      await Promise.all(
        writers.map(async (w, p) => {
          for (const batch of batches(p)) await w.insert(batch);
        }),
      );
      // A rebalance hands each partition to the other replica, which redelivers what it finds.
      await Promise.all(writers.map((w, p) => Promise.all(batches(1 - p).map((batch) => w.insert(batch)))));
      const row = await one<{ n: string; distinct_: string }>(
        "SELECT toString(count()) AS n, toString(uniqExact(_KafkaPartition, _KafkaOffset)) AS distinct_ FROM store_it.otel_logs WHERE Tenant = 'two-writers'",
      );
      assert.deepEqual(row, { n: '400', distinct_: '400' });
    } finally {
      await second.close();
    }
  });

  it("one request's settings do not leak into the next (a token, a limit)", async () => {
    await client.command({ query: 'CREATE TABLE store_it.leak (a UInt32) ENGINE = MergeTree ORDER BY a SETTINGS non_replicated_deduplication_window = 100' });
    await client.insert({ table: 'store_it.leak', values: [{ a: 1 }], format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: 'T' } });
    // Different rows without a token: dropped only if the previous request's token were still set.
    await client.insert({ table: 'store_it.leak', values: [{ a: 2 }, { a: 3 }], format: 'JSONEachRow' });
    assert.deepEqual(await one('SELECT groupArray(a) AS all FROM (SELECT a FROM store_it.leak ORDER BY a)'), { all: [1, 2, 3] });
    await client.command({ query: 'SET max_threads = 1' });
    await one('SELECT 1 AS x', {}, client);
    const s = await one<{ threads: string; token: string }>("SELECT toString(getSetting('max_threads')) AS threads, getSetting('insert_deduplication_token') AS token", {}, client);
    assert.notEqual(s.threads, '1');
    assert.equal(s.token, '');
  });

  it('binds query parameters in the engine; quotes and backslashes cannot break out', async () => {
    const evil = "x' OR 1=1 -- \\' \n\t\\N 🚀";
    const r = await one<{ s: string; n: number; arr: string[]; isnull: number; len: string }>(
      'SELECT {s:String} AS s, {n:UInt32} + 1 AS n, {arr:Array(String)} AS arr, isNull({nul:Nullable(String)}) AS isnull, toString(length({s:String})) AS len',
      { s: evil, n: 41, arr: ['a', 'b c'], nul: null },
    );
    assert.deepEqual(r, { s: evil, n: 42, arr: ['a', 'b c'], isnull: 1, len: String(Buffer.byteLength(evil)) });
    const matched = await one<{ c: string }>("SELECT toString(count()) AS c FROM store_it.otel_logs WHERE Tenant = {t:String}", { t: "store-it' OR '1'='1" });
    assert.equal(matched.c, '0');
  });

  it('a bad row gives a ClickHouseError the sink classifies as data', async () => {
    await client.command({ query: 'CREATE TABLE store_it.typed (a UInt32) ENGINE = MergeTree ORDER BY a' });
    const err = await failure(client.insert({ table: 'store_it.typed', values: [{ a: 'not a number' }], format: 'JSONEachRow' }));
    assert.equal(err.code, '27');
    assert.equal(classifyInsertError(err), 'data');
    const missing = await failure(client.query({ query: 'SELECT * FROM store_it.nope' }));
    assert.equal(missing.code, '60');
  });

  it('accepts the text formats and gzip request bodies, and answers gzip when asked', async () => {
    const gz = createClient({ url: store.url, compression: { request: true, response: true } });
    try {
      await gz.insert({ table: 'store_it.typed', values: [[10], [11]], format: 'JSONCompactEachRow' });
      await gz.insert({ table: 'store_it.typed', values: [{ a: 12 }], format: 'JSONEachRow' });
      await gz.exec({ query: 'INSERT INTO store_it.typed FORMAT TabSeparated', values: Readable.from([Buffer.from('13\n14\n')]) });
      const r = await one<{ all: number[] }>('SELECT groupArray(a) AS all FROM (SELECT a FROM store_it.typed ORDER BY a)', {}, gz);
      assert.deepEqual(r.all, [10, 11, 12, 13, 14]);
      // Binary data cannot pass chDB's string interface intact: refused, not stored corrupted.
      const binary = await failure(gz.exec({ query: 'INSERT INTO store_it.typed FORMAT RowBinary', values: Readable.from([Buffer.from([15, 0, 0, 0])]) }));
      assert.equal(binary.code, '73');
    } finally {
      await gz.close();
    }
  });

  it('readonly=1 refuses writes with code 164, and its caps cannot be lifted', async () => {
    const ro = createClient({ url: store.url, clickhouse_settings: { readonly: '1', max_result_bytes: '1000000000' } });
    try {
      assert.deepEqual(await one('SELECT 1 AS x', {}, ro), { x: 1 });
      assert.equal((await failure(ro.command({ query: 'CREATE TABLE store_it.ro (a UInt8) ENGINE = Memory' }))).code, '164');
      assert.equal((await failure(ro.insert({ table: 'store_it.typed', values: [{ a: 1 }], format: 'JSONEachRow' }))).code, '164');
      assert.equal((await failure(ro.query({ query: 'SELECT 1 SETTINGS max_result_bytes = 100000000' }))).code, '164');
      // The store runs with a 4 KiB result cap for read-only requests; the URL asked for 1 GB.
      assert.equal((await failure(ro.query({ query: 'SELECT number FROM system.numbers LIMIT 100000', format: 'JSONEachRow' }))).code, '396');
      // The writer's session is not read-only afterwards.
      await client.insert({ table: 'store_it.typed', values: [{ a: 20 }], format: 'JSONEachRow' });
    } finally {
      await ro.close();
    }
  });

  it('answers /ping, a GET query read-only, and refuses a write over GET', async () => {
    assert.equal(await (await fetch(`${store.url}/ping`)).text(), 'Ok.\n');
    const get = await fetch(`${store.url}/?query=${encodeURIComponent('SELECT 40 + 2')}`);
    assert.equal(await get.text(), '42\n');
    const write = await fetch(`${store.url}/?query=${encodeURIComponent('INSERT INTO store_it.typed VALUES (99)')}`);
    assert.equal(write.status, 403);
    assert.equal(write.headers.get('x-clickhouse-exception-code'), '164');
  });
});
