/**
 * The compliance suite every consumer stage passes: one node:test `describe` per stage, one case per promise
 * a stage makes, each on a fresh isolated rig of real processes on the real broker, registry and store. Start
 * and stop; offsets committed only after delivery; poison dead-lettered while the partition flows on; SIGKILLs
 * at seeded random points with two replicas; a rebalance in the middle of batches (A→B→A) while records
 * flow; state restored identically (skipped, with the stage's reason, for a stateless stage). Every case
 * counts exactly: each input record's effect once, nothing else. The seed is printed; SEXTANT_COMPLIANCE_SEED
 * replays a run.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { STAGES, STAGE_NAMES, type StageName } from '@sextant/contracts';
import { seededRandom } from '../seeded-random';
import { assertExactlyOnce, idsFor, waitCommittedToEnd, waitFor } from './compliance-checks';
import type { ComplianceReplica, ComplianceRig, ComplianceSubject, InputMessage } from './compliance-subject';

/** Kills in the SIGKILL case; each lands while records are produced and processed. */
const KILLS = 6;
/** Records waiting for A when B starts: more than A gets through while B starts (a few seconds). */
const REBALANCE_BACKLOG = 15_000;

async function withRig(subject: ComplianceSubject, body: (rig: ComplianceRig) => Promise<void>): Promise<void> {
  const rig = await subject.rig();
  try {
    await body(rig);
  } catch (err) {
    for (const r of rig.replicas) console.log(`--- ${r.stage} replica ${rig.replicas.indexOf(r)}:\n${r.tail(20)}`);
    throw err;
  } finally {
    await rig.close();
  }
}

/** Produces `perRound` new ids every `everyMs` until `done()` is true; returns them all. */
async function flow(rig: ComplianceRig, tag: string, perRound: number, everyMs: number, done: () => boolean): Promise<string[]> {
  const ids: string[] = [];
  for (let r = 0; !done(); r++) {
    const batch = idsFor(tag, perRound, r * perRound);
    await rig.produce(batch);
    ids.push(...batch);
    await sleep(everyMs);
  }
  return ids;
}

/** A replica started on a backlog of `n` records, once its first effect is durable: it is mid-way by construction. */
async function busyReplica(rig: ComplianceRig, tag: string, n: number): Promise<{ replica: ComplianceReplica; ids: string[]; messages: InputMessage[] }> {
  const replica = await rig.startReplica();
  const ids = idsFor(tag, n);
  const messages = await rig.produce(ids);
  await waitFor(`a first effect of ${tag}`, () => rig.effects(), (e) => e.size > 0, 60_000);
  return { replica, ids, messages };
}

