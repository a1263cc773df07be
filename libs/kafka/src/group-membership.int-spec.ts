import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { Registry } from 'prom-client';
import { GroupMembership } from './group-membership';
import { KafkaConnection } from './kafka.connection';
import { kafkaConfig, uniqueName } from './testing/int-env';

const SHARDS = 6;

describe('GroupMembership (real Kafka)', () => {
  const deps = { logger: pino({ level: 'warn' }), metrics: new Registry() };
  let conn: KafkaConnection;
  const topic = uniqueName('shards');
  const groupId = uniqueName('shard-group');

  before(async () => {
    conn = new KafkaConnection(kafkaConfig(), deps);
    await conn.ensureTopics([{ topic, partitions: SHARDS, replicationFactor: 1, configs: {} }]);
  });
  after(async () => {
    await conn.close();
  });

  async function until(what: string, ok: () => boolean, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
      await sleep(100);
    }
  }

  it('splits the shards between live members, every shard owned by exactly one, and hands them over when one leaves', async () => {
    const changes: number[][][] = [[], []];
    const members = [0, 1].map((i) => new GroupMembership(conn, { groupId, topic, sessionTimeoutMs: 6000, heartbeatIntervalMs: 500 }, deps.logger, (s) => changes[i]?.push(s)));
    const [a, b] = members as [GroupMembership, GroupMembership];
    await a.start();
    await until('the first member owning every shard', () => a.shards().length === SHARDS);
    await b.start();
    await until('both members owning shards', () => a.shards().length > 0 && b.shards().length > 0);
    const all = [...a.shards(), ...b.shards()].sort((x, y) => x - y);
    assert.deepEqual(all, [0, 1, 2, 3, 4, 5], 'the members partition the shards');
    // During the rebalance the first member gave up everything before taking its new share.
    assert.ok(changes[0]?.some((s) => s.length === 0), 'no shard held across the rebalance');
    assert.ok(a.healthy() && b.healthy());
    await b.stop();
    await until('the remaining member owning every shard again', () => a.shards().length === SHARDS);
    assert.deepEqual(b.shards(), []);
    await a.stop();
    assert.deepEqual(a.shards(), []);
    assert.equal(a.healthy(), false, 'a stopped member is not healthy');
  });
});
