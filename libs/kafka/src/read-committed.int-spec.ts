/**
 * read_committed on a real broker when transactions abort in another order than they began: what a replica
 * taking over after a crash does to the open per-partition transactions of the one it replaces. No record of
 * an aborted transaction may reach a consumer (KafkaJS's own filter let the first ones through).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from 'kafkajs';
import { createTopic, readTopic, startStack, uniqueName, type Stack } from './testing/int-env';

describe('read_committed with transactions aborted out of order (real Kafka)', () => {
  let stack: Stack;
  const producers: Producer[] = [];

  before(async () => {
    stack = await startStack('read-committed-test');
  });
  after(async () => {
    await Promise.all(producers.map((p) => p.disconnect()));
    await stack.close();
  });

  async function transactional(name: string): Promise<Producer> {
    const p = stack.conn.client.producer({ transactionalId: uniqueName(name), idempotent: true, maxInFlightRequests: 1 });
    producers.push(p);
    await p.connect();
    return p;
  }

  it('hands over no record of either aborted transaction, and every committed one', async () => {
    const topic = uniqueName('read-committed');
    await createTopic(stack.conn, topic);
    const [a, b, c] = [await transactional('a'), await transactional('b'), await transactional('c')];
    const send = (tx: Awaited<ReturnType<Producer['transaction']>>, value: string) => tx.send({ topic, messages: [{ partition: 0, key: 'k', value }] });

    // A begins first and aborts last: the broker lists B's aborted transaction before A's.
    const ta = await a.transaction();
    await send(ta, 'A1');
    const tb = await b.transaction();
    await send(tb, 'B1');
    await send(ta, 'A2');
    await tb.abort();
    await ta.abort();
    const tc = await c.transaction();
    await send(tc, 'C1');
    await tc.commit();
    const td = await c.transaction();
    await send(td, 'C2');
    await td.commit();

    const got = await readTopic(stack.conn, topic, 2);
    assert.deepEqual(got.map((m) => m.value?.toString()), ['C1', 'C2']);
  });
});
