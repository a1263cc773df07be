import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchConsumer } from './batch.consumer';
import type { ConsumedBatch, DeliveryHandle, TopicPartition } from './consumed-batch';
import { committedOffsets, consumerConfig, createTopic, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BatchConsumer deferred acknowledgement and rebalances (real Kafka)', () => {
  let stack: Stack;
  const consumers: BatchConsumer<Buffer>[] = [];

  before(async () => {
    stack = await startStack('deferred-test');
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await stack.close();
  });

  function consumer(
    topic: string,
    groupId: string,
    handler: (b: ConsumedBatch<Buffer>) => Promise<void>,
    lifecycle?: { assigned: TopicPartition[]; revoked: TopicPartition[] },
    maxDeferredRecords?: number,
  ): BatchConsumer<Buffer> {
    const c = new BatchConsumer<Buffer>(stack.conn, consumerConfig(groupId, { subBatchSize: 5, commitIntervalMs: 50, maxDeferredRecords }), [topic], 'raw', handler, {
      ...stack.deps,
      deadLetters: stack.deadLetters,
      stage: 'deferred-test',
      ...(lifecycle
        ? { lifecycle: { onPartitionsAssigned: (ps) => void lifecycle.assigned.push(...ps), onPartitionsRevoked: (ps) => void lifecycle.revoked.push(...ps) } }
        : {}),
    });
    consumers.push(c);
    return c;
  }

  async function produce(topic: string, partition: number, count: number): Promise<void> {
    await stack.producer.send(topic, Array.from({ length: count }, (_, i) => ({ key: `k${i}`, partition, value: Buffer.from(`${partition}:${i}`) })));
  }

  const committed = async (groupId: string, topic: string, partition = 0) => (await committedOffsets(stack.conn, groupId, topic)).get(partition);

  async function waitCommitted(groupId: string, topic: string, partition: number, offset: string): Promise<void> {
    for (let i = 0; i < 100; i++) {
      if ((await committed(groupId, topic, partition)) === offset) return;
      await sleep(50);
    }
    assert.equal(await committed(groupId, topic, partition), offset);
  }

  /** A started consumer of a fresh one-partition topic holding `records` records, deferring every batch. */
  async function deferringConsumer(name: string, records: number, maxDeferredRecords?: number) {
    const topic = uniqueName(name);
    await createTopic(stack.conn, topic);
    await produce(topic, 0, records);
    const groupId = uniqueName('g');
    const handles: DeliveryHandle[] = [];
    const seen: string[] = [];
    const c = consumer(topic, groupId, async (b) => {
      seen.push(...b.records.map((r) => r.offset));
      handles.push(b.defer());
    }, undefined, maxDeferredRecords);
    await c.start();
    return { topic, groupId, handles, seen, c };
  }

  it('commits a deferred batch only once it is acked, and does not fetch it again meanwhile', async () => {
    const { topic, groupId, handles, seen, c } = await deferringConsumer('deferred', 10);
    await waitFor('both sub-batches handled', () => handles.length === 2);
    await sleep(500);
    assert.equal(await committed(groupId, topic), '-1', 'nothing committed before an ack');
    handles[0].ack();
    await waitCommitted(groupId, topic, 0, '5');
    handles[1].ack();
    await waitCommitted(groupId, topic, 0, '10');
    assert.deepEqual(seen, Array.from({ length: 10 }, (_, i) => String(i)), 'each record handled once');
    await c.stop();
  });

  it('on a rebalance, drops the deferred work of revoked partitions (signal aborted, late acks ignored) and keeps that of retained ones', async () => {
    const topic = uniqueName('rebalance');
    await createTopic(stack.conn, topic, 2);
    await produce(topic, 0, 10);
    await produce(topic, 1, 10);
    const groupId = uniqueName('g');
    const aHandles = new Map<number, DeliveryHandle[]>([
      [0, []],
      [1, []],
    ]);
    const aSeen = [0, 0];
    const aLife = { assigned: [] as TopicPartition[], revoked: [] as TopicPartition[] };
    const a = consumer(topic, groupId, async (b) => {
      aSeen[b.partition] += b.records.length;
      aHandles.get(b.partition)?.push(b.defer());
    }, aLife);
    await a.start();
    await waitFor('A handled both partitions', () => aSeen[0] === 10 && aSeen[1] === 10);
    assert.deepEqual(aLife.assigned.map((p) => p.partition).sort(), [0, 1]);

    const bSeen: string[] = [];
    const b = consumer(topic, groupId, async (batch) => void bSeen.push(...batch.records.map((r) => `${r.partition}:${r.offset}`)));
    await b.start();
    await waitFor('B handled the partition it took over', () => bSeen.length >= 10, 30_000);
    const moved = Number(bSeen[0].split(':')[0]);
    const kept = 1 - moved;
    assert.deepEqual(bSeen, Array.from({ length: 10 }, (_, i) => `${moved}:${i}`), 'B redoes what A never acked');
    await waitFor('A told about the revocation', () => aLife.revoked.length > 0);
    assert.deepEqual(aLife.revoked, [{ topic, partition: moved }]);
    const movedHandles = aHandles.get(moved) ?? [];
    assert.ok(movedHandles.every((h) => h.signal.aborted), 'A must not write for a partition it lost');
    assert.ok((aHandles.get(kept) ?? []).every((h) => !h.signal.aborted));
    for (const h of movedHandles) h.ack();
    await waitCommitted(groupId, topic, moved, '10');

    // A kept the other partition: it resumes after what it handled (no redelivery), and commits on ack.
    await sleep(500);
    assert.equal(aSeen[kept], 10);
    assert.equal(await committed(groupId, topic, kept), '-1');
    for (const h of aHandles.get(kept) ?? []) h.ack();
    await waitCommitted(groupId, topic, kept, '10');
    const late = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_late_acks_total')?.get())?.values ?? [];
    assert.equal(late.find((v) => v.labels.topic === topic)?.value, movedHandles.length);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('pauses a partition holding more than maxDeferredRecords unacked records, and resumes it as acks arrive', async () => {
    const { topic, groupId, handles, seen, c } = await deferringConsumer('backpressure', 30, 10);
    await waitFor('the bound exceeded', () => seen.length > 10);
    await sleep(800);
    const held = seen.length;
    assert.ok(held > 10 && held <= 15, `paused right after the sub-batch that crossed the bound (held ${held})`);
    await sleep(500);
    assert.equal(seen.length, held, 'no more records while they wait for acks');
    const gauge = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_deferred_records')?.get())?.values ?? [];
    assert.equal(gauge.find((v) => v.labels.topic === topic)?.value, held);
    for (const h of handles.splice(0)) h.ack();
    await waitFor('fetching resumed', () => seen.length >= 30);
    for (const h of handles.splice(0)) h.ack();
    await waitCommitted(groupId, topic, 0, '30');
    assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => String(i)), 'each record handled once, in order');
    const pauses = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_deferral_pauses_total')?.get())?.values ?? [];
    assert.ok((pauses.find((v) => v.labels.topic === topic)?.value ?? 0) >= 1);
    await c.stop();
  });

  it('on stop, waits for deferred acks within the drain and commits them before leaving', async () => {
    const { topic, groupId, handles, c } = await deferringConsumer('stop', 10);
    await waitFor('both sub-batches handled', () => handles.length === 2);
    const stopped = c.stop();
    await sleep(300); // the sink's flush lands during the drain
    for (const h of handles) h.ack();
    await stopped;
    assert.equal(await committed(groupId, topic), '10');
  });
});
