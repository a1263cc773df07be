import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { BatchConsumer } from './batch.consumer';
import { defaultConsumerConfig } from './kafka.config';
import { consumerConfig, createTopic, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

const PARTITIONS = 4;

describe('recovery after a member is SIGKILLed (real Kafka, default session settings)', () => {
  let stack: Stack;
  let child: ChildProcess | null = null;

  before(async () => {
    stack = await startStack('recovery-test');
  });
  after(async () => {
    child?.kill('SIGKILL');
    await stack.close();
  });

  it('hands the killed member partitions to the survivor within about the session timeout, and prints the figure', async () => {
    const topic = uniqueName('recovery');
    const groupId = uniqueName('g');
    await createTopic(stack.conn, topic, PARTITIONS);
    const produceOnePerPartition = (tag: string) =>
      stack.producer.send(topic, Array.from({ length: PARTITIONS }, (_, partition) => ({ key: tag, partition, value: Buffer.from(tag) })));

    const defaults = defaultConsumerConfig(groupId);
    const survivorSaw = new Map<number, string[]>();
    const survivor = new BatchConsumer<Buffer>(
      stack.conn,
      consumerConfig(groupId, { sessionTimeoutMs: defaults.sessionTimeoutMs, heartbeatIntervalMs: defaults.heartbeatIntervalMs }),
      [topic],
      'raw',
      async (b) => void survivorSaw.set(b.partition, [...(survivorSaw.get(b.partition) ?? []), ...b.records.map((r) => r.value.toString())]),
      { ...stack.deps, deadLetters: stack.deadLetters, stage: 'recovery-test' },
    );
    await survivor.start();

    const victimSaw = new Set<number>();
    child = spawn(process.execPath, [join(__dirname, 'testing', 'group-member.child.js')], { env: { ...process.env, TOPIC: topic, GROUP: groupId }, stdio: ['ignore', 'pipe', 'inherit'] });
    createInterface({ input: child.stdout! }).on('line', (line) => victimSaw.add((JSON.parse(line) as { partition: number }).partition));
    // Keep producing until the group is split: each member handles records of its own partitions.
    for (let round = 0; victimSaw.size === 0 || survivorSaw.size === 0 || victimSaw.size + survivorSaw.size < PARTITIONS; round++) {
      if (round > 60) assert.fail(`the group never split (victim ${[...victimSaw]}, survivor ${[...survivorSaw.keys()]})`);
      await produceOnePerPartition(`warmup-${round}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    const victimPartitions = [...victimSaw];

    child.kill('SIGKILL');
    const killedAt = Date.now();
    await produceOnePerPartition('after-kill');
    const handledByTheSurvivor = () => victimPartitions.every((p) => survivorSaw.get(p)?.includes('after-kill'));
    await waitFor('the survivor handles the killed member partitions', handledByTheSurvivor, 60_000);
    const recoveryMs = Date.now() - killedAt;
    process.stdout.write(`# recovery after SIGKILL: ${recoveryMs} ms with sessionTimeoutMs ${defaults.sessionTimeoutMs}, heartbeatIntervalMs ${defaults.heartbeatIntervalMs} (partitions ${victimPartitions.join(',')} moved)\n`);
    assert.ok(victimPartitions.length > 0);
    await survivor.stop();
  });
});
