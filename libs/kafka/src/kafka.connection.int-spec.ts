import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { ConfigResourceTypes } from './kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { KafkaConnection } from './kafka.connection';
import { kafkaConfig, uniqueName } from './testing/int-env';

describe('KafkaConnection (real Kafka)', () => {
  const logs: { msg: string; topic?: string; config?: string; expected?: string; actual?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line));
      done();
    },
  });
  const deps = { logger: pino({ level: 'warn' }, sink), metrics: new Registry() };
  let conn: KafkaConnection;

  before(() => {
    conn = new KafkaConnection(kafkaConfig(), deps);
  });
  after(async () => {
    await conn.close();
  });

  async function describeTopic(topic: string): Promise<{ partitions: number; configs: Record<string, string> }> {
    const admin = conn.client.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: ['retention.ms', 'cleanup.policy'] }] });
      return { partitions: topics[0].partitions.length, configs: Object.fromEntries(resources[0].configEntries.map((e) => [e.configName, e.configValue])) };
    } finally {
      await admin.disconnect();
    }
  }

  it('answers ping when the cluster is up', async () => {
    await conn.ping();
  });

  it('creates missing topics with their configs, raises partitions, never lowers them, and reports drift', async () => {
    const topic = uniqueName('provisioned');
    const spec = { topic, partitions: 2, replicationFactor: 1, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } };
    await conn.ensureTopics([spec]);
    assert.deepEqual(await describeTopic(topic), { partitions: 2, configs: { 'retention.ms': '3600000', 'cleanup.policy': 'delete' } });

    await conn.ensureTopics([{ ...spec, partitions: 4 }]);
    assert.equal((await describeTopic(topic)).partitions, 4);

    await conn.ensureTopics([{ ...spec, partitions: 1, configs: { 'retention.ms': '7200000' } }]);
    const after1 = await describeTopic(topic);
    assert.equal(after1.partitions, 4, 'never lowered');
    assert.equal(after1.configs['retention.ms'], '3600000', 'drift is reported, not changed');
    const drift = logs.find((l) => l.topic === topic && l.config === 'retention.ms');
    assert.deepEqual(drift && [drift.expected, drift.actual], ['7200000', '3600000']);
  });

  it('is safe when several replicas provision the same topics at once', async () => {
    const topics = [uniqueName('race-a'), uniqueName('race-b')];
    const replicas = [0, 1, 2].map(() => new KafkaConnection(kafkaConfig(), deps));
    try {
      await Promise.all(replicas.map((r) => r.ensureTopics(topics.map((topic) => ({ topic, partitions: 3, replicationFactor: 1, configs: {} })))));
      await Promise.all(replicas.map((r) => r.ensureTopics(topics.map((topic) => ({ topic, partitions: 5, replicationFactor: 1, configs: {} })))));
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
    for (const t of topics) assert.equal((await describeTopic(t)).partitions, 5);
  });
});
