/**
 * NestJS custom transport strategy over BatchConsumer. NestJS's own Kafka server hands handlers one message
 * at a time and commits on its own schedule; here a handler decorated with `@EventPattern('<logical topic>')`
 * receives a whole ConsumedBatch and its returned Promise or Observable is awaited: resolving means every
 * output of the batch is acknowledged (offsets may move), throwing means retry. One BatchConsumer (its own
 * consumer group) runs per event pattern. close() shuts down in order: stop consumers (drain, commit) →
 * flush the producer → disconnect it and the connection.
 */
import { BaseRpcContext, Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import type { Logger } from 'pino';
import type { AvroSerde } from './avro.serde';
import { BatchConsumer } from './batch.consumer';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { errorMessage } from './error-message';
import type { ConsumerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import type { TelemetryDeps } from './kafka.metrics';
import type { ConsumedBatch, PartitionLifecycle } from './consumed-batch';
import type { DecodeMode } from './record.decoder';
import type { RecordProducer } from './record.producer';

/** What `@Ctx()` gives a handler: the event pattern and the batch's topic and partition. */
export class KafkaBatchContext extends BaseRpcContext<[pattern: string, topic: string, partition: number]> {
  getPattern(): string {
    return this.args[0];
  }
  getTopic(): string {
    return this.args[1];
  }
  getPartition(): number {
    return this.args[2];
  }
}

export interface KafkaBatchTransportOptions {
  connection: KafkaConnection;
  serde: AvroSerde;
  deadLetters: DeadLetterPublisher;
  producer: RecordProducer;
  /** Shared by every pattern's consumer, except the group id (see groupIdFor). */
  consumer: ConsumerConfig;
  /** Full topic name of an event pattern (applies the configured prefix). */
  topicFor: (pattern: string) => string;
  /** Stage name, for logs and dead letters. */
  stage: string;
  /** Decoding per pattern. Default 'avro'. */
  decodeFor?: (pattern: string) => DecodeMode;
  /** Avro reader schema per pattern (schema evolution); the writer's schema when undefined. */
  readerSchemaFor?: (pattern: string) => object | undefined;
  /**
   * Reader schema of the batch envelope per pattern (TOPIC_SPECS[t].envelopeSchema): messages written with it are
   * flattened into their records; others are single records. Undefined: single records only.
   */
  envelopeSchemaFor?: (pattern: string) => object | undefined;
  /**
   * Registry id of the pattern's single-record schema (`<topic>-value`): a bad record out of an envelope is
   * dead-lettered alone, re-encoded with it. Undefined: its dead letter carries the whole envelope's bytes.
   */
  recordSchemaIdFor?: (pattern: string) => number | undefined;
  /** Partition lifecycle hooks per pattern, for handlers with per-partition state. */
  partitionLifecycleFor?: (pattern: string) => PartitionLifecycle | undefined;
  /**
   * Consumer group per pattern. Default `<consumer.groupId>.<pattern>`: KafkaJS's assigners expect every
   * member of a group to subscribe to the same topics, so patterns must not share a group.
   */
  groupIdFor?: (pattern: string) => string;
}

/** Events a caller may listen to with on(). */
export type KafkaBatchTransportEvents = { error: (err: unknown) => void };
export type KafkaBatchTransportStatus = 'connected' | 'disconnected';

export class KafkaBatchTransport extends Server<KafkaBatchTransportEvents, KafkaBatchTransportStatus> implements CustomTransportStrategy {
  private readonly consumers: BatchConsumer<unknown>[] = [];
  private readonly log: Logger;
  private readonly errorListeners: ((err: unknown) => void)[] = [];
  private closing: Promise<void> | null = null;

  constructor(
    private readonly options: KafkaBatchTransportOptions,
    private readonly deps: TelemetryDeps,
  ) {
    super();
    this.log = deps.logger.child({ component: 'kafka-batch-transport' });
  }

  /** Starts one BatchConsumer per registered event pattern, then calls back (with the error when one fails to start). */
  async listen(callback: (...optionalParams: unknown[]) => void): Promise<void> {
    try {
      for (const [pattern, handler] of this.messageHandlers) {
        if (!handler.isEventHandler) throw new Error(`@MessagePattern('${pattern}') is not supported by the Kafka batch transport; use @EventPattern`);
        this.consumers.push(this.consumerFor(pattern, handler));
      }
      await Promise.all(this.consumers.map((c) => c.start()));
      this._status$.next('connected');
      this.log.info({ patterns: [...this.messageHandlers.keys()] }, 'kafka batch transport listening');
      callback();
    } catch (err) {
      for (const l of this.errorListeners) l(err);
      callback(err);
    }
  }

  /** Stops consumers (drain, commit), then flushes and disconnects the producer, then the connection. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const results = await Promise.allSettled(this.consumers.map((c) => c.stop()));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      for (const f of failed) this.log.error({ err: errorMessage(f.reason) }, 'consumer did not stop cleanly');
      try {
        await this.options.producer.flush();
      } finally {
        await this.options.producer.disconnect();
        await this.options.connection.close();
        this._status$.next('disconnected');
      }
      if (failed.length > 0) throw new Error(`${failed.length} consumer(s) did not stop cleanly: ${errorMessage(failed[0].reason)}`);
    })();
    return this.closing;
  }

  /** Every consumer is running and heard from its group recently. */
  isHealthy(): boolean {
    return this.consumers.length > 0 && this.consumers.every((c) => c.isHealthy());
  }

  /** Liveness: no consumer crashed for good and none has a partition wedged (see BatchConsumer.isLive). */
  isLive(): boolean {
    return this.consumers.every((c) => c.isLive());
  }

  /** Registers a listener for 'error' (a consumer failed to start). */
  on<K extends keyof KafkaBatchTransportEvents = keyof KafkaBatchTransportEvents, C extends KafkaBatchTransportEvents[K] = KafkaBatchTransportEvents[K]>(event: K, callback: C): void {
    if (event === 'error') this.errorListeners.push(callback);
  }

  /** The BatchConsumers, one per pattern. */
  unwrap<T>(): T {
    return this.consumers as unknown as T;
  }

  private consumerFor(pattern: string, handler: MessageHandler): BatchConsumer<unknown> {
    const o = this.options;
    const topic = o.topicFor(pattern);
    const groupId = o.groupIdFor ? o.groupIdFor(pattern) : `${o.consumer.groupId}.${pattern}`;
    const readerSchema = o.readerSchemaFor?.(pattern);
    const envelopeSchema = o.envelopeSchemaFor?.(pattern);
    const recordSchemaId = o.recordSchemaIdFor?.(pattern);
    const lifecycle = o.partitionLifecycleFor?.(pattern);
    return new BatchConsumer<unknown>(
      o.connection,
      { ...o.consumer, groupId },
      [topic],
      o.decodeFor?.(pattern) ?? 'avro',
      async (batch: ConsumedBatch<unknown>) => {
        const ctx = new KafkaBatchContext([pattern, batch.topic, batch.partition]);
        const out: unknown = await handler(batch, ctx);
        // Nest's exception filters turn a thrown error into an erroring Observable: lastValueFrom rethrows it.
        await lastValueFrom(this.transformToObservable(out), { defaultValue: undefined });
      },
      {
        ...this.deps,
        serde: o.serde,
        deadLetters: o.deadLetters,
        stage: o.stage,
        ...(readerSchema ? { readerSchema } : {}),
        ...(envelopeSchema ? { envelopeSchema } : {}),
        ...(recordSchemaId !== undefined ? { recordSchemaId } : {}),
        ...(lifecycle ? { lifecycle } : {}),
      },
    );
  }
}
