import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abortedTransactionsFilterActive, withoutAbortedMessages, type FetchedMessage } from './aborted-transactions.filter';
import './kafkajs';

const ABORT = Buffer.from([0, 0, 0, 0]);
const COMMIT = Buffer.from([0, 0, 0, 1]);
const data = (offset: number, producerId: string, inTransaction = true): FetchedMessage => ({ offset: String(offset), key: Buffer.from('k'), batchContext: { producerId, inTransaction } });
const marker = (offset: number, producerId: string, key: Buffer): FetchedMessage => ({ offset: String(offset), key, batchContext: { producerId, inTransaction: true } });
const offsets = (ms: FetchedMessage[]) => ms.map((m) => Number(m.offset));

describe('withoutAbortedMessages', () => {
  it('drops every message of transactions the broker lists out of order (aborted in another order than begun)', () => {
    // A begins (0), B begins (1), A again (2); B aborts (3), A aborts (4); C commits (5, marker 6).
    const fetched = [data(0, 'A'), data(1, 'B'), data(2, 'A'), marker(3, 'B', ABORT), marker(4, 'A', ABORT), data(5, 'C'), marker(6, 'C', COMMIT)];
    const kept = withoutAbortedMessages(fetched, [
      { producerId: 'B', firstOffset: '1' },
      { producerId: 'A', firstOffset: '0' },
    ]);
    assert.deepEqual(offsets(kept), [3, 4, 5, 6], 'only markers and the committed record are left');
  });

  it('starts every transaction a message has reached, not one per message', () => {
    const fetched = [data(5, 'A'), data(6, 'B'), marker(7, 'A', ABORT), marker(8, 'B', ABORT), data(9, 'C')];
    const kept = withoutAbortedMessages(fetched, [
      { producerId: 'A', firstOffset: '2' },
      { producerId: 'B', firstOffset: '3' },
    ]);
    assert.deepEqual(offsets(kept), [7, 8, 9]);
  });

  it('keeps a committed transaction of a producer between two of its aborted ones', () => {
    const fetched = [data(10, 'P'), marker(11, 'P', ABORT), data(12, 'P'), marker(13, 'P', COMMIT), data(14, 'P'), marker(15, 'P', ABORT), data(16, 'Q', false)];
    const kept = withoutAbortedMessages(fetched, [
      { producerId: 'P', firstOffset: '14' },
      { producerId: 'P', firstOffset: '10' },
    ]);
    assert.deepEqual(offsets(kept), [11, 12, 13, 15, 16]);
  });

  it('passes everything through when nothing was aborted, and never drops non-transactional messages', () => {
    const fetched = [data(0, 'A', false), data(1, 'A', false)];
    assert.equal(withoutAbortedMessages(fetched, []), fetched);
    assert.deepEqual(offsets(withoutAbortedMessages(fetched, [{ producerId: 'A', firstOffset: '0' }])), [0, 1]);
  });

  it('is the filter KafkaJS batches use once libs/kafka has loaded KafkaJS', () => {
    assert.equal(abortedTransactionsFilterActive(), true);
  });
});
