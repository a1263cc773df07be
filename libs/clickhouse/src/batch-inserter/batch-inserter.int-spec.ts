import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LogRecord } from '@sextant/contracts';
import { Registry } from 'prom-client';
import { resolveClickHouseConfig, type ClickHouseConfig } from '../clickhouse.config';
import { createClickHouseClient } from '../clickhouse-client.factory';
import { migrate } from '../migrations/migrate';
import { toOtelLogRow, type OtelLogRow } from '../tables/otel-logs.table';
import { BatchInserter } from './batch-inserter';
import { ClickHouseInsertError } from './insert-error';
import type { TaggedRow } from './insert-plan';

const TOPIC = 'sextant.logs';
const SECOND_NS = 1_000_000_000n;
const DAY_NS = 86_400n * SECOND_NS;
// Rows must be recent: the table's 30-day TTL drops older parts right after they are written.
const BASE_NS = BigInt(Math.floor(Date.now() / 1000) - 600) * SECOND_NS;

function record(i: number, changes: Partial<LogRecord> = {}): LogRecord {
  return {
    tenant: 'acme',
    timeUnixNano: BASE_NS + BigInt(i) * 1_000_000_007n + 123_456_789n,
    observedTimeUnixNano: BASE_NS + 999_999_999n + BigInt(i),
    severityNumber: i % 2 === 0 ? 17 : 9,
    severityText: i % 2 === 0 ? 'ERROR' : 'INFO',
    body: `line ${i}`,
    attributes: { i: String(i) },
    resource: { 'service.name': 'checkout' },
    scopeName: '',
    scopeVersion: '',
    traceId: `trace-${i % 3}`,
    spanId: `span-${i}`,
    traceFlags: 1,
    serviceName: 'checkout',
    source: 'otlp',
    stream: '',
    k8s: null,
    parseFlags: [],
    ...changes,
  };
}

function tagged(partition: number, offset: number, rec: LogRecord): TaggedRow<OtelLogRow> {
  const coords = { topic: TOPIC, partition, offset: String(offset) };
  return { row: toOtelLogRow(rec, coords), coords };
}

