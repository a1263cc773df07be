/**
 * The sink's batch handler as the Kafka batch transport sees it: delivered through Nest's handler proxy and
 * exception filters, a write that needs the partition re-read must reach the transport as RefetchRequiredError
 * (it then re-reads instead of retrying the same records), and a storage outage as the error it was.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module } from '@nestjs/common';
import { RefetchRequiredError, type ConsumedBatch } from '@sextant/kafka';
import type { LogRecord } from '@sextant/contracts';
import { deliverThroughNest } from '@sextant/testing';
import { LogsSink } from './logs.sink';
import { SINK_RESOURCES } from './sink.tokens';

class StorageDown extends Error {}

async function deliverWithFailingWrite(failure: Error): Promise<unknown> {
  const writes: string[] = [];
  const writer = {
    write: async (batch: ConsumedBatch<LogRecord>) => {
      writes.push(`${batch.topic}:${batch.partition}`);
      throw failure;
    },
  };
  @Module({ controllers: [LogsSink], providers: [{ provide: SINK_RESOURCES, useValue: { logs: writer } }] })
  class TestModule {}
  const batch = { topic: 't.logs', partition: 1, records: [], groupId: 'g', nextOffset: '3' } as unknown as ConsumedBatch<LogRecord>;
  const err = await deliverThroughNest(TestModule, 'logs', batch);
  assert.deepEqual(writes, ['t.logs:1']);
  return err;
}

describe('LogsSink errors', () => {
  it('a write that needs a re-read reaches the transport as RefetchRequiredError', async () => {
    const err = await deliverWithFailingWrite(new RefetchRequiredError('replay incomplete'));
    assert.ok(err instanceof RefetchRequiredError, `got ${JSON.stringify(err)}`);
  });

  it('a storage failure reaches the transport as the error it was', async () => {
    const err = await deliverWithFailingWrite(new StorageDown('store down'));
    assert.ok(err instanceof StorageDown, `got ${JSON.stringify(err)}`);
  });
});
