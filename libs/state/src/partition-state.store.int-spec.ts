/**
 * restore() against a real broker: a store's flushes committed through TransactionalOutput over many
 * transactions, with updates, deletes and an aborted transaction, restore into exactly the state that was
 * committed, for the partition asked and no other, and every record sits on the changelog partition of its
 * input partition. Prints how long the restore took.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { TransactionalOutput } from '@sextant/kafka';
import { parseChangelogRecord } from './changelog.format';
import { readChangelog } from './changelog.reader';
import { PartitionStateStore } from './partition-state.store';
import { jsonStateCodec } from './state.codec';
import { defaultStateStoreConfig } from './state-store.config';
import { counterRig, sorted, type CounterRig } from './testing/counter-harness';

const KEYS = 20_000;
const PER_TRANSACTION = 2_000;

describe('PartitionStateStore.restore on a real broker', () => {
  const rigs: CounterRig[] = [];
  after(async () => {
    for (const r of rigs) await r.close();
  });

  it('restores exactly the committed state of its partition', async () => {
    const rig = await counterRig(2, 1);
    rigs.push(rig);
    const { conn, deps, settings } = rig;
    const output = new TransactionalOutput(conn, `${settings.groupId}.writer`, { compression: 'none', sendTimeoutMs: 10_000 }, deps.logger);
    await output.connect();
    const writer = new PartitionStateStore<number>(defaultStateStoreConfig('counts'), settings.changelogTopic, jsonStateCodec<number>(), conn, deps);
    await writer.restore(0);
    await writer.restore(1);
    const expected = new Map<string, number>();
    const commit = async (partition: number, nextOffset: number): Promise<void> => {
      const messages = writer.flush(partition, String(nextOffset));
      await output.commit([{ topic: settings.changelogTopic, messages }], { groupId: settings.groupId, topic: settings.inputTopic, partition, offset: String(nextOffset) });
    };
    try {
      for (let i = 0; i < KEYS; i++) {
        writer.set(0, `key-${i}`, i);
        expected.set(`key-${i}`, i);
        if ((i + 1) % PER_TRANSACTION === 0) await commit(0, i + 1);
      }
      for (let i = 0; i < KEYS; i += 10) {
        writer.delete(0, `key-${i}`);
        expected.delete(`key-${i}`);
        writer.set(0, `key-${i + 1}`, -1);
        expected.set(`key-${i + 1}`, -1);
      }
      await commit(0, KEYS + 1);
      writer.set(1, 'key-1', 99); // same state key on another partition: must not leak into partition 0
      await commit(1, 1);

      // Written, then aborted (the offset commit fails: no such group id is valid): a restore must not see it.
      writer.set(0, 'aborted', 1);
      const aborted = writer.flush(0, String(KEYS + 2));
      await assert.rejects(output.commit([{ topic: settings.changelogTopic, messages: aborted }], { groupId: '', topic: settings.inputTopic, partition: 0, offset: String(KEYS + 2) }));
    } finally {
      await output.disconnect();
    }

    const reader = new PartitionStateStore<number>(defaultStateStoreConfig('counts'), settings.changelogTopic, jsonStateCodec<number>(), conn, deps);
    const r = await reader.restore(0);
    console.log(`restore of ${r.keys} keys from ${r.recordsRead} changelog records: ${r.seconds.toFixed(2)} s`);
    assert.deepEqual(sorted(new Map(reader.entries(0))), sorted(expected));
    assert.equal(r.checkpoint, String(KEYS + 1));
    await reader.restore(1);
    assert.deepEqual([...reader.entries(1)], [['key-1', 99]]);

    const misplaced: string[] = [];
    await readChangelog(conn, settings.changelogTopic, null, 30_000, (rec) => {
      const entry = parseChangelogRecord(rec.key, rec.value);
      if (entry?.partition !== rec.partition) misplaced.push(`${String(rec.key)} on ${rec.partition}`);
    });
    assert.deepEqual(misplaced, [], 'every changelog record is on the partition of its input partition');
  });
});