export function consumerStageCompliance(subject: ComplianceSubject): void {
  const seed = Number(process.env['SEXTANT_COMPLIANCE_SEED'] ?? randomBytes(4).readUInt32BE(0));

  describe(`consumer-stage compliance: ${subject.stage}`, () => {
    it('declares the same statefulness as its stage declaration', () => {
      if (!(STAGE_NAMES as readonly string[]).includes(subject.stage)) return;
      const declared = STAGES[subject.stage as StageName].state;
      assert.equal('stateless' in subject.state, declared === 'none', `STAGES says ${subject.stage} keeps state '${declared}'`);
    });

    it('starts, delivers, and on SIGTERM commits what it delivered, exits 0 and leaves the group', async () => {
      await withRig(subject, async (rig) => {
        const a = await rig.startReplica();
        const ids = idsFor('start', 200);
        await rig.produce(ids);
        await assertExactlyOnce(rig, ids);
        assert.equal(await a.stop('SIGTERM'), 0, 'exit code after SIGTERM');
        const { committed, ends } = await rig.offsets();
        for (const [p, end] of ends) assert.equal(committed.get(p), end, `committed offset of partition ${p} after a graceful stop`);
        assert.equal(await rig.groupMembers(), 0, 'no member left in the group');
        // A successor has nothing to redo: new records arrive once, old ones are not written again.
        await rig.startReplica();
        const more = idsFor('after-restart', 60);
        await rig.produce(more);
        await assertExactlyOnce(rig, [...ids, ...more], 90_000, ' after a restart');
      });
    });

    it('commits offsets only after delivery: what was not durable at a SIGKILL is read again', async () => {
      await withRig(subject, async (rig) => {
        const { replica: a, ids, messages } = await busyReplica(rig, 'commit', 3000);
        await a.stop('SIGKILL');
        // With Kafka transactions, a commit becomes visible on the group's offsets and on each output partition
        // at slightly different moments (the coordinator writes the markers one by one), and a commit the killed
        // replica had sent may still be completing. So offsets and effects are read together until they agree
        // (bounded: everything settles once the coordinator is done), and then judged.
        const agree = (committed: Map<number, bigint>, durable: Map<string, number>): boolean =>
          messages.every((m) => {
            const below = BigInt(m.offset) < (committed.get(m.partition) ?? -1n);
            return below ? m.ids.every((id) => durable.has(id)) : !rig.atomicEffectsAndOffsets || m.ids.every((id) => !durable.has(id));
          });
        let committed = (await rig.offsets()).committed;
        let durable = await rig.effects();
        for (const settleBy = Date.now() + 15_000; !agree(committed, durable) && Date.now() < settleBy; ) {
          await sleep(250);
          committed = (await rig.offsets()).committed;
          durable = await rig.effects();
        }
        let committedRecords = 0;
        for (const m of messages) {
          if (BigInt(m.offset) >= (committed.get(m.partition) ?? -1n)) {
            if (!rig.atomicEffectsAndOffsets) continue;
            const early = m.ids.filter((id) => durable.has(id));
            assert.deepEqual(early, [], `partition ${m.partition}, offset ${m.offset} is not committed (committed ${committed.get(m.partition)}), yet its effects are durable`);
            continue;
          }
          committedRecords += m.ids.length;
          for (const id of m.ids) assert.ok(durable.has(id), `${id} (partition ${m.partition}, offset ${m.offset}) is below the committed offset but its effect is not durable`);
        }
        const doubled = [...durable].filter(([, n]) => n > 1).map(([id]) => id);
        if (doubled.length > 0 && rig.whereIs) console.log(`twice before the kill: ${await rig.whereIs(doubled.slice(0, 5))}`);
        assert.equal(doubled.length, 0, 'no effect durable twice before the kill');
        const pending = ids.filter((id) => !durable.has(id)).length;
        console.log(`${subject.stage}: at the SIGKILL ${durable.size} effects durable, ${committedRecords} records committed, ${pending} to be read again`);
        assert.ok(pending > 0, 'the kill must land before every record was delivered');
        await rig.startReplica();
        await assertExactlyOnce(rig, ids, 90_000, ' after the kill');

        if (!rig.withholdDelivery) return;
        // Deliveries failing: the stage reads on, but commits nothing past what is durable.
        await waitCommittedToEnd(rig);
        const before = await rig.offsets();
        const resume = await rig.withholdDelivery();
        const held = idsFor('held', 200);
        await rig.produce(held);
        await sleep(4000);
        const during = await rig.offsets();
        for (const [p, end] of before.ends) assert.equal(during.committed.get(p), end, `partition ${p}: nothing committed while deliveries fail`);
        for (const r of rig.replicas) if (r.running) await r.stop('SIGKILL');
        await resume();
        await rig.startReplica();
        await assertExactlyOnce(rig, [...ids, ...held], 90_000, ' after deliveries failed and the replica was killed');
      });
    });

    it('dead-letters a poison record with stage, reason, bytes and coordinates, and its partition flows on', async () => {
      await withRig(subject, async (rig) => {
        await rig.startReplica();
        const before = idsFor('before-poison', 50);
        await rig.produce(before, { partition: 0 });
        const poison = await rig.producePoison(0);
        const after = idsFor('after-poison', 50);
        await rig.produce(after, { partition: 0 });
        await assertExactlyOnce(rig, [...before, ...after], 30_000, ' around the poison');
        const letters = await waitFor('the dead letter', () => rig.deadLetters(), (d) => d.length > 0, 30_000);
        assert.equal(letters.length, 1, 'exactly one dead letter');
        const d = letters[0];
        assert.ok(d);
        assert.equal(d.stage, subject.stage);
        assert.ok(d.reason.length > 0, 'a reason');
        assert.deepEqual({ topic: d.topic, partition: d.partition, offset: d.offset }, { topic: rig.inputTopic, partition: 0, offset: poison.message.offset });
        assert.ok(d.value !== null && d.value.equals(poison.value), 'the original bytes');
        await waitCommittedToEnd(rig, 30_000);
      });
    });

    it(`survives SIGKILLs at seeded random points with 2 replicas (seed ${seed}): every effect exactly once`, async () => {
      console.log(`${subject.stage} compliance seed ${seed} (replay with SEXTANT_COMPLIANCE_SEED=${seed})`);
      const random = seededRandom(seed);
      await withRig(subject, async (rig) => {
        const replicas: ComplianceReplica[] = [await rig.startReplica(), await rig.startReplica()];
        const kills: string[] = [];
        let amidWork = 0;
        const started = Date.now();
        const schedule = (async () => {
          for (let k = 0; k < KILLS; k++) {
            await sleep(700 + random() * 1500);
            const victim = replicas[Math.floor(random() * replicas.length)];
            if (!victim?.running) continue;
            // Amid work: some input not yet committed when the kill lands.
            const { committed, ends } = await rig.offsets();
            if ([...ends].some(([p, end]) => (committed.get(p) ?? -1n) < end)) amidWork++;
            kills.push(`${((Date.now() - started) / 1000).toFixed(1)}s replica ${replicas.indexOf(victim)}`);
            await victim.stop('SIGKILL');
            await sleep(100 + random() * 900);
            victim.start();
          }
        })();
        let killing = true;
        const flowing = flow(rig, 'kill', 50, 200, () => !killing);
        await schedule.finally(() => (killing = false));
        const ids = await flowing;
        console.log(`${subject.stage}: ${kills.length} kills, ${amidWork} amid uncommitted work: ${kills.join(', ')}`);
        assert.ok(kills.length >= KILLS / 2 && amidWork >= KILLS / 2, 'kills happened, most of them amid work');
        await Promise.all(replicas.map((r) => r.waitReady(120_000)));
        await assertExactlyOnce(rig, ids, 180_000, ` with kills (seed ${seed})`);
      });
    });

    it('Rebalance: partitions move A→B→A between two replicas mid-batch while records flow: no duplicate and no gap', async () => {
      await withRig(subject, async (rig) => {
        const { replica: a, ids: backlog } = await busyReplica(rig, 'backlog', REBALANCE_BACKLOG);
        let flowingOn = true;
        const flowing = flow(rig, 'flowing', 30, 150, () => !flowingOn);
        const b = await rig.startReplica();
        const durableAtJoin = await rig.effects();
        const atJoin = backlog.filter((id) => durableAtJoin.has(id)).length;
        assert.ok(atJoin < backlog.length, 'B must join while A is still working through its backlog');
        await waitFor('B reading partitions it took from A', () => rig.hasWorked(b), (worked) => worked, 60_000);
        assert.equal(await rig.groupMembers(), 2, 'both replicas in the group');
        assert.equal(await b.stop('SIGTERM'), 0, 'B leaves cleanly');
        assert.ok(a.running, 'A kept running');
        assert.equal(await rig.groupMembers(), 1, 'A alone in the group again');
        // Records on every partition after B left, with A the only member: their effects prove every partition came back to A.
        const afterB = idsFor('after-b', 90);
        const afterBPartitions = new Set((await rig.produce(afterB)).map((m) => m.partition));
        flowingOn = false;
        const ids = [...backlog, ...(await flowing), ...afterB];
        console.log(`${subject.stage}: B joined with ${atJoin} of ${backlog.length} backlog effects durable; ${ids.length} records in all`);
        await assertExactlyOnce(rig, ids, 120_000, ' across A→B→A');
        assert.equal(afterBPartitions.size, (await rig.offsets()).ends.size, 'records after B left went to every partition');
        await waitCommittedToEnd(rig);
      });
    });

    const state = subject.state;
    if ('stateless' in state) {
      it('restores its state identically after SIGKILLs', { skip: `${subject.stage} is ${state.stateless}` }, () => undefined);
    } else {
      it('restores its state identically after SIGKILLs', async () => {
        await withRig(subject, async (rig) => {
          const { replica: a, ids } = await busyReplica(rig, 'state', 2000);
          await a.stop('SIGKILL');
          // Restarted as itself, as a supervisor restarts it: its identity fences the transaction it left open,
          // which would otherwise hide everything after it from committed readers until the broker's timeout.
          a.start();
          await a.waitReady(120_000);
          await waitCommittedToEnd(rig, 120_000);
          assert.equal(await a.stop('SIGTERM'), 0, 'exit code after SIGTERM');
          assert.deepEqual(await state.restored(rig), state.expected(rig, ids), 'restored state equals an uninterrupted run');
        });
      });
    }
  });
}
