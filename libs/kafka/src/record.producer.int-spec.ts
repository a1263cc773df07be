import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { BackpressureError, KafkaUnavailableError } from './kafka.errors';
import { KafkaConnection } from './kafka.connection';
import { RecordProducer } from './record.producer';
import { createTopic, kafkaConfig, producerConfig, readTopic, testDeps, uniqueName } from './testing/int-env';

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const addr = srv.address();
  await new Promise<void>((r) => srv.close(() => r()));
  if (addr === null || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

async function metricValue(deps: ReturnType<typeof testDeps>, name: string): Promise<number> {
  const m = deps.metrics.getSingleMetric(name);
  if (!m) throw new Error(`no metric ${name}`);
  return (await m.get()).values.reduce((n, v) => n + v.value, 0);
}

describe('RecordProducer (real Kafka)', () => {
  const deps = testDeps();
  let conn: KafkaConnection;

  before(() => {
    conn = new KafkaConnection(kafkaConfig(), deps);
  });
  after(async () => {
    await conn.close();
  });

  it('batches concurrent sends into few produce requests and resolves each caller on acknowledgement', async () => {
    const topic = uniqueName('batched');
    await createTopic(conn, topic, 3);
    const pdeps = testDeps();
    const producer = new RecordProducer(conn, producerConfig({ lingerMs: 20 }), pdeps);
    await producer.connect();
    try {
      const sends = Array.from({ length: 60 }, (_, i) => producer.send(topic, [{ key: `k${i % 7}`, value: Buffer.from(`v${i}`), headers: { h: `${i}` } }]));
      await Promise.all(sends);
      const requests = await metricValue(pdeps, 'sextant_kafka_producer_requests_total');
      assert.ok(requests >= 1 && requests <= 6, `60 sends took ${requests} produce requests`);
      assert.equal(await metricValue(pdeps, 'sextant_kafka_producer_buffered_records'), 0);
      assert.equal(await metricValue(pdeps, 'sextant_kafka_produced_records_total'), 60);
      const got = await readTopic(conn, topic, 60);
      assert.deepEqual(new Set(got.map((m) => m.value?.toString())), new Set(Array.from({ length: 60 }, (_, i) => `v${i}`)));
      const m7 = got.find((m) => m.value?.toString() === 'v7');
      assert.equal(m7?.key?.toString(), 'k0');
      assert.equal(m7?.headers?.h?.toString(), '7');
    } finally {
      await producer.disconnect();
    }
  });

  it('rejects at once with BackpressureError when the buffer is full, buffering nothing of that call', async () => {
    const topic = uniqueName('backpressure');
    await createTopic(conn, topic);
    const pdeps = testDeps();
    const producer = new RecordProducer(conn, producerConfig({ lingerMs: 300, maxBatchRecords: 10, maxBufferedRecords: 10 }), pdeps);
    await producer.connect();
    try {
      const msgs = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ key: null, value: Buffer.from(`${tag}${i}`) }));
      const first = producer.send(topic, msgs(8, 'a'));
      const t0 = Date.now();
      await assert.rejects(producer.send(topic, msgs(5, 'b')), (e: unknown) => e instanceof BackpressureError && e.retryAfterMs > 0);
      assert.ok(Date.now() - t0 < 100, 'back-pressure is immediate');
      const second = producer.send(topic, msgs(2, 'c'));
      await Promise.all([first, second]);
      assert.equal(await metricValue(pdeps, 'sextant_kafka_producer_backpressure_rejections_total'), 1);
      const got = await readTopic(conn, topic, 10);
      await producer.flush();
      const values = got.map((m) => m.value?.toString() ?? '');
      assert.equal(values.filter((v) => v.startsWith('b')).length, 0);
      assert.deepEqual(values.sort(), [...msgs(8, 'a'), ...msgs(2, 'c')].map((m) => m.value.toString()).sort());
    } finally {
      await producer.disconnect();
    }
  });

  it('fails with KafkaUnavailableError within sendTimeoutMs when Kafka is unreachable, never hangs', async () => {
    const port = await closedPort();
    const deadDeps = testDeps();
    const dead = new KafkaConnection(kafkaConfig({ brokers: [`127.0.0.1:${port}`], connectionTimeoutMs: 300, retries: 1 }), deadDeps);
    const producer = new RecordProducer(dead, producerConfig({ sendTimeoutMs: 1500 }), deadDeps);
    try {
      await assert.rejects(producer.connect(), KafkaUnavailableError);
      assert.equal(producer.isHealthy(), false);
      const t0 = Date.now();
      await assert.rejects(producer.send('any', [{ key: null, value: Buffer.from('x') }]), KafkaUnavailableError);
      const took = Date.now() - t0;
      assert.ok(took <= 1500 + 500, `rejected after ${took} ms`);
      await assert.rejects(dead.ping(), KafkaUnavailableError);
    } finally {
      await producer.disconnect();
      await dead.close();
    }
  });

  it('stays bounded against a broker that accepts connections and never answers, failing callers with KafkaUnavailableError', async () => {
    const sockets = new Set<Socket>();
    let maxOpenSockets = 0;
    const silent = createServer((s) => {
      sockets.add(s);
      maxOpenSockets = Math.max(maxOpenSockets, sockets.size);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const addr = silent.address();
    if (addr === null || typeof addr === 'string') throw new Error('no port');
    const sdeps = testDeps();
    const stuck = new KafkaConnection(kafkaConfig({ brokers: [`127.0.0.1:${addr.port}`], connectionTimeoutMs: 300, requestTimeoutMs: 600, retries: 1 }), sdeps);
    const producer = new RecordProducer(stuck, producerConfig({ sendTimeoutMs: 400, lingerMs: 0, maxBatchRecords: 5, maxBufferedRecords: 20 }), sdeps);
    const outcomes: Promise<string>[] = [];
    let maxBuffered = 0;
    let maxBackground = 0;
    try {
      await assert.rejects(producer.connect(), KafkaUnavailableError);
      for (let i = 0; i < 60; i++) {
        const p = producer.send('any', Array.from({ length: 5 }, (_, n) => ({ key: `k${n}`, value: Buffer.alloc(1000, i) })));
        outcomes.push(p.then(() => 'acknowledged', (e: unknown) => (e instanceof Error ? e.name : 'other')));
        maxBuffered = Math.max(maxBuffered, await metricValue(sdeps, 'sextant_kafka_producer_buffered_records'));
        maxBackground = Math.max(maxBackground, producer.backgroundSends);
        await new Promise((r) => setTimeout(r, 50));
      }
      const names = await Promise.all(outcomes);
      assert.ok(names.every((n) => n === 'KafkaUnavailableError' || n === 'BackpressureError'), names.join(','));
      assert.ok(names.filter((n) => n === 'KafkaUnavailableError').length >= 5);
      assert.ok(maxBuffered <= 20, `buffered ${maxBuffered} records`);
      assert.ok(maxBackground <= 1, `${maxBackground} background sends`);
      assert.ok(maxOpenSockets <= 3, `${maxOpenSockets} sockets open at once`);
    } finally {
      await producer.disconnect();
      await stuck.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
    assert.equal(producer.backgroundSends, 0);
  });

  it('round-trips a Snappy-compressed batch, compressed on the wire', async () => {
    const topic = uniqueName('snappy');
    await createTopic(conn, topic);
    const producer = new RecordProducer(conn, producerConfig({ compression: 'snappy' }), testDeps());
    await producer.connect();
    const values = Array.from({ length: 20 }, (_, i) => Buffer.from(`${i}:`.padEnd(10_000, 'abcdefgh')));
    try {
      await producer.send(topic, values.map((value, i) => ({ key: `k${i}`, value })));
    } finally {
      await producer.disconnect();
    }
    const stats = { fetchResponseBytes: 0 };
    const got = await readTopic(conn, topic, 20, 15000, stats);
    assert.deepEqual(
      got.map((m) => m.value),
      values,
    );
    // 200 kB of repetitive values: compressed they travel in far fewer bytes.
    assert.ok(stats.fetchResponseBytes < 50_000, `fetched ${stats.fetchResponseBytes} bytes for 200000 bytes of values`);
  });
});