describe('BatchInserter into otel_logs (embedded chDB)', () => {
  let dir: string;
  let config: ClickHouseConfig;
  let client: ClickHouseClient;
  let inserter: BatchInserter<OtelLogRow>;

  async function rows<T>(query: string, params: Record<string, unknown> = {}): Promise<T[]> {
    return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>();
  }
  async function count(where = '1'): Promise<number> {
    const [row] = await rows<{ c: string }>(`SELECT toString(count()) AS c FROM sextant_it.otel_logs WHERE ${where}`);
    return Number(row?.c);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sextant-ch-insert-'));
    config = resolveClickHouseConfig({ path: join(dir, 'store'), database: 'sextant_it', insertRetryBaseMs: 1, insertRetryMaxMs: 2 });
    client = createClickHouseClient(config);
    await migrate(client, config);
    inserter = new BatchInserter<OtelLogRow>({ client, config, table: config.tables.logs, registry: new Registry() });
  });

  after(async () => {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes rows that read back exactly: nanoseconds, maps, arrays, Kubernetes and Kafka columns', async () => {
    const full = record(0, {
      tenant: 'exact',
      timeUnixNano: BASE_NS + 987_654_321n,
      observedTimeUnixNano: BASE_NS + SECOND_NS + 1n,
      body: 'multi\nline "quoted" \'single\' \\ tab\t ünïcödé 🚀',
      attributes: { 'http.status_code': '500', "k'ey": 'v"al', empty: '' },
      resource: { 'service.name': 'checkout', 'host.name': 'node-1' },
      scopeName: 'io.sextant',
      scopeVersion: '1.2.3',
      k8s: { namespace: 'shop', pod: 'checkout-7d9', podUid: 'uid-1', container: 'app', node: 'n1', labels: { app: 'checkout', 'pod-template-hash': '7d9' } },
      parseFlags: ['json', 'multiline'],
      stream: 'stderr',
    });
    const bare = record(1, { tenant: 'exact', timeUnixNano: 0n, observedTimeUnixNano: BASE_NS + 2n * SECOND_NS + 999n, serviceName: '' });
    const result = await inserter.insert([tagged(9, 12_345_678_901_234, full), tagged(9, 12_345_678_901_235, bare)]);
    assert.equal(result.insertedRows, 2);
    const back = await rows<Record<string, unknown>>(
      `SELECT toString(toUnixTimestamp64Nano(Timestamp)) AS ts, toString(toUnixTimestamp64Nano(ObservedTimestamp)) AS observed,
              toString(toUnixTimestamp(TimestampTime)) AS tsSeconds, TraceId, SpanId, TraceFlags, SeverityText, SeverityNumber,
              ServiceName, Body, ResourceAttributes, ScopeName, ScopeVersion, LogAttributes, Source, Stream, ParseFlags,
              K8sNamespace, K8sPod, K8sPodUid, K8sContainer, K8sNode, K8sLabels, _KafkaTopic, _KafkaPartition, toString(_KafkaOffset) AS offset
       FROM sextant_it.otel_logs WHERE Tenant = 'exact' ORDER BY _KafkaOffset`,
    );
    assert.deepEqual(back[0], {
      ts: String(BASE_NS + 987_654_321n),
      observed: String(BASE_NS + SECOND_NS + 1n),
      tsSeconds: String(BASE_NS / SECOND_NS),
      TraceId: 'trace-0',
      SpanId: 'span-0',
      TraceFlags: 1,
      SeverityText: 'ERROR',
      SeverityNumber: 17,
      ServiceName: 'checkout',
      Body: full.body,
      ResourceAttributes: full.resource,
      ScopeName: 'io.sextant',
      ScopeVersion: '1.2.3',
      LogAttributes: full.attributes,
      Source: 'otlp',
      Stream: 'stderr',
      ParseFlags: ['json', 'multiline'],
      K8sNamespace: 'shop',
      K8sPod: 'checkout-7d9',
      K8sPodUid: 'uid-1',
      K8sContainer: 'app',
      K8sNode: 'n1',
      K8sLabels: { app: 'checkout', 'pod-template-hash': '7d9' },
      _KafkaTopic: TOPIC,
      _KafkaPartition: 9,
      offset: '12345678901234',
    });
    assert.deepEqual([back[1]?.ts, back[1]?.ServiceName, back[1]?.K8sPod, back[1]?.K8sLabels], [String(BASE_NS + 2n * SECOND_NS + 999n), 'checkout', '', {}]);
  });

  it('writes no duplicates when a batch is redelivered, in any order, even across partitions and days', async () => {
    const batch = [
      ...Array.from({ length: 5 }, (_, i) => tagged(0, 100 + i, record(i, { tenant: 'redeliver', timeUnixNano: BASE_NS - BigInt(i) * DAY_NS }))),
      ...Array.from({ length: 3 }, (_, i) => tagged(1, 200 + i, record(10 + i, { tenant: 'redeliver' }))),
    ];
    const first = await inserter.insert(batch);
    assert.equal(first.chunks.length, 2);
    assert.equal(await count("Tenant = 'redeliver'"), 8);
    const [days] = await rows<{ d: number }>("SELECT uniqExact(toDate(TimestampTime)) AS d FROM sextant_it.otel_logs WHERE Tenant = 'redeliver'");
    assert.equal(days?.d, 5);
    const again = await inserter.insert([...batch].reverse());
    assert.deepEqual(again.chunks.map((c) => c.token), first.chunks.map((c) => c.token));
    assert.equal(await count("Tenant = 'redeliver'"), 8);
  });

  it('writes identical rows again when they come from other offsets (dedup is by token, not content)', async () => {
    // Rows without the Kafka columns are byte-identical: only the token tells the inserts apart.
    const raw = new BatchInserter<Record<string, unknown>>({ client, config, table: config.tables.logs, registry: new Registry() });
    const { _KafkaTopic, _KafkaPartition, _KafkaOffset, ...content } = toOtelLogRow(record(0, { tenant: 'same-content' }));
    const at = (offset: number): TaggedRow<Record<string, unknown>> => ({ row: { ...content }, coords: { topic: TOPIC, partition: 2, offset: String(offset) } });
    await raw.insert([at(1), at(2)]);
    await raw.insert([at(3), at(4)]);
    await raw.insert([at(1), at(2)]);
    assert.equal(await count("Tenant = 'same-content'"), 4);
    assert.equal(await count("Tenant = 'same-content' AND _KafkaOffset != 0"), 0);
  });

  it('splits big batches into maxBatchRows inserts that still dedupe on redelivery', async () => {
    const small = new BatchInserter<OtelLogRow>({ client, config: { ...config, maxBatchRows: 40 }, table: config.tables.logs, registry: new Registry() });
    const batch = Array.from({ length: 100 }, (_, i) => tagged(3, 1000 + i, record(i, { tenant: 'chunked' })));
    assert.equal((await small.insert(batch)).chunks.length, 3);
    await small.insert(batch);
    assert.equal(await count("Tenant = 'chunked'"), 100);
  });

  it('hands back the rows ClickHouse cannot parse and writes the rest', async () => {
    const raw = new BatchInserter<Record<string, unknown>>({ client, config, table: config.tables.logs, registry: new Registry() });
    const good = (offset: number): TaggedRow<Record<string, unknown>> => {
      const t = tagged(4, offset, record(offset, { tenant: 'partly-bad' }));
      return { row: { ...t.row }, coords: t.coords };
    };
    const bad: TaggedRow<Record<string, unknown>> = { row: { ...good(3).row, Timestamp: 'not a time' }, coords: { topic: TOPIC, partition: 4, offset: '3' } };
    const result = await raw.insert([good(1), good(2), bad, good(4), good(5)]);
    assert.deepEqual(result.rejected.map((r) => r.coords.offset), ['3']);
    const refused = result.chunks.find((c) => c.outcome === 'rejected');
    assert.equal(refused?.error?.kind, 'data');
    assert.equal(await count("Tenant = 'partly-bad'"), 4);
  });

  it('throws a fatal error, without retrying, when the table does not exist', async () => {
    const missing = new BatchInserter<OtelLogRow>({ client, config, table: 'no_such_table', registry: new Registry() });
    await assert.rejects(missing.insert([tagged(0, 1, record(0))]), (err: unknown) => err instanceof ClickHouseInsertError && err.kind === 'fatal' && err.attempts === 1);
  });

  it('answers the README example queries', async () => {
    await inserter.insert(Array.from({ length: 6 }, (_, i) => tagged(5, i, record(i, { tenant: 'readme' }))));
    const errors = await rows<{ Body: string }>(
      `SELECT Timestamp, SeverityText, Body, LogAttributes
       FROM sextant_it.otel_logs
       WHERE Tenant = {tenant:String} AND ServiceName = {service:String}
         AND TimestampTime >= now() - INTERVAL 1 HOUR AND SeverityNumber >= 17
       ORDER BY Timestamp DESC LIMIT 100`,
      { tenant: 'readme', service: 'checkout' },
    );
    assert.deepEqual(errors.map((r) => r.Body), ['line 4', 'line 2', 'line 0']);
    const trace = await rows<{ Body: string }>(
      `SELECT Timestamp, ServiceName, SeverityText, Body
       FROM sextant_it.otel_logs
       WHERE Tenant = {tenant:String} AND TraceId = {traceId:String}
       ORDER BY Timestamp`,
      { tenant: 'readme', traceId: 'trace-1' },
    );
    assert.deepEqual(trace.map((r) => r.Body), ['line 1', 'line 4']);
  });
});
