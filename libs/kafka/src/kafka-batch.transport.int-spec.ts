import 'reflect-metadata';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { defer, type Observable } from 'rxjs';
import { KafkaBatchContext, KafkaBatchTransport } from './kafka-batch.transport';
import type { ConsumedBatch } from './partition-batch.run';
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
});
