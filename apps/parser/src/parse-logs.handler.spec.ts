/**
 * The parser's batch handler as the Kafka batch transport sees it: delivered through Nest's handler proxy and
 * exception filters, a failed transaction must reach the transport as the error class it was thrown as, since
 * the transport chooses between re-reading the partition and retrying the sub-batch by that class.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Module } from '@nestjs/common';
import { KafkaUnavailableError, RefetchRequiredError, TransactionalOutput, type ConsumedBatch, type TransactionalCommit } from '@sextant/kafka';
import { DEFAULT_PARSE_OPTIONS } from '@sextant/parsing';
import { StageRuntime } from '@sextant/stage-runtime';
import { deliverThroughNest } from '@sextant/testing';
import type { LogRecord } from '@sextant/contracts';
import { ParseLogsHandler } from './parse-logs.handler';
import { PARSE_OPTIONS } from './parser.tokens';

async function deliverWithFailingCommit(failure: Error): Promise<unknown> {
  const commits: TransactionalCommit[] = [];
  const output = { commit: async (_outputs: unknown, offsets: TransactionalCommit) => {
    commits.push(offsets);
    throw failure;
  } };
  const runtime = { topic: (t: string) => `t.${t}`, settings: { producer: { envelopeMaxRecords: 10, envelopeMaxBytes: 100_000 } }, serde: {}, envelopeSchemaId: () => 1 };
  @Module({
    controllers: [ParseLogsHandler],
    providers: [
      { provide: StageRuntime, useValue: runtime },
      { provide: TransactionalOutput, useValue: output },
      { provide: PARSE_OPTIONS, useValue: DEFAULT_PARSE_OPTIONS },
    ],
  })
  class TestModule {}
  const batch: ConsumedBatch<LogRecord> = {
    topic: 't.ingest.logs',
    partition: 2,
    records: [],
    deadLetter: async () => undefined,
    defer: () => {
      throw new Error('not deferred');
    },
    signal: new AbortController().signal,
    groupId: 'g',
    nextOffset: '7',
    fetchedFrom: '7',
  };
  const err = await deliverThroughNest(TestModule, 'ingest.logs', batch);
  assert.deepEqual(commits, [{ groupId: 'g', topic: 't.ingest.logs', partition: 2, offset: '7' }]);
  return err;
}

describe('ParseLogsHandler errors', () => {
  // The transport re-reads the partition on RefetchRequiredError; retrying the sub-batch instead could commit
  // a transaction a second time, so the class must survive Nest's exception filters.
  it('a transaction with an unknown outcome reaches the transport as RefetchRequiredError', async () => {
    const err = await deliverWithFailingCommit(new RefetchRequiredError('commit failed, outcome unknown'));
    assert.ok(err instanceof RefetchRequiredError, `got ${JSON.stringify(err)}`);
  });

  it('a failed and aborted transaction reaches the transport as the retryable error it is', async () => {
    const err = await deliverWithFailingCommit(new KafkaUnavailableError('aborted'));
    assert.ok(err instanceof KafkaUnavailableError, `got ${JSON.stringify(err)}`);
  });
});
