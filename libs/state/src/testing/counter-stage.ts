/**
 * A minimal stateful stage for the state store's integration tests, run as its own process so that a test
 * can SIGKILL it anywhere: it counts the records of each key of its input topic across batches in a
 * PartitionStateStore and writes each changed key's current count to its output topic; outputs, changelog
 * and input offsets go in one transaction per sub-batch. It reports on stdout, one JSON object per line,
 * what a test waits on: `ready`, each `restored` partition and each `committed` sub-batch.
 * Configured by environment variables (counterEnv() in counter-env.ts writes them).
 */
import { DEAD_LETTER_SCHEMA, avroTypeOptions } from '@sextant/contracts';
import {
  AvroSerde,
  BatchConsumer,
  DeadLetterPublisher,
  KafkaConnection,
  RecordProducer,
  TransactionalOutput,
  defaultProducerConfig,
  type ConsumedBatch,
  type OutboundMessage,
} from '@sextant/kafka';
import pino from 'pino';
import { Registry } from 'prom-client';
import { PartitionStateStore } from '../partition-state.store';
import { jsonStateCodec } from '../state.codec';
import { defaultStateStoreConfig } from '../state-store.config';
import { StatefulOutput } from '../stateful.output';
import { readCounterEnv } from './counter-env';

function report(event: string, fields: Record<string, unknown> = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);
}

async function main(): Promise<void> {
  const env = readCounterEnv(process.env);
  const deps = { logger: pino({ level: env.logLevel }, pino.destination(2)), metrics: new Registry() };
  const conn = new KafkaConnection({ brokers: env.brokers, clientId: `counter-${env.transactionalId}`, ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000 }, deps);
  const serde = new AvroSerde({ url: env.registryUrl, username: '', password: '' }, avroTypeOptions(), deps);
  const producer = new RecordProducer(conn, { ...defaultProducerConfig(), sendTimeoutMs: 5000 }, deps);
  const output = new TransactionalOutput(conn, env.transactionalId, { compression: 'none', sendTimeoutMs: 5000 }, deps.logger);
  // Connect first: initialising the transactional id aborts the open transaction of a killed predecessor,
  // which the changelog's restore would otherwise wait on until the broker's transaction timeout.
  await output.connect();
  await producer.connect();
  const deadLetterId = await serde.register(`${env.deadLetterTopic}-value`, DEAD_LETTER_SCHEMA, 'BACKWARD');
  const deadLetters = new DeadLetterPublisher(producer, serde, env.deadLetterTopic, 'counter', deadLetterId);

  const counts = new PartitionStateStore<number>(defaultStateStoreConfig('counts'), env.changelogTopic, jsonStateCodec<number>(), conn, deps);
  const stateful = new StatefulOutput(output, [counts], conn, deps.logger, {
    restored: (_store, r) => report('restored', { partition: r.partition, keys: r.keys, checkpoint: r.checkpoint }),
  });

  const handler = async (batch: ConsumedBatch<Buffer>): Promise<void> => {
    const fresh = await stateful.prepare(batch);
    const changed = new Set<string>();
    for (const r of fresh) {
      if (r.key === null) {
        void batch.deadLetter(r, 'record has no key', 'invalid');
        continue;
      }
      const key = r.key.toString('utf8');
      if (counts.set(batch.partition, key, (counts.get(batch.partition, key) ?? 0) + 1) === 'overflow') {
        void batch.deadLetter(r, 'counter state is full', 'state_overflow');
        continue;
      }
      changed.add(key);
    }
    const messages: OutboundMessage[] = [...changed].map((key) => ({ key, value: Buffer.from(JSON.stringify({ key, count: counts.get(batch.partition, key) })) }));
    await stateful.commit(batch, [{ topic: env.outputTopic, messages }]);
    report('committed', { partition: batch.partition, nextOffset: batch.nextOffset, applied: fresh.length });
  };

  const consumer = new BatchConsumer<Buffer>(
    conn,
    {
      groupId: env.groupId,
      sessionTimeoutMs: env.sessionTimeoutMs,
      heartbeatIntervalMs: Math.floor(env.sessionTimeoutMs / 5),
      maxBytesPerPartition: 1024 * 1024,
      partitionsConsumedConcurrently: 2,
      subBatchSize: env.subBatchSize,
      maxInFlightSubBatches: 1,
      drainTimeoutMs: Math.floor(env.sessionTimeoutMs / 2),
      fromBeginning: true,
      retryBackoffMs: 100,
      maxRetryBackoffMs: 1000,
      maxWaitTimeMs: 100,
      autoCommit: false,
    },
    [env.inputTopic],
    'raw',
    handler,
    { ...deps, deadLetters, stage: 'counter' },
  );
  await consumer.start();
  report('ready');

  process.once('SIGTERM', () => {
    void (async () => {
      await consumer.stop();
      await output.disconnect();
      await producer.disconnect();
      await conn.close();
      process.exit(0);
    })();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`counter stage failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
