import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { KafkaConnection } from './kafka.connection';
import { KafkaUnavailableError } from './kafka.errors';
import { boundedSendRetry } from './outbound';
import { RecordProducer } from './record.producer';

/** A KafkaJS producer whose sends hang until released, and fail when it disconnects (its sockets close). */
class HangingProducer {
  readonly events = { CONNECT: 'connect', DISCONNECT: 'disconnect', REQUEST: 'request' };
  sendBatchCalls = 0;
  /** When set, connect() waits for it. */
  connectGate: Promise<void> | null = null;
  retry: { retries: number } | null = null;
  private readonly hung: { resolve: () => void; reject: (e: Error) => void }[] = [];
  private listeners = new Map<string, () => void>();

  on(event: string, fn: () => void): void {
    this.listeners.set(event, fn);
  }
  async connect(): Promise<void> {
    if (this.connectGate) await this.connectGate;
    this.listeners.get('connect')?.();
  }
  async disconnect(): Promise<void> {
    for (const h of this.hung.splice(0)) h.reject(new Error('connection closed'));
  }
  sendBatch(): Promise<void> {
    this.sendBatchCalls++;
    return new Promise((resolve, reject) => this.hung.push({ resolve, reject }));
  }
  releaseAll(): void {
    for (const h of this.hung.splice(0)) h.resolve();
  }
}

function producerOn(fake: HangingProducer, metrics: Registry): RecordProducer {
  const conn = {
    config: { requestTimeoutMs: 1000 },
    client: {
      producer: (opts: { retry: { retries: number } }) => {
        fake.retry = opts.retry;
        return fake;
      },
    },
  } as unknown as KafkaConnection;
  const cfg = { lingerMs: 0, maxBatchRecords: 10, maxBatchBytes: 10_000, maxBufferedRecords: 100, maxBufferedBytes: 100_000, compression: 'none' as const, sendTimeoutMs: 50 };
  return new RecordProducer(conn, cfg, { logger: pino({ level: 'silent' }), metrics });
}

async function gauge(metrics: Registry, name: string): Promise<number> {
  return (await metrics.getSingleMetric(name)?.get())?.values[0]?.value ?? NaN;
}

describe('RecordProducer with a Kafka that never answers', () => {
  it('keeps one KafkaJS send at a time: a timed-out send blocks the next until KafkaJS settles it', async () => {
    const fake = new HangingProducer();
    const metrics = new Registry();
    const producer = producerOn(fake, metrics);
    await producer.connect();
    for (let i = 0; i < 5; i++) {
      await assert.rejects(producer.send('t', [{ key: `k${i}`, value: Buffer.from('v') }]), KafkaUnavailableError);
    }
    assert.equal(fake.sendBatchCalls, 1, 'timed-out sends must not pile up inside KafkaJS');
    assert.equal(producer.backgroundSends, 1);
    assert.equal(await gauge(metrics, 'sextant_kafka_producer_background_sends'), 1);
    assert.equal(await gauge(metrics, 'sextant_kafka_producer_buffered_records'), 0);
    fake.releaseAll();
    const next = producer.send('t', [{ key: 'k', value: Buffer.from('v') }]);
    await new Promise((r) => setTimeout(r, 10));
    fake.releaseAll();
    await next;
    assert.equal(fake.sendBatchCalls, 2);
    assert.equal(producer.backgroundSends, 0);
    await producer.disconnect();
  });

  it('settles a background send on disconnect', async () => {
    const fake = new HangingProducer();
    const metrics = new Registry();
    const producer = producerOn(fake, metrics);
    await producer.connect();
    await assert.rejects(producer.send('t', [{ key: 'k', value: Buffer.from('v') }]), KafkaUnavailableError);
    // The caller's own timer and the send's timeout fire about together; wait for the latter.
    while (producer.backgroundSends === 0) await new Promise((r) => setTimeout(r, 5));
    await producer.disconnect();
    assert.equal(producer.backgroundSends, 0);
    assert.equal(await gauge(metrics, 'sextant_kafka_producer_background_sends'), 0);
  });

  it('does not send records late when the connect completes only after their callers timed out', async () => {
    const fake = new HangingProducer();
    let open!: () => void;
    fake.connectGate = new Promise((r) => (open = r));
    const producer = producerOn(fake, new Registry());
    await assert.rejects(producer.connect(), KafkaUnavailableError);
    await assert.rejects(producer.send('t', [{ key: 'k', value: Buffer.from('late') }]), KafkaUnavailableError);
    while (producer.backgroundSends === 0) await new Promise((r) => setTimeout(r, 5));
    open();
    while (producer.backgroundSends > 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(fake.sendBatchCalls, 0);
    await producer.disconnect();
  });

  it('gives KafkaJS finite retries whose delays fit within half the send timeout', () => {
    const fake = new HangingProducer();
    producerOn(fake, new Registry());
    assert.ok(fake.retry !== null && fake.retry.retries >= 1 && fake.retry.retries < 20, `retries ${fake.retry?.retries}`);
    for (const sendTimeoutMs of [50, 1000, 10_000, 60_000]) {
      const r = boundedSendRetry(sendTimeoutMs);
      // Worst case of KafkaJS's schedule: every delay jittered up by its factor.
      let total = 0;
      let delay = r.initialRetryTime! * (1 + r.factor!);
      for (let i = 0; i < r.retries; i++) {
        total += delay;
        delay = Math.min(delay * (1 + r.factor!) * r.multiplier!, r.maxRetryTime);
      }
      assert.ok(r.retries === 1 || total <= sendTimeoutMs / 2, `${sendTimeoutMs} ms: ${r.retries} retries wait up to ${total} ms`);
    }
  });
});
