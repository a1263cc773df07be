import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Admin } from 'kafkajs';
import pino from 'pino';
import { creationConfigs, provisionTopics } from './topic.provisioner';

const spec = (replicationFactor: number, configs: Record<string, string> = {}) => ({ topic: `t${replicationFactor}`, partitions: 3, replicationFactor, configs });

/** An admin with no topics that records what it was asked to create. */
function recordingAdmin(created: { topic: string; configEntries?: { name: string; value: string }[] }[]): Admin {
  return {
    listTopics: async () => [],
    createTopics: async ({ topics }: { topics: typeof created }) => {
      created.push(...topics);
      return true;
    },
    fetchTopicMetadata: async ({ topics }: { topics: string[] }) => ({ topics: topics.map((name) => ({ name, partitions: [{}, {}, {}] })) }),
  } as unknown as Admin;
}

describe('topic provisioning', () => {
  it('creates topics with min.insync.replicas = RF − 1 from RF 2, and leaves RF 1 alone', async () => {
    const created: { topic: string; configEntries?: { name: string; value: string }[] }[] = [];
    await provisionTopics(recordingAdmin(created), [spec(1, { 'retention.ms': '1000' }), spec(2), spec(3)], pino({ level: 'silent' }));
    const minIsr = (topic: string) => created.find((t) => t.topic === topic)?.configEntries?.find((e) => e.name === 'min.insync.replicas')?.value;
    assert.equal(minIsr('t1'), undefined);
    assert.equal(minIsr('t2'), '1');
    assert.equal(minIsr('t3'), '2');
    assert.equal(created.find((t) => t.topic === 't1')?.configEntries?.find((e) => e.name === 'retention.ms')?.value, '1000');
  });

  it('keeps an explicit min.insync.replicas, and refuses one that a single lost broker would make unwritable', async () => {
    assert.equal(creationConfigs(spec(5, { 'min.insync.replicas': '3' }))['min.insync.replicas'], '3');
    await assert.rejects(provisionTopics(recordingAdmin([]), [spec(3, { 'min.insync.replicas': '3' })], pino({ level: 'silent' })), /min\.insync\.replicas/);
  });
});
