import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConsumedBatch, KafkaConnection, OutboundMessage, TransactionalCommit, TransactionalOutput } from '@sextant/kafka';
import pino from 'pino';
import type { CheckpointedStore, RestoreResult } from './partition-state.store';
import { StatefulOutput } from './stateful.output';

/** A store whose changelog is a variable: `durable` is what a restore finds. */
class FakeStore implements CheckpointedStore {
  readonly name = 'counts';
  readonly changelog = 't.counts.changelog';
  durable: string | null = null;
  restores = 0;
  private held = new Map<number, string | null>();
  holds(p: number): boolean {
    return this.held.has(p);
  }
  checkpoint(p: number): string | null {
    return this.held.get(p) ?? null;
  }
  flush(p: number, nextOffset: string): OutboundMessage[] {
    this.held.set(p, nextOffset);
    return [{ key: `${p}|cp`, value: Buffer.from(nextOffset), partition: p }];
  }
  async restore(p: number): Promise<RestoreResult> {
    this.restores++;
    this.held.set(p, this.durable);
    return { partition: p, keys: 0, recordsRead: 0, checkpoint: this.durable, overflow: 0, seconds: 0 };
  }
  drop(p: number): void {
    this.held.delete(p);
  }
}

function rig(committed: () => string, settleTimeoutMs?: number) {
  const store = new FakeStore();
  const commits: { outputs: { topic: string; messages: OutboundMessage[] }[]; offsets: TransactionalCommit }[] = [];
  let fail = false;
  const output = {
    commit: async (outputs: { topic: string; messages: OutboundMessage[] }[], offsets: TransactionalCommit) => {
      if (fail) throw new Error('transaction failed');
      commits.push({ outputs, offsets });
      store.durable = offsets.offset;
    },
  } as unknown as TransactionalOutput;
  const conn = { groupOffsets: async () => [{ partition: 0, offset: committed() }] } as unknown as KafkaConnection;
  const stateful = new StatefulOutput(output, [store], conn, pino({ level: 'silent' }), settleTimeoutMs === undefined ? {} : { settleTimeoutMs });
  return { store, commits, stateful, failNext: (f: boolean) => void (fail = f) };
}

function batch(first: number, count: number): ConsumedBatch<Buffer> {
  const records = Array.from({ length: count }, (_, i) => ({
    topic: 'in',
    partition: 0,
    offset: String(first + i),
    index: -1,
    key: Buffer.from('k'),
    value: Buffer.alloc(0),
    headers: {},
    timestamp: '0',
  }));
  const signal = new AbortController().signal;
  return { topic: 'in', partition: 0, records, groupId: 'g', nextOffset: String(first + count), fetchedFrom: String(first), deadLetter: async () => undefined, signal, defer: () => ({ ack: () => undefined, signal }) };
}

describe('StatefulOutput', () => {
  it('restores a partition on its first sub-batch and commits outputs, changelog and offset in one transaction', async () => {
    const r = rig(() => '0');
    assert.equal((await r.stateful.prepare(batch(0, 5))).length, 5);
    await r.stateful.commit(batch(0, 5), [{ topic: 'out', messages: [{ key: 'k', value: Buffer.from('1') }] }]);
    assert.equal(r.store.restores, 1);
    assert.deepEqual(r.commits.map((c) => [c.outputs.map((o) => o.topic), c.offsets]), [[['out', 't.counts.changelog'], { groupId: 'g', topic: 'in', partition: 0, offset: '5' }]]);
  });

  it('skips the records a redelivered sub-batch already put in the state', async () => {
    const r = rig(() => '5');
    r.store.durable = '3';
    const fresh = await r.stateful.prepare(batch(0, 5));
    assert.deepEqual(fresh.map((x) => x.offset), ['3', '4']);
  });

  it('takes a gap the group agrees with for transaction markers, without restoring', async () => {
    let committed = '0';
    const r = rig(() => committed);
    await r.stateful.prepare(batch(0, 5));
    await r.stateful.commit(batch(0, 5), []);
    committed = '5';
    assert.equal((await r.stateful.prepare(batch(6, 5))).length, 5);
    assert.equal(r.store.restores, 1);
  });

  it('restores again when the group moved past the checkpoint (another member processed the partition)', async () => {
    let committed = '0';
    const r = rig(() => committed);
    await r.stateful.prepare(batch(0, 5));
    await r.stateful.commit(batch(0, 5), []);
    r.store.durable = '20';
    committed = '20';
    assert.equal((await r.stateful.prepare(batch(20, 5))).length, 5);
    assert.equal(r.store.restores, 2);
    assert.equal(r.store.checkpoint(0), '20');
  });

  it('refuses to go on while the changelog and the group disagree, and holds nothing meanwhile', async () => {
    const r = rig(() => '30');
    r.store.durable = '20';
    await r.stateful.prepare(batch(20, 5));
    await assert.rejects(r.stateful.prepare(batch(30, 5)), /covers offset 20 but the group committed 30/);
    assert.equal(r.store.holds(0), false);
  });

  it('takes a checkpoint that still trails after the settle timeout as records that changed no state', async () => {
    const r = rig(() => '30', 0);
    r.store.durable = '20';
    await r.stateful.prepare(batch(20, 5));
    assert.equal((await r.stateful.prepare(batch(30, 5))).length, 5);
  });

  it('needs no restore when the group trails the checkpoint (an offset commit outside the transaction)', async () => {
    const r = rig(() => '10');
    r.store.durable = '20';
    await r.stateful.prepare(batch(20, 5));
    assert.equal((await r.stateful.prepare(batch(25, 5))).length, 5);
    assert.equal(r.store.restores, 1);
  });

  it('drops the partition when its transaction fails, so the retry restores what is durable', async () => {
    const r = rig(() => '0');
    await r.stateful.prepare(batch(0, 5));
    r.failNext(true);
    await assert.rejects(r.stateful.commit(batch(0, 5), []), /transaction failed/);
    assert.equal(r.store.holds(0), false);
    r.failNext(false);
    assert.equal((await r.stateful.prepare(batch(0, 5))).length, 5);
    assert.equal(r.store.restores, 2);
  });
});
