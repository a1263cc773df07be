import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BatchConsumer } from './batch.consumer';
import { RefetchRequiredError } from './kafka.errors';
import { committedOffsets, consumerConfig, createTopic, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

describe('BatchConsumer re-reads and liveness (real Kafka)', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack('refetch-test');
  });
  after(async () => {
    await stack.close();
  });

  it('on RefetchRequiredError re-reads the partition from the offset the group committed, not from where it was', async () => {
    const topic = uniqueName('refetch');
    await createTopic(stack.conn, topic);
    await stack.producer.send(topic, Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: Buffer.from(String(i)) })));
    const groupId = uniqueName('g');
    // The stage's transactions: each moves the group's offset with its (here empty) outputs.
    const txns = stack.conn.client.producer({ transactionalId: uniqueName('txn'), idempotent: true, maxInFlightRequests: 1 });
    await txns.connect();
    const commitInTransaction = async (offset: string): Promise<void> => {
      const txn = await txns.transaction();
      try {
        await txn.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset }] }] });
        await txn.commit();
      } catch (err) {
        // A young broker may answer CONCURRENT_TRANSACTIONS while the previous commit's markers are written:
        // abort, and the consumer retries the sub-batch.
        await txn.abort().catch(() => undefined);
        throw err;
      }
    };
    const seen: string[] = [];
    let ambiguous = true;
    const c = new BatchConsumer<Buffer>(stack.conn, consumerConfig(groupId, { subBatchSize: 5, autoCommit: false }), [topic], 'raw', async (batch) => {
      await commitInTransaction(batch.nextOffset);
      seen.push(...batch.records.map((r) => r.offset));
      // The transaction did commit, but the stage cannot know it (say, EndTxn timed out): re-read, do not retry.
      if (batch.records[0].offset === '5' && ambiguous) {
        ambiguous = false;
        throw new RefetchRequiredError('transaction outcome unknown');
      }
    }, { ...stack.deps, deadLetters: stack.deadLetters, stage: 'refetch-test' });
    await c.start();
    try {
      await waitFor('the first ten handled', () => seen.length >= 10);
      await stack.producer.send(topic, [{ key: 'k', value: Buffer.from('10') }]);
      await waitFor('the next record handled', () => seen.includes('10'));
      assert.deepEqual(seen, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'], 'records 5-9 were committed by their transaction: not redone');
      const refetches = (await stack.deps.metrics.getSingleMetric('sextant_kafka_consumer_refetches_total')?.get())?.values ?? [];
      assert.equal(refetches.find((v) => v.labels.topic === topic)?.value, 1);
    } finally {
      await c.stop();
      await txns.disconnect();
    }
    assert.equal((await committedOffsets(stack.conn, groupId, topic)).get(0), '11');
  });

  it('reports not live while a partition keeps failing past stallTimeoutMs, and live again once it completes', async () => {
    const topic = uniqueName('wedged');
    await createTopic(stack.conn, topic);
    await stack.producer.send(topic, [{ key: 'k', value: Buffer.from('x') }]);
    let failing = true;
    let handled = 0;
    const c = new BatchConsumer<Buffer>(stack.conn, consumerConfig(uniqueName('g'), { stallTimeoutMs: 1000 }), [topic], 'raw', async () => {
      if (failing) throw new Error('output wedged');
      handled++;
    }, { ...stack.deps, deadLetters: stack.deadLetters, stage: 'refetch-test' });
    await c.start();
    try {
      assert.equal(c.isLive(), true);
      await waitFor('not live', () => !c.isLive());
      assert.equal(c.isHealthy(), true, 'still in the group: readiness alone cannot see the wedge');
      failing = false;
      await waitFor('handled after recovery', () => handled === 1);
      assert.equal(c.isLive(), true);
    } finally {
      await c.stop();
    }
  });
});
