/**
 * Read-committed filtering of fetched messages, in place of KafkaJS's own. A fetch answer lists the aborted
 * transactions overlapping the fetched range (producer id and first offset); every message of such a
 * transaction is skipped until that producer's abort marker. KafkaJS assumes the list is sorted by first
 * offset and starts at most one transaction per message, but the broker lists them in the order they were
 * aborted: a transaction that began earlier and aborted later is then missed, and its messages reach a
 * read_committed consumer. With one transactional id per input partition, a replica that takes over after
 * a crash fences (aborts) the open transactions one by one, out of order, so the sink would store records
 * of aborted parser transactions. This filter sorts the list and starts every transaction whose first offset
 * the message has reached, as the Java consumer does. installAbortedTransactionsFilter() puts it in KafkaJS's
 * place; it must run before KafkaJS is first loaded (libs/kafka imports KafkaJS only through ./kafkajs).
 */
import Module from 'node:module';

/** The parts of a fetched KafkaJS message the filter reads. */
export interface FetchedMessage {
  offset: string;
  key: Buffer | null;
  batchContext: { producerId: string; inTransaction: boolean };
}

/** An aborted transaction as a fetch answer lists it. */
export interface AbortedTransaction {
  producerId: string;
  firstOffset: string;
}

const ABORT_MARKER_KEY = Buffer.from([0, 0, 0, 0]);

function isAbortMarker(message: FetchedMessage): boolean {
  return message.key !== null && message.key !== undefined && Buffer.from(message.key).equals(ABORT_MARKER_KEY);
}

/** The messages that belong to no aborted transaction (markers included; the caller drops control records). */
export function withoutAbortedMessages<M extends FetchedMessage>(messages: M[], abortedTransactions: readonly AbortedTransaction[] | undefined): M[] {
  if (!abortedTransactions || abortedTransactions.length === 0) return messages;
  const pending = abortedTransactions.map((t) => ({ producerId: String(t.producerId), firstOffset: BigInt(t.firstOffset) })).sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const aborting = new Set<string>();
  let next = 0;
  return messages.filter((message) => {
    const offset = BigInt(message.offset);
    while (next < pending.length && offset >= (pending[next] as { firstOffset: bigint }).firstOffset) aborting.add((pending[next++] as { producerId: string }).producerId);
    const producerId = String(message.batchContext.producerId);
    if (isAbortMarker(message)) {
      aborting.delete(producerId);
      return true;
    }
    return !(message.batchContext.inTransaction && aborting.has(producerId));
  });
}

const KAFKAJS_FILTER = 'kafkajs/src/consumer/filterAbortedMessages';

/**
 * Makes KafkaJS use withoutAbortedMessages: its batch module reads the filter once, when it is first loaded,
 * so the filter's module is put in the require cache before that. Idempotent.
 */
export function installAbortedTransactionsFilter(): void {
  const path = require.resolve(KAFKAJS_FILTER);
  if ((require.cache[path]?.exports as { sextant?: boolean } | undefined)?.sextant === true) return;
  const filter = ({ messages, abortedTransactions }: { messages: FetchedMessage[]; abortedTransactions?: AbortedTransaction[] }): FetchedMessage[] =>
    withoutAbortedMessages(messages, abortedTransactions);
  const replacement = new Module(path, module);
  replacement.filename = path;
  replacement.loaded = true;
  replacement.exports = Object.assign(filter, { sextant: true });
  require.cache[path] = replacement;
}

/**
 * True when KafkaJS's batches filter with withoutAbortedMessages: a fetch whose aborted transactions are
 * listed out of order must lose every message of both.
 */
export function abortedTransactionsFilterActive(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Batch = require('kafkajs/src/consumer/batch') as new (topic: string, fetchedOffset: string, data: unknown) => { messages: unknown[] };
  const message = (offset: number, producerId: string) => ({ offset: String(offset), key: Buffer.from('k'), value: null, batchContext: { producerId, inTransaction: true }, isControlRecord: false });
  const batch = new Batch('t', '0', {
    partition: 0,
    highWatermark: '3',
    messages: [message(0, 'a'), message(1, 'b'), message(2, 'a')],
    abortedTransactions: [
      { producerId: 'b', firstOffset: '1' },
      { producerId: 'a', firstOffset: '0' },
    ],
  });
  return batch.messages.length === 0;
}
