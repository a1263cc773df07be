/**
 * Ingest's answers to bad input and to trouble downstream, against real Kafka: malformed protobuf or JSON
 * → 400 with a message; a body over the limit → 413; an unsupported media type → 415; none of it reaches
 * Kafka. A record too large for any Kafka message is refused by name (OTLP partial success; 413 when it is the
 * whole request) while the rest of its request is accepted. With Kafka gone, ingest answers 503 with Retry-After instead of accepting what it cannot deliver.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { KafkaConnection } from '@sextant/kafka';
import { Pipeline, REPO_ROOT, freePort } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';

function otlpJson(body: string): string {
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bad-input' } }] }, scopeLogs: [{ logRecords: [{ body: { stringValue: body } }] }] }] });
}

async function post(url: string, body: Buffer | string, headers: Record<string, string>): Promise<{ status: number; text: string; retryAfter: string | null }> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, text: await res.text(), retryAfter: res.headers.get('retry-after') };
}

async function recordsIn(conn: KafkaConnection, topic: string): Promise<number> {
  const offsets = await conn.topicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

describe('ingest: bad input and back-pressure', () => {
  const pipeline = new Pipeline({ SEXTANT_INGEST_MAX_BODY_BYTES: '4096', SEXTANT_INGEST_MAX_DECOMPRESSED_BYTES: '65536', SEXTANT_PRODUCER_ENVELOPE_MAX_BYTES: '2048' });
  const deps = { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') };
  let conn: KafkaConnection;
  let url = '';

  before(async () => {
    const ingest = await pipeline.add('ingest');
    await ingest.waitReady();
    url = `http://127.0.0.1:${ingest.httpPort}/v1/logs`;
    conn = new KafkaConnection(
      { brokers: (process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(','), clientId: 'e2e', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 },
      deps,
    );
  });

  after(async () => {
    await conn.close();
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  it('rejects bad requests precisely and lets nothing of them reach Kafka', async () => {
    const topic = `${pipeline.prefix}ingest.logs`;
    const before = await recordsIn(conn, topic);

    const badProto = await post(url, Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]), { 'Content-Type': 'application/x-protobuf' });
    assert.equal(badProto.status, 400);
    assert.ok(badProto.text.length > 0);

    const badJson = await post(url, '{"resourceLogs": [', { 'Content-Type': 'application/json' });
    assert.equal(badJson.status, 400);
    assert.match(badJson.text, /JSON|json/);

    const wrongShape = await post(url, '{"resourceLogs": "nope"}', { 'Content-Type': 'application/json' });
    assert.equal(wrongShape.status, 400);

    const tooLarge = await post(url, otlpJson('x'.repeat(10_000)), { 'Content-Type': 'application/json' });
    assert.equal(tooLarge.status, 413);

    const bomb = await post(url, gzipSync(Buffer.from(otlpJson('y'.repeat(200_000)))), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    assert.equal(bomb.status, 413);

    const wrongType = await post(url, 'hello', { 'Content-Type': 'text/plain' });
    assert.equal(wrongType.status, 415);
    assert.match(wrongType.text, /Unsupported Media Type|Content-Type/i);

    const wrongEncoding = await post(url, otlpJson('z'), { 'Content-Type': 'application/json', 'Content-Encoding': 'br' });
    assert.equal(wrongEncoding.status, 415);

    assert.equal(await recordsIn(conn, topic), before, 'a rejected request must not reach Kafka');

    const ok = await post(url, otlpJson('fine'), { 'Content-Type': 'application/json' });
    assert.equal(ok.status, 200, ok.text);
    assert.equal(await recordsIn(conn, topic), before + 1);
  });

  it('refuses a record larger than any Kafka message by name and accepts the rest of its request', async () => {
    const topic = `${pipeline.prefix}ingest.logs`;
    const before = await recordsIn(conn, topic);
    const two = JSON.stringify({
      resourceLogs: [{
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'oversized' } }] },
        scopeLogs: [{ logRecords: [{ body: { stringValue: 'small one' } }, { body: { stringValue: 'B'.repeat(3000) } }] }],
      }],
    });
    const partial = await post(url, two, { 'Content-Type': 'application/json' });
    assert.equal(partial.status, 200, partial.text);
    const answer = JSON.parse(partial.text) as { partialSuccess?: { rejectedLogRecords?: string | number; errorMessage?: string } };
    assert.equal(Number(answer.partialSuccess?.rejectedLogRecords), 1);
    assert.match(answer.partialSuccess?.errorMessage ?? '', /log record 1 encodes to \d+ bytes, more than the 2048 bytes/);
    assert.equal(await recordsIn(conn, topic), before + 1, 'the small record went out, in one envelope');

    const alone = await post(url, otlpJson('C'.repeat(3000)), { 'Content-Type': 'application/json' });
    assert.equal(alone.status, 413, alone.text);
    assert.equal(alone.retryAfter, null, 'retrying cannot help: no Retry-After');
    assert.match(alone.text, /more than the 2048 bytes/);
    assert.equal(await recordsIn(conn, topic), before + 1);
  });

  it('answers 503 with Retry-After when Kafka is unavailable', async () => {
    // A broker of this test's own, so stopping it disturbs nobody else.
    const home = join(pipeline.dir, 'private-kafka');
    const kafkaPort = await freePort();
    const env = { ...process.env, SEXTANT_HOME: home, SEXTANT_KAFKA_PORT: String(kafkaPort), SEXTANT_KAFKA_CONTROLLER_PORT: String(await freePort()), SEXTANT_KAFKA_HEAP: '384m' };
    execFileSync('bash', [join(REPO_ROOT, 'infra', 'start.sh'), 'kafka'], { env, stdio: 'pipe' });
    const lonely = new Pipeline({ SEXTANT_KAFKA_BROKERS: `127.0.0.1:${kafkaPort}`, SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '3000', SEXTANT_INGEST_RETRY_AFTER_SECONDS: '7', SEXTANT_SHUTDOWN_TIMEOUT_MS: '5000', SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '2000' });
    try {
      const ingest = await lonely.add('ingest');
      await ingest.waitReady();
      const lonelyUrl = `http://127.0.0.1:${ingest.httpPort}/v1/logs`;
      assert.equal((await post(lonelyUrl, otlpJson('before'), { 'Content-Type': 'application/json' })).status, 200);

      execFileSync('bash', [join(REPO_ROOT, 'infra', 'stop.sh'), 'kafka'], { env, stdio: 'pipe' });
      const started = Date.now();
      const res = await post(lonelyUrl, otlpJson('after'), { 'Content-Type': 'application/json' });
      assert.equal(res.status, 503, res.text);
      assert.equal(res.retryAfter, '7');
      assert.ok(Date.now() - started < 20_000, 'must answer within the send timeout, not hang');
    } finally {
      await lonely.stopAll();
      lonely.cleanup();
      execFileSync('bash', [join(REPO_ROOT, 'infra', 'stop.sh'), 'kafka'], { env, stdio: 'pipe' });
    }
  });
});
