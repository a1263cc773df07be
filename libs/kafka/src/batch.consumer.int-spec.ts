import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchConsumer } from './batch.consumer';
import type { ConsumedBatch } from './partition-batch.run';
import { committedOffsets, consumerConfig, createTopic, readDeadLetters, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

const THING = {
  type: 'record',
  name: 'Thing',
  namespace: 'io.sextant.test',
  fields: [
    { name: 'n', type: 'long' },
    { name: 'label', type: 'string' },
  ],
};
interface Thing {
  n: bigint;
  label: string;
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('BatchConsumer (real Kafka and registry)', () => {
  let stack: Stack;
  let thingId: number;
  const consumers: BatchConsumer<unknown>[] = [];

  before(async () => {
    stack = await startStack('test');
    thingId = await stack.serde.register(`${uniqueName('thing')}-value`, THING, 'BACKWARD');
  });
  after(async () => {
    await Promise.all(consumers.map((c) => c.stop()));
    await stack.close();
  });

  function consumer<T>(topic: string, groupId: string, cfg: Parameters<typeof consumerConfig>[1], handler: (b: ConsumedBatch<T>) => Promise<void>): BatchConsumer<T> {
    const c = new BatchConsumer<T>(stack.conn, consumerConfig(groupId, cfg), [topic], 'avro', handler, {
      ...stack.deps,
      serde: stack.serde,
      deadLetters: stack.deadLetters,
      stage: 'test',
    });
    consumers.push(c as BatchConsumer<unknown>);
    return c;
  }

  async function produceThings(topic: string, partition: number, from: number, to: number): Promise<void> {
    const messages = await Promise.all(
      range(from, to).map(async (n) => ({ key: `k${n}`, partition, value: await stack.serde.encode(thingId, { n: BigInt(n), label: 'ok' }) })),
    );
    await stack.producer.send(topic, messages);
  }

  it('dead-letters undecodable records with their bytes and coordinates, and handles and commits past them', async () => {
    const topic = uniqueName('undecodable');
    await createTopic(stack.conn, topic);
    const good = (n: number, label = 'ok') => stack.serde.encode(thingId, { n: BigInt(n), label });
    const garbage = Buffer.from('not avro at all');
    const wrongId = Buffer.from(await good(3));
    wrongId.writeUInt32BE(0x7ffffff0, 1);
    const invalid = await good(4, 'invalid');
    await stack.producer.send(topic, [
      { key: 'k0', value: await good(0) },
      { key: 'k1', value: await good(1) },
      { key: 'bad1', value: garbage, headers: { trace: 'abc', bin: Buffer.from([0xff]) } },
      { key: 'bad2', value: wrongId },
      { key: 'k4', value: invalid },
      { key: 'k5', value: await good(5) },
    ]);
    const handled: number[] = [];
    const groupId = uniqueName('g');
    const c = consumer<Thing>(topic, groupId, { subBatchSize: 2 }, async (batch) => {
      for (const r of batch.records) {
        // Not awaited on purpose: the batch must still wait for the dead letter before it counts as done.
        if (r.value.label === 'invalid') void batch.deadLetter(r, 'label is invalid', 'invalid', 'tenant-a');
        else handled.push(Number(r.value.n));
      }
    });
    await c.start();
    await waitFor('records after the bad ones handled', () => handled.length === 3);
    assert.deepEqual(handled, [0, 1, 5]);
    // Committed while running (after the batch), not only at stop.
    let committed = '';
    for (let i = 0; i < 50 && committed !== '6'; i++) {
      committed = (await committedOffsets(stack.conn, groupId, topic)).get(0) ?? '';
      if (committed !== '6') await sleep(100);
    }
    assert.equal(committed, '6');
    await c.stop();

    const letters = (await readDeadLetters(stack, 3)).sort((a, b) => Number(a.offset - b.offset));
    assert.deepEqual(
      letters.map((l) => [l.stage, l.errorKind, l.topic, l.partition, l.offset]),
      [
        ['test', 'undecodable', topic, 0, 2n],
        ['test', 'undecodable', topic, 0, 3n],
        ['test', 'invalid', topic, 0, 4n],
      ],
    );
    assert.match(letters[0].reason, /magic byte/);
    assert.deepEqual(letters[0].value, garbage);
    assert.deepEqual(letters[0].key, Buffer.from('bad1'));
    assert.deepEqual(letters[0].headers, { trace: 'abc', bin: 'b64:/w==' });
    assert.ok(letters[0].timestampMs > 0n && letters[0].failedAtMs >= letters[0].timestampMs);
    assert.match(letters[1].reason, /not in the registry/);
    assert.deepEqual(letters[1].value, wrongId);
    assert.equal(letters[2].reason, 'label is invalid');
    assert.equal(letters[2].tenant, 'tenant-a');
    assert.deepEqual(letters[2].value, invalid);
    const counted = (await stack.deps.metrics.getSingleMetric('sextant_deadletter_records_total')?.get())?.values ?? [];
    assert.deepEqual(
      counted.filter((v) => v.labels.source_topic === topic).map((v) => [v.labels.kind, v.value]).sort(),
      [
        ['invalid', 1],
        ['undecodable', 2],
      ],
    );
  });

  it('retries a failing handler without committing past it, then handles every record once and in order', async () => {
    const topic = uniqueName('failing');
    await createTopic(stack.conn, topic, 2);
    await produceThings(topic, 0, 0, 15);
    await produceThings(topic, 1, 0, 15);
    const groupId = uniqueName('g');
    const attempts = [0, 0];
    const committedWhileFailing: string[] = [];
    const handled: number[][] = [[], []];
    const c = consumer<Thing>(topic, groupId, { subBatchSize: 5 }, async (batch) => {
      if (++attempts[batch.partition] <= 2) {
        committedWhileFailing.push((await committedOffsets(stack.conn, groupId, topic)).get(batch.partition) ?? 'none');
        throw new Error('output is down');
      }
      for (const r of batch.records) handled[batch.partition].push(Number(r.value.n));
    });
    await c.start();
    await waitFor('all records handled', () => handled[0].length >= 15 && handled[1].length >= 15);
    assert.deepEqual(handled, [range(0, 15), range(0, 15)]);
    assert.deepEqual(committedWhileFailing, ['-1', '-1', '-1', '-1']);
    await c.stop();
    const committed = await committedOffsets(stack.conn, groupId, topic);
    assert.deepEqual([committed.get(0), committed.get(1)], ['15', '15']);
    const failures = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_handler_failures_total')?.get())?.values ?? [];
    assert.equal(failures.find((v) => v.labels.topic === topic)?.value, 4);
  });

  it('on stop drains in-flight work and commits exactly what was handled; the next member resumes there', async () => {
    const topic = uniqueName('stop');
    await createTopic(stack.conn, topic);
    await produceThings(topic, 0, 0, 40);
    const groupId = uniqueName('g');
    const first: number[] = [];
    const a = consumer<Thing>(topic, groupId, { subBatchSize: 4, maxInFlightSubBatches: 2 }, async (batch) => {
      await sleep(batch.records[0].offset === '4' ? 120 : 40); // the second sub-batch finishes after the third
      for (const r of batch.records) first.push(Number(r.value.n));
    });
    await a.start();
    await waitFor('some records handled', () => first.length >= 12);
    await a.stop();
    const committedAfterStop = (await committedOffsets(stack.conn, groupId, topic)).get(0);
    const done = [...first].sort((x, y) => x - y);
    assert.ok(done.length < 40, 'stopped before the end');
    assert.deepEqual(done, range(0, done.length), 'what was handled is a prefix without repeats');
    assert.equal(committedAfterStop, String(done.length));

    const second: number[] = [];
    const b = consumer<Thing>(topic, groupId, {}, async (batch) => {
      for (const r of batch.records) second.push(Number(r.value.n));
    });
    await b.start();
    await waitFor('the rest handled', () => done.length + second.length >= 40);
    await sleep(300);
    assert.deepEqual(second, range(done.length, 40));
    await b.stop();
    assert.equal((await committedOffsets(stack.conn, groupId, topic)).get(0), '40');
  });

  it('runs several sub-batches of a partition at once and resolves offsets only below the first unfinished one', async () => {
    const topic = uniqueName('concurrent');
    await createTopic(stack.conn, topic);
    await produceThings(topic, 0, 0, 30);
    const groupId = uniqueName('g');
    let inHandler = 0;
    let maxInHandler = 0;
    const handled: number[] = [];
    const commitsSeen: string[] = [];
    // Commit at every chance, so that anything resolved too early would show in the group's offsets.
    const c = consumer<Thing>(topic, groupId, { subBatchSize: 3, maxInFlightSubBatches: 3, commitIntervalMs: 1 }, async (batch) => {
      inHandler++;
      maxInHandler = Math.max(maxInHandler, inHandler);
      if (batch.records[0].offset === '0') {
        // The first sub-batch finishes last: nothing may be committed until it is done.
        await waitFor('the other sub-batches', () => handled.length === 27);
        await sleep(100);
        commitsSeen.push((await committedOffsets(stack.conn, groupId, topic)).get(0) ?? 'none');
      } else {
        await sleep(Math.random() * 30);
      }
      for (const r of batch.records) handled.push(Number(r.value.n));
      inHandler--;
    });
    await c.start();
    await waitFor('all handled', () => handled.length >= 30);
    await c.stop();
    assert.ok(maxInHandler > 1, `at most ${maxInHandler} sub-batch in the handler at once`);
    assert.ok(maxInHandler <= 3);
    assert.deepEqual([...handled].sort((x, y) => x - y), range(0, 30));
    assert.deepEqual(commitsSeen, ['-1']);
    assert.equal((await committedOffsets(stack.conn, groupId, topic)).get(0), '30');
    const lag = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_lag')?.get())?.values ?? [];
    assert.equal(lag.find((v) => v.labels.topic === topic)?.value, 0);
  });
});
