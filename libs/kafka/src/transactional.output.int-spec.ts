import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { KafkaConnection } from './kafka.connection';
import { RefetchRequiredError } from './kafka.errors';
import { committedOffsets, createTopic, kafkaConfig, readTopic, testDeps, uniqueName } from './testing/int-env';
import { TransactionalOutput, type TransactionalIdMode } from './transactional.output';

describe('TransactionalOutput (real Kafka)', () => {
  const deps = testDeps();
  const conn = new KafkaConnection(kafkaConfig(), deps);
  after(() => conn.close());

  const output = (id: string, idMode: TransactionalIdMode = 'per-replica'): TransactionalOutput =>
    new TransactionalOutput(conn, id, { compression: 'none', sendTimeoutMs: 10_000, idMode }, deps.logger);
  const values = (prefix: string, n: number, bytes = 8): Buffer[] => Array.from({ length: n }, (_, i) => Buffer.concat([Buffer.from(`${prefix}${i}:`), randomBytes(bytes)]));

  it('commits a transaction larger than one produce request by splitting it, all or nothing', async () => {
    const [input, out, group] = [uniqueName('txn-in'), uniqueName('txn-big'), uniqueName('txn-group')];
    await createTopic(conn, input);
    await createTopic(conn, out);
    const txn = output(uniqueName('txn-id'));
    await txn.connect();
    try {
      // 300 incompressible 4 KiB records, 1.2 MB: one record batch of them is above the broker's message.max.bytes.
      const big = values('r', 300, 4096);
      await txn.commit([{ topic: out, messages: big.map((value) => ({ key: 'one-stream', value })) }], { groupId: group, topic: input, partition: 0, offset: '300' });
      const got = await readTopic(conn, out, 300);
      assert.equal(got.length, 300);
      assert.deepEqual(new Set(got.map((m) => m.value?.subarray(0, 6).toString())), new Set(big.map((v) => v.subarray(0, 6).toString())));
      assert.equal((await committedOffsets(conn, group, input)).get(0), '300');
    } finally {
      await txn.disconnect();
    }
  });

  it('recovers after being fenced: the failed transaction asks for a refetch, the next one commits', async () => {
    const [input, out, group, id] = [uniqueName('fence-in'), uniqueName('fence-out'), uniqueName('fence-group'), uniqueName('fence-id')];
    await createTopic(conn, input);
    await createTopic(conn, out);
    const a = output(id);
    const b = output(id);
    await a.connect();
    try {
      const send = (t: TransactionalOutput, v: string, offset: string) => t.commit([{ topic: out, messages: [{ key: 'k', value: Buffer.from(v) }] }], { groupId: group, topic: input, partition: 0, offset });
      await send(a, 'a1', '1');
      await b.connect(); // same transactional id: fences a
      await send(b, 'b1', '2');
      await assert.rejects(send(a, 'a2', '3'), RefetchRequiredError);
      assert.equal(a.isHealthy(), false);
      await send(a, 'a3', '4'); // a's rebuilt producer now holds the id
      assert.equal(a.isHealthy(), true);
      const got = await readTopic(conn, out, 3);
      assert.deepEqual(got.map((m) => m.value?.toString()), ['a1', 'b1', 'a3']);
      assert.equal((await committedOffsets(conn, group, input)).get(0), '4');
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });

  it('per-partition ids: the new owner of a partition fences the old one, which yields instead of fencing back', async () => {
    const [input, out, group, base] = [uniqueName('move-in'), uniqueName('move-out'), uniqueName('move-group'), uniqueName('parser')];
    await createTopic(conn, input, 2);
    await createTopic(conn, out);
    const a = output(base, 'per-partition');
    const b = output(base, 'per-partition');
    await a.connect();
    await b.connect();
    try {
      const send = (t: TransactionalOutput, v: string, partition: number, offset: string) =>
        t.commit([{ topic: out, messages: [{ key: v, value: Buffer.from(v), partition: 0 }] }], { groupId: group, topic: input, partition, offset });
      await send(a, 'a-p0', 0, '1');
      await send(a, 'a-p1', 1, '1');
      await send(b, 'b-p0', 0, '2'); // partition 0 moved to b
      await assert.rejects(send(a, 'zombie-p0', 0, '9'), RefetchRequiredError);
      await send(b, 'b-p0-again', 0, '3'); // not fenced back by the zombie
      await send(a, 'a-p1-again', 1, '2'); // a's other partition is unaffected
      assert.equal(a.isHealthy(), true, 'losing a partition is not a failure');
      const got = await readTopic(conn, out, 5);
      assert.deepEqual(got.map((m) => m.value?.toString()), ['a-p0', 'a-p1', 'b-p0', 'b-p0-again', 'a-p1-again']);
      const offsets = await committedOffsets(conn, group, input);
      assert.deepEqual([offsets.get(0), offsets.get(1)], ['3', '2']);
    } finally {
      await a.disconnect();
      await b.disconnect();
    }
  });
});
