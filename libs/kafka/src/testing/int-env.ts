/**
 * Shared wiring of this lib's integration specs (not part of the public API): the real broker and registry
 * from SEXTANT_KAFKA_BROKERS / SEXTANT_SCHEMA_REGISTRY_URL, uniquely named topics and groups per test, fast
 * consumer settings, a full transport stack (connection, serde, producer, dead-letter publisher), and
 * readers that look at what actually landed on a topic and what a group actually committed.
 */
import { randomBytes } from 'node:crypto';
import { DEAD_LETTER_SCHEMA, avroTypeOptions, type DeadLetter } from '@sextant/contracts';
import type { KafkaMessage } from 'kafkajs';
import pino from 'pino';
import { Registry } from 'prom-client';
import { AvroSerde } from '../avro.serde';
import { DeadLetterPublisher } from '../dead-letter.publisher';
import { defaultProducerConfig, type ConsumerConfig, type KafkaConfig, type ProducerConfig } from '../kafka.config';
import { KafkaConnection } from '../kafka.connection';
import type { TelemetryDeps } from '../kafka.metrics';
import { RecordProducer } from '../record.producer';

export const BROKERS = (process.env.SEXTANT_KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
export const REGISTRY_URL = process.env.SEXTANT_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export function uniqueName(name: string): string {
  return `test.${randomBytes(4).toString('hex')}.${name}`;
}

export function testDeps(): TelemetryDeps {
  return { logger: pino({ level: process.env.SEXTANT_TEST_LOG_LEVEL ?? 'silent' }), metrics: new Registry() };
}

export function kafkaConfig(overrides: Partial<KafkaConfig> = {}): KafkaConfig {
  return { brokers: BROKERS, clientId: 'sextant-kafka-int', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000, ...overrides };
}

export function producerConfig(overrides: Partial<ProducerConfig> = {}): ProducerConfig {
  return { ...defaultProducerConfig(), lingerMs: 5, sendTimeoutMs: 5000, ...overrides };
}

/** Settings that keep tests fast: short waits, short backoffs, frequent commits. */
export function consumerConfig(groupId: string, overrides: Partial<ConsumerConfig> = {}): ConsumerConfig {
  return {
    groupId,
    sessionTimeoutMs: 10000,
    heartbeatIntervalMs: 500,
    maxBytesPerPartition: 1024 * 1024,
    partitionsConsumedConcurrently: 2,
    subBatchSize: 10,
    maxInFlightSubBatches: 1,
    drainTimeoutMs: 3000,
    fromBeginning: true,
    retryBackoffMs: 100,
    maxRetryBackoffMs: 400,
    commitIntervalMs: 200,
    maxWaitTimeMs: 100,
    ...overrides,
  };
}

export async function createTopic(conn: KafkaConnection, topic: string, partitions = 1): Promise<void> {
  await conn.ensureTopics([{ topic, partitions, replicationFactor: 1, configs: {} }]);
}

/** Connection, serde (bigint longs), connected producer and dead-letter publisher on a fresh dead-letter topic. */
export interface Stack {
  deps: TelemetryDeps;
  conn: KafkaConnection;
  serde: AvroSerde;
  producer: RecordProducer;
  deadLetters: DeadLetterPublisher;
  deadLetterTopic: string;
  close(): Promise<void>;
}

export async function startStack(stage = 'test'): Promise<Stack> {
  const deps = testDeps();
  const conn = new KafkaConnection(kafkaConfig(), deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '', unknownIdGraceMs: 0 }, avroTypeOptions(), deps);
  const producer = new RecordProducer(conn, producerConfig(), deps);
  await producer.connect();
  const deadLetterTopic = uniqueName('deadletter');
  await createTopic(conn, deadLetterTopic);
  const dlId = await serde.register(`${deadLetterTopic}-value`, DEAD_LETTER_SCHEMA, 'BACKWARD');
  const deadLetters = new DeadLetterPublisher(producer, serde, deadLetterTopic, stage, dlId);
  return {
    deps,
    conn,
    serde,
    producer,
    deadLetters,
    deadLetterTopic,
    close: async () => {
      await producer.disconnect();
      await conn.close();
    },
  };
}

/** Reads a topic from the beginning with a throwaway group until `count` messages arrived (or fails after timeoutMs). */
export async function readTopic(conn: KafkaConnection, topic: string, count: number, timeoutMs = 15000, stats?: { fetchResponseBytes: number }): Promise<KafkaMessage[]> {
  const consumer = conn.client.consumer({ groupId: uniqueName('reader'), maxWaitTimeInMs: 100 });
  if (stats) {
    consumer.on(consumer.events.REQUEST, (e) => {
      if (e.payload.apiName === 'Fetch') stats.fetchResponseBytes += e.payload.size;
    });
  }
  const got: KafkaMessage[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`read ${got.length} of ${count} messages from ${topic} within ${timeoutMs} ms`)), timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          got.push(message);
          if (got.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return got;
}

export async function readDeadLetters(stack: Stack, count: number): Promise<DeadLetter[]> {
  const messages = await readTopic(stack.conn, stack.deadLetterTopic, count);
  return Promise.all(messages.map(async (m) => (await stack.serde.decode<DeadLetter>(m.value ?? Buffer.alloc(0))).value));
}

/** Offsets the group committed, by partition (-1 when none). */
export async function committedOffsets(conn: KafkaConnection, groupId: string, topic: string): Promise<Map<number, string>> {
  const admin = conn.client.admin();
  await admin.connect();
  try {
    const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(t.partitions.map((p) => [p.partition, p.offset]));
  } finally {
    await admin.disconnect();
  }
}

export async function waitFor(what: string, cond: () => boolean, timeoutMs = 15000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Decoded Avro records are instances of avsc's generated classes; this strips them to plain data for deepEqual. */
export function plain(v: unknown): unknown {
  if (Buffer.isBuffer(v) || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(plain);
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
}
