/**
 * Exactly-once consume-transform-produce for stages that read one topic and write another (the parser): a
 * sub-batch's outputs and the consumer group's next offset are written in ONE Kafka transaction, so after a
 * crash either both happened or neither did. Downstream consumers read committed data only (KafkaJS's
 * default), so an aborted attempt is never seen and a replayed batch never yields duplicates.
 *
 * The transactional id should be stable for one replica across restarts (e.g. the pod name): a restarted
 * replica then fences its predecessor and aborts its open transaction at once; otherwise the broker aborts
 * it after the transaction timeout and read-committed consumers wait until then. Transactions of one
 * producer run one at a time, in call order.
 */
import type { Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import type { ProducerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import { KafkaUnavailableError } from './kafka.errors';
import { COMPRESSION_CODECS, type OutboundMessage } from './record.producer';

export interface TransactionalCommit {
  /** Consumer group whose offset moves with the outputs. */
  groupId: string;
  topic: string;
  partition: number;
  /** Next offset to read (last processed + 1). */
  offset: string;
}

export class TransactionalOutput {
  private readonly producer: Producer;
  private connected = false;
  private queue: Promise<void> = Promise.resolve();

  constructor(
    conn: KafkaConnection,
    readonly transactionalId: string,
    private readonly cfg: Pick<ProducerConfig, 'compression' | 'sendTimeoutMs'>,
    private readonly logger: Logger,
  ) {
    this.producer = conn.client.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, transactionTimeout: 60_000 });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  isHealthy(): boolean {
    return this.connected;
  }

  /** Writes the messages and moves the group's offset atomically; throws (after aborting) when it could not. */
  commit(outputs: { topic: string; messages: OutboundMessage[] }[], offsets: TransactionalCommit): Promise<void> {
    const run = this.queue.then(() => this.transact(outputs, offsets));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async transact(outputs: { topic: string; messages: OutboundMessage[] }[], o: TransactionalCommit): Promise<void> {
    const txn = await this.producer.transaction();
    try {
      const topicMessages = outputs.filter((t) => t.messages.length > 0).map((t) => ({ topic: t.topic, messages: t.messages.map((m) => ({ key: m.key, value: m.value, ...(m.headers ? { headers: m.headers } : {}) })) }));
      if (topicMessages.length > 0) await txn.sendBatch({ topicMessages, acks: -1, timeout: this.cfg.sendTimeoutMs, compression: COMPRESSION_CODECS[this.cfg.compression] });
      await txn.sendOffsets({ consumerGroupId: o.groupId, topics: [{ topic: o.topic, partitions: [{ partition: o.partition, offset: o.offset }] }] });
      await txn.commit();
    } catch (err) {
      await txn.abort().catch((e: unknown) => this.logger.warn({ err: errorMessage(e) }, 'transaction abort failed'));
      throw new KafkaUnavailableError(`transaction ${this.transactionalId} failed: ${errorMessage(err)}`);
    }
  }

  async disconnect(): Promise<void> {
    await this.queue;
    this.connected = false;
    await this.producer.disconnect();
  }
}
