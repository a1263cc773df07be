import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import { kafkaMetrics } from './kafka.metrics';
import { OffsetCommitter, type OffsetCommit } from './offset.committer';
import { PartitionProgress } from './partition-progress';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function partition(n: number, offsets: string[]): PartitionProgress {
  const p = new PartitionProgress('t', n, { maxDeferredRecords: 100, metrics: kafkaMetrics(new Registry()), onDone: () => undefined, pause: () => undefined, resume: () => undefined });
  p.track(offsets);
  return p;
}

describe('OffsetCommitter', () => {
  it('coalesces requests into one commit per interval, of each partition highest contiguous done offset, once', async () => {
    const a = partition(0, ['10', '11', '12']);
    const b = partition(1, ['5']);
    const commits: OffsetCommit[][] = [];
    const c = new OffsetCommitter(true, 100, () => [a, b], async (o) => void commits.push(o), pino({ level: 'silent' }));
    await c.flush(); // nothing done yet: commits nothing, starts the interval
    a.markDone(['10', '12']);
    c.request();
    c.request();
    b.markDone(['5']);
    c.request();
    assert.deepEqual(commits, []);
    await sleep(200);
    assert.deepEqual(commits, [[{ topic: 't', partition: 0, offset: '11' }, { topic: 't', partition: 1, offset: '6' }]]);
    c.request();
    await c.flush();
    assert.equal(commits.length, 1, 'nothing new: nothing committed');
    a.markDone(['11']);
    await c.flush();
    assert.deepEqual(commits[1], [{ topic: 't', partition: 0, offset: '13' }]);
  });

  it('commits nothing when offsets move only inside transactions, or for a dropped partition', async () => {
    const a = partition(0, ['1']);
    a.markDone(['1']);
    const commits: OffsetCommit[][] = [];
    await new OffsetCommitter(false, 1, () => [a], async (o) => void commits.push(o), pino({ level: 'silent' })).flush();
    a.drop();
    await new OffsetCommitter(true, 1, () => [a], async (o) => void commits.push(o), pino({ level: 'silent' })).flush();
    assert.deepEqual(commits, []);
  });

  it('retries a failed commit', async () => {
    const a = partition(0, ['1']);
    a.markDone(['1']);
    let fail = 1;
    const commits: OffsetCommit[][] = [];
    const c = new OffsetCommitter(true, 10, () => [a], async (o) => {
      if (fail-- > 0) throw new Error('REBALANCE_IN_PROGRESS');
      commits.push(o);
    }, pino({ level: 'silent' }));
    await c.flush();
    await sleep(40);
    assert.deepEqual(commits, [[{ topic: 't', partition: 0, offset: '2' }]]);
    c.close();
  });
});

describe('PartitionProgress', () => {
  it('is stalled only while failing with nothing completed for the timeout', () => {
    const p = partition(0, ['1']);
    const now = Date.now();
    assert.equal(p.stalled(now + 10_000, 1000), false, 'idle is not stalled');
    p.failingSince = now;
    assert.equal(p.stalled(now + 500, 1000), false);
    assert.equal(p.stalled(now + 1000, 1000), true);
    p.lastCompletedAt = now + 900;
    assert.equal(p.stalled(now + 1000, 1000), false, 'a completion resets the clock');
  });

  it('runs the assigned hook once, and again after it failed', async () => {
    const p = partition(0, []);
    let calls = 0;
    const hook = async () => {
      if (++calls === 1) throw new Error('state store down');
    };
    await assert.rejects(p.ready(hook), /state store down/);
    await p.ready(hook);
    await p.ready(hook);
    assert.equal(calls, 2);
  });
});
