import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClickHouseError, createClient, type ClickHouseClient } from '@clickhouse/client';
import { classifyInsertError } from '@sextant/clickhouse';
import { startStore, type StoreProcess } from './store-process.test-helper';

async function metric(store: StoreProcess, name: string): Promise<number> {
  const text = await (await fetch(`${store.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
  return line === undefined ? NaN : Number(line.split(' ').pop());
}

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('store process lifecycle', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-store-life-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged insert across SIGKILL and restart; replays with the same tokens store nothing twice', async () => {
    const data = join(dir, 'kill');
    let store = await startStore(data);
    let client: ClickHouseClient = createClient({ url: store.url });
    await client.command({ query: 'CREATE TABLE default.acked (i UInt32) ENGINE = MergeTree ORDER BY i SETTINGS non_replicated_deduplication_window = 1000' });
    const batch = (b: number): Array<{ i: number }> => Array.from({ length: 100 }, (_, k) => ({ i: b * 100 + k }));
    const insert = (c: ClickHouseClient, b: number): Promise<unknown> =>
      c.insert({ table: 'default.acked', values: batch(b), format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: `batch-${b}` } });
    for (let b = 0; b < 20; b++) await insert(client, b);
    // One more insert in flight when the kill lands: it may or may not be stored, but nothing before it may go.
    const inFlight = insert(client, 50).catch(() => 'failed');
    assert.equal(await store.stop('SIGKILL'), null);
    await inFlight;
    await client.close();

    store = await startStore(data, {}, store.port);
    client = createClient({ url: store.url });
    try {
      const count = async (): Promise<{ acked: string; distinct_: string; total: string }> => {
        const [row] = await (await client.query({ query: 'SELECT toString(countIf(i < 2000)) AS acked, toString(uniqExact(i)) AS distinct_, toString(count()) AS total FROM default.acked', format: 'JSONEachRow' })).json<{ acked: string; distinct_: string; total: string }>();
        return row ?? { acked: '', distinct_: '', total: '' };
      };
      assert.equal((await count()).acked, '2000');
      // A writer that never saw its answers replays everything with the same tokens, the in-flight batch too.
      for (const b of [...Array.from({ length: 20 }, (_, k) => k), 50]) await insert(client, b);
      assert.deepEqual(await count(), { acked: '2000', distinct_: '2100', total: '2100' });
    } finally {
      await client.close();
      assert.equal(await store.stop('SIGTERM'), 0);
    }
  });

  it('SIGTERM lets an in-flight query finish, then exits 0', async () => {
    const store = await startStore(join(dir, 'term'));
    const client = createClient({ url: store.url });
    try {
      const slow = client.query({ query: 'SELECT sleep(1) AS s', format: 'JSONEachRow' }).then((r) => r.json<{ s: number }>());
      await until('the query to hold a session', async () => (await metric(store, 'sextant_store_busy_sessions')) === 1);
      const exited = store.stop('SIGTERM');
      assert.deepEqual(await slow, [{ s: 0 }]);
      assert.equal(await exited, 0);
    } finally {
      await client.close();
    }
  });

  it('a full queue answers 503 with Retry-After and code 202, which writers retry', async () => {
    const store = await startStore(join(dir, 'queue'), { SEXTANT_STORE_SESSIONS: '1', SEXTANT_STORE_MAX_QUEUED: '0', SEXTANT_STORE_RETRY_AFTER_SECONDS: '3' });
    const client = createClient({ url: store.url });
    try {
      const slow = client.query({ query: 'SELECT sleep(1) AS s', format: 'JSONEachRow' }).then((r) => r.json());
      await until('the query to hold the only session', async () => (await metric(store, 'sextant_store_busy_sessions')) === 1);
      const refused = await fetch(`${store.url}/`, { method: 'POST', body: 'SELECT 1' });
      assert.equal(refused.status, 503);
      assert.equal(refused.headers.get('retry-after'), '3');
      assert.equal(refused.headers.get('x-clickhouse-exception-code'), '202');
      const err = await client.query({ query: 'SELECT 2' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ClickHouseError);
      assert.equal(classifyInsertError(err), 'transient');
      await slow;
      assert.equal(await metric(store, 'sextant_store_rejected_requests_total'), 2);
    } finally {
      await client.close();
      await store.stop('SIGTERM');
    }
  });

  it('SEXTANT_STORE_FSYNC turns on MergeTree fsync; a body over the limit is refused as data (413, code 131)', async () => {
    const store = await startStore(join(dir, 'fsync'), { SEXTANT_STORE_FSYNC: 'true', SEXTANT_STORE_MAX_BODY_BYTES: '2048', SEXTANT_STORE_MAX_DECOMPRESSED_BYTES: '2048', SEXTANT_STORE_READONLY_MAX_QUERY_BYTES: '1024' });
    const client = createClient({ url: store.url });
    try {
      const [row] = await (await client.query({ query: "SELECT groupArray(value) AS v FROM system.merge_tree_settings WHERE name IN ('fsync_after_insert', 'fsync_part_directory')", format: 'JSONEachRow' })).json<{ v: string[] }>();
      assert.deepEqual(row?.v, ['1', '1']);
      await client.command({ query: 'CREATE TABLE default.big (s String) ENGINE = MergeTree ORDER BY s' });
      const err = await client.insert({ table: 'default.big', values: [{ s: 'x'.repeat(5000) }], format: 'JSONEachRow' }).then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err instanceof ClickHouseError);
      assert.equal(err.code, '131');
      assert.equal(classifyInsertError(err), 'data');
      await client.insert({ table: 'default.big', values: [{ s: 'small' }], format: 'JSONEachRow' });
      const [n] = await (await client.query({ query: 'SELECT toString(count()) AS n FROM default.big', format: 'JSONEachRow' })).json<{ n: string }>();
      assert.equal(n?.n, '1');
      // Read-only GETs replace their sessions; the replacements still run on the fsync-configured engine.
      for (let i = 0; i < 3; i++) assert.equal(await (await fetch(`${store.url}/?query=SELECT+1`)).text(), '1\n');
      for (let i = 0; i < 2; i++) {
        const [again] = await (await client.query({ query: "SELECT groupArray(value) AS v FROM system.merge_tree_settings WHERE name IN ('fsync_after_insert', 'fsync_part_directory')", format: 'JSONEachRow' })).json<{ v: string[] }>();
        assert.deepEqual(again?.v, ['1', '1']);
      }
    } finally {
      await client.close();
      await store.stop('SIGTERM');
    }
  });

  it('a bad setting exits 2 naming the variable', () => {
    const res = spawnSync(process.execPath, [join(__dirname, 'main.js')], { env: { ...process.env, SEXTANT_STORE_SESSIONS: 'many' }, encoding: 'utf8' });
    assert.equal(res.status, 2);
    assert.match(res.stderr, /SEXTANT_STORE_SESSIONS/);
  });
});
