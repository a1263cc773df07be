import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { LOG_BATCH_SCHEMA, LOG_RECORD_SCHEMA, envelopeSubjectName } from '@sextant/contracts';
import { defer, type Observable } from 'rxjs';
import type { DeliveryHandle, TopicPartition } from './consumed-batch';
import { KafkaBatchContext, KafkaBatchTransport } from './kafka-batch.transport';
import type { ConsumedBatch } from './consumed-batch';
import { committedOffsets, consumerConfig, createTopic, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

const THING = { type: 'record', name: 'NestThing', namespace: 'io.sextant.test', fields: [{ name: 'n', type: 'long' }] };
interface Thing {
  n: bigint;
}

const seen = { things: [] as number[], others: [] as number[], attempts: 0, contexts: new Set<string>() };

@Controller()
class ThingsController {
  @EventPattern('things')
  async things(@Payload() batch: ConsumedBatch<Thing>, @Ctx() ctx: KafkaBatchContext): Promise<void> {
    if (++seen.attempts === 1) throw new Error('the first attempt fails'); // goes through Nest's exception filters
    seen.contexts.add(`${ctx.getPattern()}@${ctx.getTopic()}/${ctx.getPartition()}`);
    for (const r of batch.records) seen.things.push(Number(r.value.n));
  }

  @EventPattern('others')
  others(@Payload() batch: ConsumedBatch<Thing>): Observable<void> {
    return defer(async () => {
      await new Promise((r) => setTimeout(r, 20));
      for (const r of batch.records) seen.others.push(Number(r.value.n));
    });
  }
}

@Module({ controllers: [ThingsController] })
class TestModule {}

const logs = { seen: [] as [string, number, string][], handles: [] as DeliveryHandle[], assigned: [] as TopicPartition[] };

@Controller()
class LogsController {
  @EventPattern('logs')
  async logs(@Payload() batch: ConsumedBatch<{ body: string }>): Promise<void> {
    for (const r of batch.records) logs.seen.push([r.offset, r.index, r.value.body]);
    logs.handles.push(batch.defer());
  }
}

@Module({ controllers: [LogsController] })
class LogsModule {}

describe('KafkaBatchTransport (Nest microservice on real Kafka)', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack('nest-test');
  });
  after(async () => {
    await stack.close();
  });

  it('hands whole batches to @EventPattern handlers, awaits Promises and Observables, and commits on app.close()', async () => {
    const prefix = `${uniqueName('nest')}.`;
    const groupId = uniqueName('nest-group');
    for (const p of ['things', 'others']) await createTopic(stack.conn, `${prefix}${p}`);
    const id = await stack.serde.register(`${prefix}things-value`, THING);
    const records = await Promise.all(Array.from({ length: 12 }, async (_, n) => ({ key: `k${n}`, value: await stack.serde.encode(id, { n: BigInt(n) }) })));
    await stack.producer.send(`${prefix}things`, records);
    await stack.producer.send(`${prefix}others`, records.slice(0, 7));

    const transport = new KafkaBatchTransport(
      {
        connection: stack.conn,
        serde: stack.serde,
        deadLetters: stack.deadLetters,
        producer: stack.producer,
        consumer: consumerConfig(groupId, { subBatchSize: 100 }),
        topicFor: (pattern) => `${prefix}${pattern}`,
        stage: 'nest-test',
      },
      stack.deps,
    );
    const app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
    await app.listen();
    await waitFor('both patterns handled', () => seen.things.length >= 12 && seen.others.length >= 7);
    assert.equal(transport.isHealthy(), true);
    await app.close();
    assert.equal(transport.isHealthy(), false);

    assert.deepEqual(seen.things, Array.from({ length: 12 }, (_, i) => i));
    assert.deepEqual(seen.others, Array.from({ length: 7 }, (_, i) => i));
    assert.equal(seen.attempts, 2, 'the failed batch was retried once');
    assert.deepEqual([...seen.contexts], [`things@${prefix}things/0`]);
    assert.equal((await committedOffsets(stack.conn, `${groupId}.things`, `${prefix}things`)).get(0), '12');
    assert.equal((await committedOffsets(stack.conn, `${groupId}.others`, `${prefix}others`)).get(0), '7');
    await assert.rejects(stack.producer.send(`${prefix}things`, records.slice(0, 1)), /disconnected/, 'close() flushed and disconnected the producer');
  });

  it('passes envelope schemas, record schema ids and lifecycle hooks per pattern; deferred acks commit through Nest', async () => {
    const own = await startStack('nest-test'); // the first test's app.close() disconnected the shared producer
    const prefix = `${uniqueName('nest-env')}.`;
    const topic = `${prefix}logs`;
    const groupId = uniqueName('nest-group');
    await createTopic(own.conn, topic);
    const recordId = await own.serde.register(`${topic}-value`, LOG_RECORD_SCHEMA);
    const batchId = await own.serde.register(envelopeSubjectName(topic, LOG_BATCH_SCHEMA), LOG_BATCH_SCHEMA);
    const rec = (body: string) => ({
      tenant: 't', timeUnixNano: 1n, observedTimeUnixNano: 1n, severityNumber: 9, severityText: 'INFO', body, attributes: {}, resource: {},
      scopeName: '', scopeVersion: '', traceId: '', spanId: '', traceFlags: 0, serviceName: 's', source: 'otlp', stream: '', k8s: null, parseFlags: [],
    });
    await own.producer.send(topic, [
      { key: 'k', value: await own.serde.encode(batchId, { records: [rec('e0'), rec('e1')] }) },
      { key: 'k', value: await own.serde.encode(recordId, rec('single')) },
    ]);
    const transport = new KafkaBatchTransport(
      {
        connection: own.conn,
        serde: own.serde,
        deadLetters: own.deadLetters,
        producer: own.producer,
        consumer: consumerConfig(groupId, { subBatchSize: 100 }),
        topicFor: (pattern) => `${prefix}${pattern}`,
        stage: 'nest-test',
        readerSchemaFor: () => LOG_RECORD_SCHEMA,
        envelopeSchemaFor: (pattern) => (pattern === 'logs' ? LOG_BATCH_SCHEMA : undefined),
        recordSchemaIdFor: () => recordId,
        partitionLifecycleFor: () => ({ onPartitionsAssigned: (ps) => void logs.assigned.push(...ps) }),
      },
      own.deps,
    );
    const app = await NestFactory.createMicroservice(LogsModule, { strategy: transport, logger: false });
    await app.listen();
    try {
      await waitFor('the envelope and the single record handled', () => logs.seen.length >= 3);
      assert.deepEqual(logs.seen, [
        ['0', 0, 'e0'],
        ['0', 1, 'e1'],
        ['1', -1, 'single'],
      ]);
      assert.deepEqual(logs.assigned, [{ topic, partition: 0 }]);
      assert.equal(transport.isLive(), true);
      await new Promise((r) => setTimeout(r, 300));
      assert.equal((await committedOffsets(own.conn, `${groupId}.logs`, topic)).get(0), '-1', 'deferred: nothing committed yet');
      for (const h of logs.handles) h.ack();
    } finally {
      await app.close();
    }
    assert.equal((await committedOffsets(own.conn, `${groupId}.logs`, topic)).get(0), '2');
  });
});
