/**
 * The state store's guarantee, shown on a real broker with a real stage process: a stage counting records
 * per key across batches, SIGKILLed at seeded random points and restarted, or handing partitions to a second
 * replica and losing the first, ends with exactly the true counts, both in its restored state and as the last
 * committed output per key. Kill points are counted in commits (so they land mid-stream whatever the
 * machine's speed) plus a few random milliseconds (so some land inside a transaction).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { CounterProcess } from './testing/counter-process';
import { counterRig, produceKeyed, settledCounts, seededRandom, sorted, testSeed, waitCaughtUp, type CounterRig } from './testing/counter-harness';

const PARTITIONS = 4;

async function assertExact(rig: CounterRig, truth: Map<string, number>): Promise<void> {
  const got = await settledCounts(rig);
  assert.deepEqual(sorted(got.state), sorted(truth), 'restored state equals the true counts');
  assert.deepEqual(sorted(got.output), sorted(truth), 'last committed output per key equals the true counts');
  const committed = await rig.conn.groupOffsets(rig.settings.groupId, rig.settings.inputTopic);
  for (const c of committed) assert.equal(got.checkpoints.get(c.partition), c.offset, `checkpoint of partition ${c.partition} is the committed offset`);
}

describe('PartitionStateStore in a counting stage', () => {
  const rigs: CounterRig[] = [];
  const running: CounterProcess[] = [];
  after(async () => {
    for (const p of running) await p.kill('SIGKILL');
    for (const r of rigs) await r.close();
  });

  it('counts exactly across SIGKILLs at random points and restarts', async () => {
    const seed = testSeed();
    console.log(`state kill test seed: ${seed} (replay with SEXTANT_TEST_SEED=${seed})`);
    const random = seededRandom(seed);
    const rig = await counterRig(PARTITIONS, 5);
    rigs.push(rig);
    const truth = await produceKeyed(rig, 1500, 40, random);
    const settings = { ...rig.settings, transactionalId: `${rig.settings.groupId}.replica-0` };

    const kills = 8;
    let restoredWithState = 0;
    for (let i = 0; i < kills; i++) {
      const stage = new CounterProcess(settings, join(rig.logDir, `kill-${i}.log`));
      running.push(stage);
      stage.start();
      const commits = 1 + Math.floor(random() * 25);
      await stage.waitFor('committed', commits);
      await sleep(Math.floor(random() * 20));
      await stage.kill('SIGKILL');
      restoredWithState += stage.reports.filter((r) => r.event === 'restored' && (r.keys ?? 0) > 0).length;
    }
    const last = new CounterProcess(settings, join(rig.logDir, 'final.log'));
    running.push(last);
    last.start();
    await waitCaughtUp(rig, 120_000, () => last.running);
    await last.kill('SIGTERM');
    restoredWithState += last.reports.filter((r) => r.event === 'restored' && (r.keys ?? 0) > 0).length;

    assert.ok(restoredWithState > 0, 'some restarted replica restored state that earlier lives had built');
    await assertExact(rig, truth);
  });

  it('hands state over on a rebalance, and back when the second replica dies (A → B → A)', async () => {
    const rig = await counterRig(PARTITIONS, 5);
    rigs.push(rig);
    const truth = await produceKeyed(rig, 1200, 30, seededRandom(testSeed()));
    const a = new CounterProcess({ ...rig.settings, transactionalId: `${rig.settings.groupId}.replica-a` }, join(rig.logDir, 'a.log'));
    const b = new CounterProcess({ ...rig.settings, transactionalId: `${rig.settings.groupId}.replica-b` }, join(rig.logDir, 'b.log'));
    running.push(a, b);

    a.start();
    await a.waitFor('committed', 20);
    b.start();
    await b.waitFor('committed', 10);
    assert.ok(b.reports.some((r) => r.event === 'restored' && (r.keys ?? 0) > 0), 'the second replica restored state the first had built');
    const restoresBeforeKill = a.count('restored');
    // A still holds its old copy of the partitions B took: on getting them back it must see B's progress.
    await b.kill('SIGKILL');

    await waitCaughtUp(rig, 150_000, () => a.running);
    await a.kill('SIGTERM');
    assert.ok(a.count('restored') > restoresBeforeKill, 'the first replica restored the partitions it got back');
    await assertExact(rig, truth);
  });
});
