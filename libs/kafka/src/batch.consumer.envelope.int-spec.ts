import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { LOG_BATCH_SCHEMA, LOG_RECORD_SCHEMA, envelopeSubjectName, type LogRecord } from '@sextant/contracts';
import { BatchConsumer } from './batch.consumer';
import { committedOffsets, consumerConfig, createTopic, readDeadLetters, startStack, uniqueName, waitFor, type Stack } from './testing/int-env';

function logRecord(body: string): LogRecord {
  return {
    tenant: 'acme',
    timeUnixNano: 1_735_689_600_123_456_789n,
    observedTimeUnixNano: 1_735_689_600_123_456_790n,
    severityNumber: 9,
    severityText: 'INFO',
    body,
    attributes: {},
    resource: { 'service.name': 'checkout' },
    scopeName: '',
    scopeVersion: '',
    traceId: '',
    spanId: '',
    traceFlags: 0,
    serviceName: 'checkout',
    source: 'otlp',
    stream: '',
    k8s: null,
    parseFlags: [],
  };
}

describe('BatchConsumer with batch envelopes (real Kafka and registry)', () => {
  let stack: Stack;

  before(async () => {
    stack = await startStack('envelope-test');
  });
  after(async () => {
    await stack.close();
  });

  it('flattens LogBatch envelopes and reads single LogRecords on one topic; dead-letters a bad inner record alone and a broken envelope whole', async () => {
    const topic = uniqueName('logs');
    await createTopic(stack.conn, topic);
    const recordId = await stack.serde.register(`${topic}-value`, LOG_RECORD_SCHEMA);
    const batchId = await stack.serde.register(envelopeSubjectName(topic, LOG_BATCH_SCHEMA), LOG_BATCH_SCHEMA);
    assert.notEqual(recordId, batchId);
    const broken = Buffer.from(await stack.serde.encode(batchId, { records: [logRecord('lost')] })).subarray(0, 12);
    await stack.producer.send(topic, [
      { key: 's1', value: await stack.serde.encode(batchId, { records: [logRecord('a0'), logRecord('a1'), logRecord('bad'), logRecord('a3')] }) },
      { key: 's2', value: await stack.serde.encode(recordId, logRecord('single')) },
      { key: 's1', value: broken },
      { key: 's1', value: await stack.serde.encode(batchId, { records: [logRecord('c0')] }) },
    ]);

    const groupId = uniqueName('g');
    const seen: [string, number, string][] = [];
    const c = new BatchConsumer<LogRecord>(
      stack.conn,
      consumerConfig(groupId, { subBatchSize: 3 }),
      [topic],
      'avro',
      async (batch) => {
        for (const r of batch.records) {
          if (r.value.body === 'bad') void batch.deadLetter(r, 'body is bad', 'invalid', r.value.tenant);
          else seen.push([r.offset, r.index, r.value.body]);
        }
      },
      { ...stack.deps, serde: stack.serde, deadLetters: stack.deadLetters, stage: 'envelope-test', readerSchema: LOG_RECORD_SCHEMA, envelopeSchema: LOG_BATCH_SCHEMA, recordSchemaId: recordId },
    );
    await c.start();
    try {
      await waitFor('every good record handled', () => seen.length >= 5);
      assert.deepEqual(seen, [
        ['0', 0, 'a0'],
        ['0', 1, 'a1'],
        ['0', 3, 'a3'],
        ['1', -1, 'single'],
        ['3', 0, 'c0'],
      ]);
    } finally {
      await c.stop();
    }
    assert.equal((await committedOffsets(stack.conn, groupId, topic)).get(0), '4');

    const letters = (await readDeadLetters(stack, 2)).sort((a, b) => Number(a.offset - b.offset));
    assert.deepEqual(
      letters.map((l) => [l.offset, l.index, l.errorKind]),
      [
        [0n, 2, 'invalid'],
        [2n, -1, 'undecodable'],
      ],
    );
    // The inner record goes alone, framed with the single-record schema, so it can be replayed as is.
    assert.ok(letters[0].value);
    assert.equal(letters[0].value.readUInt32BE(1), recordId);
    assert.equal((await stack.serde.decode<LogRecord>(letters[0].value, LOG_RECORD_SCHEMA)).value.body, 'bad');
    assert.deepEqual(letters[1].value, broken);
  });
});
