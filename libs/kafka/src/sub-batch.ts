/**
 * One sub-batch as its handler sees it: the ConsumedBatch built over its decoded records, the dead letters
 * (undecodable messages whole, records the handler rejects alone, with their index), the delivery handle of
 * a deferred acknowledgement, and the timing metrics of the call. One attempt per call; the caller retries.
 */
import type { KafkaMessage } from 'kafkajs';
import type { BatchHandler, ConsumedBatch, DeliveryHandle } from './consumed-batch';
import { headersAsText, type DeadLetterPublisher } from './dead-letter.publisher';
import type { KafkaMetrics } from './kafka.metrics';
import { normalizeHeaders, type ConsumedRecord, type DecodeOutcome, type RecordDecoder } from './record.decoder';

/** Consecutive messages decoded, with the outcome of each and the number of records they hold. */
export interface SubBatch<T> {
  /** Where reading started (see ConsumedBatch.fetchedFrom). */
  fetchedFrom: string;
  messages: KafkaMessage[];
  outcomes: DecodeOutcome<T>[];
  records: number;
}

export interface SubBatchDeps<T> {
  topic: string;
  partition: number;
  groupId: string;
  handler: BatchHandler<T>;
  decoder: RecordDecoder<T>;
  deadLetters: DeadLetterPublisher;
  metrics: KafkaMetrics;
  /**
   * Call the handler even when every message was dead-lettered: consumers whose offsets move only in the
   * handler's Kafka transaction (autoCommit false) need the call to move past them.
   */
  handleEmpty: boolean;
}

export interface DeferredHandle extends DeliveryHandle {
  /** Connects the handle to the partition once the handler resolved: ack() (earlier or later) releases it. */
  arm(release: () => void): void;
}

function deliveryHandle(signal: AbortSignal): DeferredHandle {
  let acked = false;
  let release: (() => void) | null = null;
  return {
    signal,
    ack: () => {
      acked = true;
      release?.();
    },
    arm: (r) => {
      release = r;
      if (acked) r();
    },
  };
}

/**
 * One try: dead letters for undecodable messages, then the handler. Resolves with its deferral, if any.
 * `deadLettered` outlives the try: what was dead-lettered once is not sent again when the sub-batch is retried.
 */
export async function attemptSubBatch<T>(sub: SubBatch<T>, d: SubBatchDeps<T>, deadLettered: Set<string>, signal: AbortSignal): Promise<DeferredHandle | undefined> {
  const letters: Promise<void>[] = [];
  const records: ConsumedRecord<T>[] = [];
  sub.outcomes.forEach((o, i) => {
    if (o.ok) records.push(...o.records);
    else if (!deadLettered.has(sub.messages[i].offset)) letters.push(deadLetterUndecodable(d, sub.messages[i], o.reason).then(() => void deadLettered.add(sub.messages[i].offset)));
  });
  await Promise.all(letters);
  if (records.length === 0 && !d.handleEmpty) return undefined;

  const asked: Promise<void>[] = [];
  const values = new Map(sub.messages.map((m) => [m.offset, m.value]));
  let handle: DeferredHandle | undefined;
  const batch: ConsumedBatch<T> = {
    topic: d.topic,
    partition: d.partition,
    records,
    signal,
    groupId: d.groupId,
    nextOffset: (BigInt(sub.messages[sub.messages.length - 1].offset) + 1n).toString(),
    fetchedFrom: sub.fetchedFrom,
    defer: () => (handle ??= deliveryHandle(signal)),
    deadLetter: (record, reason, errorKind, tenant) => {
      const id = `${record.offset}:${record.index}`;
      if (deadLettered.has(id)) return Promise.resolve();
      const sent = d.decoder
        .deadLetterValue(record, values.get(record.offset) ?? null)
        .then((value) => publishLetter(d, record, value, reason, errorKind, tenant))
        .then(() => void deadLettered.add(id));
      sent.catch(() => undefined); // awaited below; this only keeps an un-awaited failure from crashing the process
      asked.push(sent);
      return sent;
    },
  };
  const endTimer = d.metrics.batchSeconds.startTimer({ topic: d.topic });
  d.metrics.batchRecords.observe({ topic: d.topic }, records.length);
  try {
    await d.handler(batch);
    await Promise.all(asked);
  } finally {
    endTimer();
  }
  return handle;
}

function deadLetterUndecodable<T>(d: SubBatchDeps<T>, m: KafkaMessage, reason: string): Promise<void> {
  const coordinates = { offset: m.offset, index: -1, key: m.key ?? null, headers: normalizeHeaders(m.headers), timestamp: m.timestamp };
  return publishLetter(d, coordinates, m.value, reason, 'undecodable');
}

/** Where a dead letter points: one message, or one record of its envelope. */
type Coordinates = Pick<ConsumedRecord<unknown>, 'offset' | 'index' | 'key' | 'headers' | 'timestamp'>;

function publishLetter<T>(d: SubBatchDeps<T>, at: Coordinates, value: Buffer | null, reason: string, errorKind: string, tenant?: string): Promise<void> {
  return d.deadLetters.publish({
    reason,
    errorKind,
    topic: d.topic,
    partition: d.partition,
    offset: at.offset,
    index: at.index,
    key: at.key,
    value,
    headers: headersAsText(at.headers),
    timestampMs: Number(at.timestamp),
    ...(tenant !== undefined ? { tenant } : {}),
  });
}
