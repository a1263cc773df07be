/**
 * The real-broker side of the counter stage's integration tests: uniquely named topics per test, keyed
 * input with its true counts, a seeded random source (the seed is printed so a failure can be replayed),
 * waiting until the group has committed every input record, and reading back what the stage left: the
 * counts in its state (restored the way a new owner restores them) and the last count per key on its
 * output topic, committed transactions only.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaConnection, RecordProducer, defaultProducerConfig, type OutboundMessage, type TelemetryDeps } from '@sextant/kafka';
import pino from 'pino';
import { Registry } from 'prom-client';
import { readChangelog } from '../changelog.reader';
import { PartitionStateStore } from '../partition-state.store';
import { jsonStateCodec } from '../state.codec';
import { changelogProvision, changelogTopic, defaultStateStoreConfig } from '../state-store.config';
import type { CounterSettings } from './counter-env';

export const BROKERS = (process.env.SEXTANT_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const REGISTRY_URL = process.env.SEXTANT_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export { seededRandom } from '@sextant/testing';

export function testSeed(): number {
  const fromEnv = process.env.SEXTANT_TEST_SEED;
  return fromEnv !== undefined && fromEnv !== '' ? Number(fromEnv) : randomBytes(4).readUInt32BE(0);
}

export interface CounterRig {
  deps: TelemetryDeps;
  conn: KafkaConnection;
  settings: Omit<CounterSettings, 'transactionalId'>;
  partitions: number;
  logDir: string;
  close(): Promise<void>;
}

export async function counterRig(partitions: number, subBatchSize: number): Promise<CounterRig> {
  const deps = { logger: pino({ level: 'silent' }), metrics: new Registry() };
  const conn = new KafkaConnection({ brokers: BROKERS, clientId: 'state-int', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000 }, deps);
  const prefix = `test.${randomBytes(4).toString('hex')}.`;
  const settings = {
    brokers: BROKERS,
    registryUrl: REGISTRY_URL,
    inputTopic: `${prefix}counter.in`,
    outputTopic: `${prefix}counter.out`,
    changelogTopic: changelogTopic(prefix, 'counter', 'counts'),
    deadLetterTopic: `${prefix}deadletter`,
    groupId: `${prefix}counter`,
    subBatchSize,
    sessionTimeoutMs: 6000,
    logLevel: process.env.SEXTANT_TEST_LOG_LEVEL ?? 'warn',
  };
  await conn.ensureTopics([
    { topic: settings.inputTopic, partitions, replicationFactor: 1, configs: {} },
    { topic: settings.outputTopic, partitions, replicationFactor: 1, configs: {} },
    { topic: settings.deadLetterTopic, partitions: 1, replicationFactor: 1, configs: {} },
    changelogProvision(settings.changelogTopic, partitions, 1),
  ]);
  return { deps, conn, settings, partitions, logDir: mkdtempSync(join(tmpdir(), 'sextant-state-')), close: () => conn.close() };
}

/** Produces `records` records over `keys` keys (chosen by `random`) and returns the true count per key. */
export async function produceKeyed(rig: CounterRig, records: number, keys: number, random: () => number): Promise<Map<string, number>> {
  const truth = new Map<string, number>();
  const messages: OutboundMessage[] = [];
  for (let i = 0; i < records; i++) {
    const key = `key-${Math.floor(random() * keys)}`;
    truth.set(key, (truth.get(key) ?? 0) + 1);
    messages.push({ key, value: Buffer.from(String(i)) });
  }
  const producer = new RecordProducer(rig.conn, defaultProducerConfig(), rig.deps);
  await producer.connect();
  try {
    await producer.send(rig.settings.inputTopic, messages);
  } finally {
    await producer.disconnect();
  }
  return truth;
}

/** Resolves once the group's committed offset equals the end of every input partition. */
export async function waitCaughtUp(rig: CounterRig, timeoutMs: number, alive: () => boolean): Promise<void> {
  const ends = new Map((await rig.conn.topicOffsets(rig.settings.inputTopic)).map((o) => [o.partition, o.high]));
  const until = Date.now() + timeoutMs;
  for (;;) {
    const committed = await rig.conn.groupOffsets(rig.settings.groupId, rig.settings.inputTopic);
    if (committed.length === ends.size && committed.every((c) => c.offset === ends.get(c.partition))) return;
    if (!alive()) throw new Error('no counter replica is running');
    if (Date.now() > until) throw new Error(`group not caught up within ${timeoutMs} ms: ${JSON.stringify(committed)} vs ${JSON.stringify([...ends])}`);
    await sleep(200);
  }
}

export interface FinalCounts {
  /** Counts per key as a new owner restores them from the changelog. */
  state: Map<string, number>;
  /** Restored checkpoint per partition: the input offset the state covers. */
  checkpoints: Map<number, string | null>;
  /** Last committed count per key on the output topic. */
  output: Map<string, number>;
}

/**
 * What the stage left, once it is settled: every restored checkpoint equals the group's committed offset
 * and the output agrees with the state. A replica killed inside a transaction leaves it open until the
 * broker aborts it (the transaction timeout), and read-committed readers see nothing written after its
 * start on the partitions it touched until then; so this polls, and returns the last reading after
 * timeoutMs for the caller's assertions to show what differs.
 */
export async function settledCounts(rig: CounterRig, timeoutMs = 90_000): Promise<FinalCounts> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const got = await finalCounts(rig);
    const committed = await rig.conn.groupOffsets(rig.settings.groupId, rig.settings.inputTopic);
    const checkpointed = committed.every((c) => got.checkpoints.get(c.partition) === c.offset);
    if ((checkpointed && JSON.stringify(sorted(got.state)) === JSON.stringify(sorted(got.output))) || Date.now() > until) return got;
    await sleep(1000);
  }
}

async function finalCounts(rig: CounterRig): Promise<FinalCounts> {
  const store = new PartitionStateStore<number>(defaultStateStoreConfig('counts'), rig.settings.changelogTopic, jsonStateCodec<number>(), rig.conn, rig.deps);
  const state = new Map<string, number>();
  const checkpoints = new Map<number, string | null>();
  for (let p = 0; p < rig.partitions; p++) {
    const r = await store.restore(p);
    checkpoints.set(p, r.checkpoint);
    for (const [k, v] of store.entries(p)) state.set(k, v);
  }
  const output = new Map<string, number>();
  await readChangelog(rig.conn, rig.settings.outputTopic, null, 60_000, (r) => {
    if (r.value === null) return;
    const { key, count } = JSON.parse(r.value.toString('utf8')) as { key: string; count: number };
    output.set(key, count);
  });
  return { state, checkpoints, output };
}

export function sorted(m: Map<string, number>): [string, number][] {
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}
