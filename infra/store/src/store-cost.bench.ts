/**
 * What a request through the store costs: wall time per request and CPU of the store process, for small
 * queries (one that undoes its settings, a read-only one that replaces its session, /ping) and for the sink's
 * BatchInserter writing 10,000-row batches into otel_logs; the last one also in-process (embedded chDB), for
 * comparison; and how long the store takes from a SIGKILL to ready again. Run after a build: `node infra/store/dist/store-cost.bench.js` (embedded last: it binds the
 * engine to this process).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient, type ClickHouseClient } from '@clickhouse/client';
import { BatchInserter, createClickHouseClient, migrate, resolveClickHouseConfig, toOtelLogRow, type ClickHouseConfig, type OtelLogRow, type TaggedRow } from '@sextant/clickhouse';
import { Registry } from 'prom-client';
import { startStore } from './store-process.test-helper';

const ROWS = 10_000;
const NOW_NS = BigInt(Math.floor(Date.now() / 1000) - 60) * 1_000_000_000n;

/** CPU time (user + system) of a process so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMsOf(pid: number): number {
  const fields = (readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1] ?? '').split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function batch(b: number): Array<TaggedRow<OtelLogRow>> {
  return Array.from({ length: ROWS }, (_, i) => {
    const coords = { topic: 'bench.logs', partition: 0, offset: String(b * ROWS + i) };
    const rec = { tenant: 'bench', timeUnixNano: NOW_NS + BigInt(i), observedTimeUnixNano: NOW_NS, severityNumber: 9, severityText: 'INFO', body: `GET /api/v1/items?id=${i} 200 12ms`, attributes: { 'http.method': 'GET', i: String(i) }, resource: { 'service.name': 'checkout' }, scopeName: '', scopeVersion: '', traceId: 'abcdef0123456789abcdef0123456789', spanId: '0123456789abcdef', traceFlags: 1, serviceName: 'checkout', source: 'otlp', stream: '', k8s: null, parseFlags: [] };
    return { row: toOtelLogRow(rec, coords), coords };
  });
}

async function insertCost(label: string, client: ClickHouseClient, config: ClickHouseConfig, serverCpu: () => number): Promise<void> {
  await migrate(client, config);
  const inserter = new BatchInserter<OtelLogRow>({ client, config, table: config.tables.logs, registry: new Registry() });
  await inserter.insert(batch(99));
  const batches = Array.from({ length: 5 }, (_, b) => batch(b));
  const own = process.cpuUsage();
  const server = serverCpu();
  const started = Date.now();
  for (const b of batches) await inserter.insert(b);
  const n = batches.length;
  const ownMs = (process.cpuUsage(own).user + process.cpuUsage(own).system) / 1000;
  console.log(`${label}: ${((Date.now() - started) / n).toFixed(0)} ms wall, ${(ownMs / n).toFixed(0)} ms CPU here, ${((serverCpu() - server) / n).toFixed(0)} ms CPU in the store, per ${ROWS}-row insert`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sextant-store-bench-'));
  const store = await startStore(join(dir, 'store'));
  const pid = store.child.pid ?? 0;
  const client = createClient({ url: store.url });
  const small: Array<[string, () => Promise<unknown>]> = [
    ['POST SELECT 1', () => client.query({ query: 'SELECT 1' }).then((r) => r.text())],
    ['read-only SELECT (GET, session replaced)', () => client.ping({ select: true })],
    ['GET /ping', () => client.ping()],
  ];
  for (const [label, send] of small) {
    const cpu = cpuMsOf(pid);
    const started = Date.now();
    for (let i = 0; i < 100; i++) await send();
    console.log(`${label}: ${((Date.now() - started) / 100).toFixed(1)} ms wall, ${((cpuMsOf(pid) - cpu) / 100).toFixed(1)} ms store CPU per request`);
  }
  await client.close();
  const config = resolveClickHouseConfig({ url: store.url, database: 'bench' });
  const viaStore = createClickHouseClient(config);
  await insertCost('through the store', viaStore, config, () => cpuMsOf(pid));
  await viaStore.close();
  await store.stop('SIGKILL');
  const killedAt = Date.now();
  const restarted = await startStore(join(dir, 'store'), {}, store.port);
  console.log(`SIGKILL to ready again (spawn, open the data directory, /readyz): ${Date.now() - killedAt} ms`);
  await restarted.stop('SIGTERM');
  const embeddedConfig = resolveClickHouseConfig({ path: join(dir, 'embedded'), database: 'bench' });
  const embedded = createClickHouseClient(embeddedConfig);
  await insertCost('embedded in-process (engine CPU counted here)', embedded, embeddedConfig, () => 0);
  await embedded.close();
  rmSync(dir, { recursive: true, force: true });
}

void main();
