/**
 * Crash and shutdown safety of the stateful middle of the logs path, with real processes and signals:
 * SIGKILL of the sink or of the parser in the middle of a batch, then a restart, loses no record and writes
 * no row twice to ClickHouse; SIGTERM shuts a stage down with its offsets committed (exit code 0, and the
 * restarted stage has nothing left to redo, and reports no gap where only transaction markers lie).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { KafkaConnection } from '@sextant/kafka';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';
import { Pipeline } from '@sextant/testing';

function kafkaConnection(): KafkaConnection {
  return new KafkaConnection(
    { brokers: (process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'e2e', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 },
    { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') },
  );
}

const RECORDS = 24_000;
const PER_REQUEST = 1000;

function otlpBatch(service: string, from: number, n: number): string {
  const logRecords = [];
  for (let i = from; i < from + n; i++) {
    logRecords.push({ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n + BigInt(i)), body: { stringValue: `{"msg":"event ${i}","seq":${i}}` } });
  }
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeLogs: [{ logRecords }] }] });
}

async function send(pipeline: Pipeline, service: string): Promise<void> {
  const url = `http://127.0.0.1:${pipeline.stage('ingest').httpPort}/v1/logs`;
  for (let from = 0; from < RECORDS; from += PER_REQUEST) {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: otlpBatch(service, from, PER_REQUEST) });
    assert.equal(res.status, 200, await res.text());
  }
}

interface Tally {
  rows: number;
  distinct: number;
}

async function tally(pipeline: Pipeline, service: string): Promise<Tally> {
  const r = await pipeline.query<{ rows: string; distinct: string }>(
    `SELECT count() AS rows, uniqExact(Body) AS distinct FROM sextant.otel_logs WHERE ServiceName = '${service}'`,
  );
  return { rows: Number(r[0]?.rows ?? 0), distinct: Number(r[0]?.distinct ?? 0) };
}

/** Waits until the table holds all records, then checks it stays that way (no late duplicates). */
async function assertExactlyOnce(pipeline: Pipeline, service: string): Promise<void> {
  await pipeline.eventually(() => tally(pipeline, service), (t) => t.distinct === RECORDS, 90_000, `all ${RECORDS} records stored`);
  await new Promise((r) => setTimeout(r, 3000));
  const t = await tally(pipeline, service);
  assert.deepEqual(t, { rows: RECORDS, distinct: RECORDS }, 'every record exactly once');
}

describe('crash recovery', () => {
  // Small sub-batches, envelopes and inserts: many inserts and transactions, so a kill lands in the middle of the work.
  const pipeline = new Pipeline({ SEXTANT_CONSUMER_SUB_BATCH_SIZE: '250', SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS: '20', SEXTANT_SINK_MAX_BATCH_ROWS: '100', SEXTANT_CONSUMER_SESSION_TIMEOUT_MS: '10000', SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS: '1000', SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '5000' });

  before(async () => {
    await pipeline.start('sink', 'parser', 'ingest');
  });

  after(async () => {
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  it('SIGKILL of the sink mid-batch loses and duplicates nothing', async () => {
    const service = 'crash-sink';
    await pipeline.stage('sink').stop('SIGTERM');
    await send(pipeline, service);
    const sink = await pipeline.add('sink');
    await sink.waitReady();
    await pipeline.eventually(() => tally(pipeline, service), (t) => t.rows > 0, 60_000, 'sink writing');
    const atKill = await tally(pipeline, service);
    await sink.stop('SIGKILL');
    assert.ok(atKill.rows < RECORDS, `the kill must land mid-way (had ${atKill.rows})`);
    const restarted = await pipeline.add('sink');
    await restarted.waitReady();
    await assertExactlyOnce(pipeline, service);
  });

  it('SIGKILL of the parser mid-batch loses and duplicates nothing', async () => {
    const service = 'crash-parser';
    await pipeline.stage('parser').stop('SIGTERM');
    await send(pipeline, service);
    const parser = await pipeline.add('parser');
    await parser.waitReady();
    await pipeline.eventually(() => tally(pipeline, service), (t) => t.rows > 0, 60_000, 'parser output reaching ClickHouse');
    await parser.stop('SIGKILL');
    const atKill = await tally(pipeline, service);
    assert.ok(atKill.rows < RECORDS, `the kill must land mid-way (had ${atKill.rows})`);
    const restarted = await pipeline.add('parser');
    await restarted.waitReady();
    await assertExactlyOnce(pipeline, service);
  });

  it('SIGTERM drains, commits and exits 0', async () => {
    const service = 'graceful';
    await send(pipeline, service);
    await assertExactlyOnce(pipeline, service);
    assert.equal(await pipeline.stage('parser').stop('SIGTERM'), 0, 'parser exits 0 on SIGTERM');
    assert.equal(await pipeline.stage('sink').stop('SIGTERM'), 0, 'sink exits 0 on SIGTERM');
    const conn = kafkaConnection();
    try {
      for (const [group, topic] of [[`${pipeline.prefix}parser.ingest.logs`, `${pipeline.prefix}ingest.logs`], [`${pipeline.prefix}sink.logs`, `${pipeline.prefix}logs`]] as const) {
        const ends = await conn.topicOffsets(topic);
        const committed = await conn.groupOffsets(group, topic);
        for (const p of ends) {
          // A transactional topic's end offset includes commit markers; what counts is that nothing is left to read.
          const c = committed.find((x) => x.partition === p.partition);
          assert.ok(c !== undefined && BigInt(c.offset) >= BigInt(p.high) - 1n, `${group} committed ${c?.offset} of ${topic}[${p.partition}] ending at ${p.high}`);
        }
      }
    } finally {
      await conn.close();
    }

    // Restarted, the sink resumes right after the commit markers that end the parser's transactions: reading
    // from its committed offset, it must not take the marker before the next record for a gap.
    pipeline.stage('parser').start();
    pipeline.stage('sink').start();
    await Promise.all([pipeline.stage('parser').waitReady(60_000), pipeline.stage('sink').waitReady(60_000)]);
    const res = await fetch(`http://127.0.0.1:${pipeline.stage('ingest').httpPort}/v1/logs`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: otlpBatch(service, RECORDS, PER_REQUEST) });
    assert.equal(res.status, 200, await res.text());
    const total = RECORDS + PER_REQUEST;
    await pipeline.eventually(() => tally(pipeline, service), (t) => t.distinct === total, 90_000, `all ${total} records stored after the restart`);
    assert.deepEqual(await tally(pipeline, service), { rows: total, distinct: total });
    const metrics = await (await fetch(`http://127.0.0.1:${pipeline.stage('sink').httpPort}/metrics`)).text();
    const gaps = metrics.split('\n').filter((l) => l.startsWith('sextant_sink_state_gaps_total')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    assert.equal(gaps, 0, `the restarted sink reported offset gaps:\n${metrics.split('\n').filter((l) => l.includes('gap')).join('\n')}`);
  });
});
