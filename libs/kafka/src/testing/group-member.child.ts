/**
 * A consumer-group member in a process of its own, for specs that kill it (SIGKILL: no leave, no commit).
 * Joins GROUP on TOPIC with the default session and heartbeat settings and prints one JSON line per handled
 * sub-batch: {"partition": n, "offsets": [...]}. Not part of the public API.
 */
import { defaultConsumerConfig } from '../kafka.config';
import { BatchConsumer } from '../batch.consumer';
import { consumerConfig, startStack } from './int-env';

async function main(): Promise<void> {
  const topic = process.env.TOPIC ?? '';
  const groupId = process.env.GROUP ?? '';
  const defaults = defaultConsumerConfig(groupId);
  const stack = await startStack('group-member');
  const cfg = consumerConfig(groupId, { sessionTimeoutMs: defaults.sessionTimeoutMs, heartbeatIntervalMs: defaults.heartbeatIntervalMs });
  const c = new BatchConsumer<Buffer>(stack.conn, cfg, [topic], 'raw', async (b) => {
    process.stdout.write(`${JSON.stringify({ partition: b.partition, offsets: b.records.map((r) => r.offset) })}\n`);
  }, { ...stack.deps, deadLetters: stack.deadLetters, stage: 'group-member' });
  await c.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
