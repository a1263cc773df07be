import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { TopicPartition } from './consumed-batch';
import { defaultConsumerConfig } from './kafka.config';
import { kafkaMetrics } from './kafka.metrics';
import { OwnedPartitions } from './owned-partitions';

function owned(groupOffset: (topic: string, partition: number) => Promise<string> = async () => '42') {
  const seeks: string[] = [];
  const hooks: string[] = [];
  const tp = (ps: TopicPartition[]) => ps.map((p) => `${p.topic}/${p.partition}`).join(',');
  const o = new OwnedPartitions({
    cfg: { ...defaultConsumerConfig('g'), retryBackoffMs: 1, maxRetryBackoffMs: 2 },
    metrics: kafkaMetrics(new Registry()),
    logger: pino({ level: 'silent' }),
    lifecycle: { onPartitionsRevoked: (ps) => void hooks.push(`revoked ${tp(ps)}`) },
    onDone: () => undefined,
    flowControl: () => undefined,
    seek: (topic, partition, offset) => void seeks.push(`${topic}/${partition}@${offset}`),
    groupOffset,
    stopSignal: new AbortController().signal,
  });
  return { o, seeks, hooks };
}

describe('OwnedPartitions', () => {
  it('drops revoked partitions (signal aborted, hook called) and resumes retained ones where their handlers got to', async () => {
    const { o, seeks, hooks } = owned();
    o.assign({ t: [0, 1] });
    const kept = o.get('t', 0);
    const lost = o.get('t', 1);
    kept.fetchFrontier = 17n;
    o.assign({ t: [0, 2] });
    await new Promise((r) => setImmediate(r));
    assert.equal(lost.signal.aborted, true);
    assert.equal(kept.signal.aborted, false);
    assert.equal(o.get('t', 0), kept, 'a retained partition keeps its progress (and its deferred records)');
    assert.deepEqual(seeks, ['t/0@17']);
    assert.deepEqual(hooks, ['revoked t/1']);
    assert.deepEqual([...o.values()].map((p) => p.partition).sort(), [0, 2]);
  });

  it('re-reads a partition from the group offset the broker has, with fresh progress, retrying the lookup', async () => {
    let failures = 2;
    const { o, seeks, hooks } = owned(async () => {
      if (failures-- > 0) throw new Error('coordinator moving');
      return '42';
    });
    o.assign({ t: [0] });
    const old = o.get('t', 0);
    old.track(['50']);
    old.markDone(['50']);
    await o.refetch(old, new Error('unknown outcome'), () => true);
    assert.equal(old.signal.aborted, true);
    const fresh = o.get('t', 0);
    assert.notEqual(fresh, old);
    assert.equal(fresh.committable(), null, 'nothing of the old bookkeeping survives');
    assert.equal(fresh.failingSince, null);
    assert.deepEqual(seeks, ['t/0@42']);
    assert.deepEqual(hooks, ['revoked t/0']);
  });

  it('gives a re-read up to the rejoin when asked to stop trying', async () => {
    const { o, seeks } = owned(async () => Promise.reject(new Error('down')));
    o.assign({ t: [0] });
    let tries = 3;
    await o.refetch(o.get('t', 0), new Error('unknown outcome'), () => tries-- > 0);
    assert.deepEqual(seeks, []);
    assert.notEqual(o.get('t', 0).failingSince, null, 'still failing: liveness sees it');
  });
});
