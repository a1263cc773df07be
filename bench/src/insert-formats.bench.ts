/**
 * Insert-format benchmark: writes the same log records into copies of `otel_logs` on embedded chDB through
 * `@clickhouse/client` in each input format, 10k and 20k rows per insert, and prints the CPU per row (JS
 * encoding and whole insert, chDB threads included: the engine runs in this process), bytes per row, and
 * whether chDB's client connection accepts the format. It then prices the skip indexes: insert and merge CPU
 * per row with the migration's indexes, without any, and with the retuned set. Needs a build, no infra.
 *
 *   node bench/dist/insert-formats.bench.js [--repeats 3]
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LogRecord } from '@sextant/contracts';
import { Registry } from 'prom-client';
import {
  createClickHouseClient,
  ExactlyOnceLogWriter,
  LOG_INSERT_COLUMNS,
  logInsertRows,
  logInsertValues,
  migrate,
  resolveClickHouseConfig,
  timestampWindow,
  toOtelLogRow,
} from '@sextant/clickhouse';

const REPEATS = Number(process.argv[process.argv.indexOf('--repeats') + 1] || 3);
const NOW = BigInt(Date.now()) * 1_000_000n;
const WINDOW = timestampWindow(NOW, 30, 3600);
const TOPIC = 'sextant.logs';

function records(n: number, seed: number): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    tenant: `tenant-${i % 4}`,
    timeUnixNano: NOW - BigInt(n - i) * 1_000_000n,
    observedTimeUnixNano: NOW,
    severityNumber: i % 10 === 0 ? 17 : 9,
    severityText: i % 10 === 0 ? 'ERROR' : 'INFO',
    body: `{"msg":"request served","path":"/api/items/${seed}-${i}","status":200,"duration_ms":${i % 50}}`,
    attributes: { 'http.method': 'GET', 'bench.seed': String(seed), duration_ms: String(i % 50) },
    resource: { 'service.name': `svc-${i % 8}`, 'k8s.pod.name': `pod-${i % 16}` },
    scopeName: 'bench',
    scopeVersion: '1.0.0',
    traceId: (BigInt(seed) * 1_000_003n + BigInt(i)).toString(16).padStart(32, '0'),
    spanId: BigInt(i).toString(16).padStart(16, '0'),
    traceFlags: 1,
    serviceName: `svc-${i % 8}`,
    source: 'otlp',
    stream: 'stdout',
    k8s: { namespace: 'shop', pod: `pod-${i % 16}`, podUid: `uid-${i % 16}`, container: 'app', node: 'node-1', labels: { app: 'shop', tier: 'web' } },
    parseFlags: ['json'],
  }));
}

/** RowBinary of the insert columns, straight from records (bench only: no client path accepts it on chDB). */
function rowBinary(recs: LogRecord[], firstOffset: number): Buffer {
  let buf = Buffer.allocUnsafe(1 << 20);
  let at = 0;
  const room = (n: number): void => {
    if (at + n <= buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(buf.length * 2, at + n));
    buf.copy(next, 0, 0, at);
    buf = next;
  };
  const varint = (v: number): void => {
    room(5);
    while (v >= 0x80) {
      buf[at++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[at++] = v;
  };
  const str = (s: string): void => {
    const len = Buffer.byteLength(s);
    varint(len);
    room(len);
    at += buf.write(s, at, 'utf8');
  };
  const map = (m: Record<string, string>): void => {
    const keys = Object.keys(m);
    varint(keys.length);
    for (const k of keys) {
      str(k);
      str(m[k] as string);
    }
  };
  const fixed = (size: number, write: (b: Buffer, o: number) => void): void => {
    room(size);
    write(buf, at);
    at += size;
  };
  const strs = (...values: string[]): void => values.forEach(str);
  recs.forEach((r, i) => {
    const k = r.k8s;
    fixed(8, (b, o) => b.writeBigInt64LE(r.timeUnixNano, o));
    strs(r.traceId, r.spanId);
    fixed(1, (b, o) => b.writeUInt8(r.traceFlags, o));
    str(r.severityText);
    fixed(1, (b, o) => b.writeUInt8(r.severityNumber, o));
    strs(r.serviceName, r.body, '');
    map(r.resource);
    strs('', r.scopeName, r.scopeVersion);
    map({});
    map(r.attributes);
    strs('', r.tenant);
    fixed(8, (b, o) => b.writeBigInt64LE(r.observedTimeUnixNano, o));
    strs(r.source, r.stream);
    varint(r.parseFlags.length);
    for (const f of r.parseFlags) str(f);
    strs(k?.namespace ?? '', k?.pod ?? '', k?.podUid ?? '', k?.container ?? '', k?.node ?? '');
    map(k?.labels ?? {});
    str(TOPIC);
    fixed(4, (b, o) => b.writeUInt32LE(0, o));
    fixed(8, (b, o) => b.writeBigUInt64LE(BigInt(firstOffset + i), o));
    fixed(4, (b, o) => b.writeInt32LE(-1, o));
  });
  return buf.subarray(0, at);
}

interface Format {
  name: string;
  /** Builds what the client is handed (body or values); the client may serialize more when sending. */
  encode: (recs: LogRecord[], firstOffset: number) => { bytes: () => number; send: (client: ClickHouseClient, table: string, token: string) => Promise<unknown> };
}

const COLUMNS = LOG_INSERT_COLUMNS.join(', ');
let structure = '';

const FORMATS: Format[] = [
  {
    name: 'JSONEachRow objects (client.insert, before)',
    encode: (recs, first) => {
      const values = recs.map((r, i) => toOtelLogRow(r, { topic: TOPIC, partition: 0, offset: String(first + i) }));
      const bytes = (): number => values.reduce((n, v) => n + Buffer.byteLength(JSON.stringify(v)) + 1, 0);
      return { bytes, send: (c, table, token) => c.insert({ table, values, format: 'JSONEachRow', clickhouse_settings: { insert_deduplication_token: token } }) };
    },
  },
  {
    name: 'JSONCompactEachRow arrays (client.insert)',
    encode: (recs, first) => {
      const values = recs.map((record, i) => logInsertValues({ record, offset: String(first + i), index: -1 }, TOPIC, 0, WINDOW).values);
      const bytes = (): number => values.reduce((n, v) => n + Buffer.byteLength(JSON.stringify(v)) + 1, 0);
      return {
        bytes,
        send: (c, table, token) => c.insert({ table, values, columns: [...LOG_INSERT_COLUMNS], format: 'JSONCompactEachRow', clickhouse_settings: { insert_deduplication_token: token } }),
      };
    },
  },
  {
    name: 'JSONCompactEachRow body from LogRecord (client.exec: the writer)',
    encode: (recs, first) => {
      const body = logInsertRows(recs.map((record, i) => ({ record, offset: String(first + i), index: -1 })), TOPIC, 0, WINDOW).body;
      return { bytes: () => body.length, send: (c, table, token) => execInsert(c, `INSERT INTO ${table} (${COLUMNS}) FORMAT JSONCompactEachRow`, body, token) };
    },
  },
  {
    name: 'RowBinary via client.exec (chDB: text only)',
    encode: (recs, first) => {
      const body = rowBinary(recs, first);
      return { bytes: () => body.length, send: (c, table, token) => execInsert(c, `INSERT INTO ${table} (${COLUMNS}) FORMAT RowBinary`, body, token) };
    },
  },
  {
    name: 'RowBinary via file() (chDB only, reference)',
    encode: (recs, first) => {
      const body = rowBinary(recs, first);
      return {
        bytes: () => body.length,
        send: async (c, table, token) => {
          const path = join(tmpdir(), `sextant-rowbinary-${process.pid}.bin`);
          writeFileSync(path, body);
          try {
            await c.command({ query: `INSERT INTO ${table} (${COLUMNS}) SELECT * FROM file('${path}', 'RowBinary', '${structure}')`, clickhouse_settings: { insert_deduplication_token: token } });
          } finally {
            unlinkSync(path);
          }
        },
      };
    },
  },
];

async function execInsert(client: ClickHouseClient, query: string, body: Buffer, token: string): Promise<void> {
  const result = await client.exec({ query, values: Readable.from([body]), clickhouse_settings: { insert_deduplication_token: token } });
  result.stream.resume();
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

async function count(client: ClickHouseClient, table: string): Promise<number> {
  const [row] = await (await client.query({ query: `SELECT toString(count()) AS c FROM ${table}`, format: 'JSONEachRow' })).json<{ c: string }>();
  return Number(row?.c);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sextant-insert-formats-'));
  const config = resolveClickHouseConfig({ path: join(dir, 'store'), database: 'bench' });
  const client = createClickHouseClient(config);
  try {
    await migrate(client, config);
    const described = await (await client.query({ query: 'DESCRIBE TABLE bench.otel_logs', format: 'JSONEachRow' })).json<{ name: string; type: string }>();
    const types = new Map(described.map((d) => [d.name, d.type]));
    structure = LOG_INSERT_COLUMNS.map((c) => `${c} ${types.get(c) ?? ''}`).join(', ');
    console.log(`insert formats, embedded chDB, ${REPEATS} interleaved rounds; µs = CPU microseconds of this process (chDB threads included)\n`);
    console.log('| format | rows/insert | build µs/row (best) | total µs/row (build + send + chDB), best / median | bytes/row | rows stored |');
    console.log('|---|---|---|---|---|---|');
    // Warm the JIT and the engine once so the first measured format is not charged for it.
    await client.command({ query: 'CREATE TABLE bench.warm AS bench.otel_logs' });
    for (const f of FORMATS.slice(0, 3)) await f.encode(records(2_000, 99), 0).send(client, 'bench.warm', `warm-${f.name}`);
    await client.command({ query: 'DROP TABLE bench.warm SYNC' });
    for (const size of [10_000, 20_000]) {
      const runs = FORMATS.map((f, i) => ({ f, table: `bench.f${size}_${i}`, build: [] as number[], total: [] as number[], bytes: 0, failure: '' }));
      for (const run of runs) await client.command({ query: `CREATE TABLE ${run.table} AS bench.otel_logs` });
      // Rounds interleave the formats, and the best round counts: other load on the machine only ever adds.
      for (let r = 0; r < REPEATS; r++) {
        const recs = records(size, r);
        for (const run of runs.filter((x) => x.failure === '')) {
          const t0 = cpuMicros();
          const built = run.f.encode(recs, r * size);
          const t1 = cpuMicros();
          try {
            await built.send(client, run.table, `bench-${run.table}-${r}`);
          } catch (err: unknown) {
            run.failure = err instanceof Error ? (err.message.split('\n')[0]?.slice(0, 60) ?? 'error') : String(err);
          }
          run.build.push((t1 - t0) / size);
          run.total.push((cpuMicros() - t0) / size);
          run.bytes = built.bytes() / size;
        }
      }
      for (const run of runs) {
        const stored = await count(client, run.table);
        const outcome = run.failure !== '' ? `refused: ${run.failure}` : String(stored);
        const total = run.failure !== '' ? '—' : `${Math.min(...run.total).toFixed(1)} / ${median(run.total).toFixed(1)}`;
        console.log(`| ${run.f.name} | ${size} | ${Math.min(...run.build).toFixed(1)} | ${total} | ${run.bytes.toFixed(0)} | ${outcome} |`);
        await client.command({ query: `DROP TABLE ${run.table} SYNC` });
      }
    }
    await writerCost(client, config);
    await indexCosts(client);
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The exactly-once writer end to end (state claims and confirmations included) on 10k-row batches. */
async function writerCost(client: ClickHouseClient, config: Parameters<typeof migrate>[1]): Promise<void> {
  const writer = new ExactlyOnceLogWriter({ client, config, registry: new Registry() });
  const lease = await writer.prepare(TOPIC, 0);
  const perMessage = 100;
  const us: number[] = [];
  for (let b = 0; b < REPEATS + 1; b++) {
    const batch = records(10_000, 200 + b).map((value, i) => ({ offset: String(b * 100 + Math.floor(i / perMessage)), index: i % perMessage, value }));
    const t0 = cpuMicros();
    await writer.write(lease, batch, { onRejected: async () => undefined });
    if (b > 0) us.push((cpuMicros() - t0) / batch.length);
  }
  console.log(`\nExactlyOnceLogWriter.write, 10000 rows (100 envelopes of 100) per batch: ${Math.min(...us).toFixed(1)} / ${median(us).toFixed(1)} µs/row (best / median of ${REPEATS})`);
}

/**
 * Engine CPU per row of insert (body built before the timer starts) and of one merge, with no skip index, all
 * of them, and each one alone.
 */
async function indexCosts(client: ClickHouseClient): Promise<void> {
  const [ddl] = await (await client.query({ query: 'SHOW CREATE TABLE bench.otel_logs', format: 'JSONEachRow' })).json<{ statement: string }>();
  const indexes = [...(ddl?.statement ?? '').matchAll(/INDEX (\w+) /g)].map((m) => m[1] as string);
  // Migration 3 dropped these two; adding them back prices migration 1's set.
  const scope = ['idx_scope_attr_key mapKeys(ScopeAttributes)', 'idx_scope_attr_value mapValues(ScopeAttributes)'];
  const variants: Array<[string, string[], string[]]> = [
    ['none', indexes, []],
    [`all ${indexes.length} (migration 3)`, [], []],
    [`all ${indexes.length + scope.length} (migration 1)`, [], scope],
    ...indexes.map((keep): [string, string[], string[]] => [`only ${keep}`, indexes.filter((i) => i !== keep), []]),
  ];
  console.log(`\nskip indexes: 4 inserts of 20000 prebuilt rows, then OPTIMIZE FINAL (one merge of 80000 rows); ${REPEATS} interleaved rounds\n`);
  console.log('| index set | insert µs/row, best / median | merge µs/row, best / median |');
  console.log('|---|---|---|');
  const results = variants.map(() => ({ inserts: [] as number[], merges: [] as number[] }));
  let n = 0;
  for (let round = 0; round < REPEATS; round++) {
    const bodies = [0, 1, 2, 3].map((r) => logInsertRows(records(20_000, 100 + r).map((record, i) => ({ record, offset: String(r * 20_000 + i), index: -1 })), TOPIC, 0, WINDOW).body);
    for (const [v, [, drop, add]] of variants.entries()) {
      const table = `bench.i${n++}`;
      await client.command({ query: `CREATE TABLE ${table} AS bench.otel_logs` });
      for (const idx of drop) await client.command({ query: `ALTER TABLE ${table} DROP INDEX ${idx}` });
      for (const idx of add) await client.command({ query: `ALTER TABLE ${table} ADD INDEX ${idx} TYPE bloom_filter(0.01) GRANULARITY 1` });
      await client.command({ query: `SYSTEM STOP MERGES ${table}` });
      const t0 = cpuMicros();
      for (const [r, body] of bodies.entries()) await execInsert(client, `INSERT INTO ${table} (${COLUMNS}) FORMAT JSONCompactEachRow`, body, `idx-${table}-${r}`);
      const t1 = cpuMicros();
      await client.command({ query: `SYSTEM START MERGES ${table}` });
      await client.command({ query: `OPTIMIZE TABLE ${table} FINAL` });
      results[v]?.merges.push((cpuMicros() - t1) / 80_000);
      results[v]?.inserts.push((t1 - t0) / 80_000);
      await client.command({ query: `DROP TABLE ${table} SYNC` });
    }
  }
  for (const [v, [name]] of variants.entries()) {
    const r = results[v];
    if (r) console.log(`| ${name} | ${Math.min(...r.inserts).toFixed(1)} / ${median(r.inserts).toFixed(1)} | ${Math.min(...r.merges).toFixed(1)} / ${median(r.merges).toFixed(1)} |`);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
