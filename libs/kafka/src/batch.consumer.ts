/**
 * A consumer-group member that hands decoded batches to a handler and commits an offset only once every
 * record before it is done (handled with all outputs acknowledged, or dead-lettered). Processing of one
 * fetched batch lives in partition-batch.run.ts; this file owns the KafkaJS consumer's lifecycle:
 * start (join, subscribe), health, lag bookkeeping, and stop, the SIGTERM path: stop fetching, let in-flight
 * sub-batches finish within drainTimeoutMs, commit what is resolved, leave the group, disconnect. After
 * stop() returns, the group's committed offset is the next record to process.
 */
import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { AvroSerde } from './avro.serde';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { errorMessage } from './error-message';
import { validateConsumerConfig, type ConsumerConfig, type ResolvedConsumerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
import { OffsetTracker } from './offset.tracker';
import { PartitionBatchRun, type BatchHandler } from './partition-batch.run';
import { RecordDecoder, type DecodeMode } from './record.decoder';

export interface BatchConsumerDeps extends TelemetryDeps {
  /** Required for decode 'avro'. */
  serde?: AvroSerde;
  deadLetters: DeadLetterPublisher;
  /** Stage name, for logs. */
  stage: string;
  /** Avro reader schema the values are resolved into; the writer's schema when absent. */
  readerSchema?: object;
}

export class BatchConsumer<T> {
  private readonly cfg: ResolvedConsumerConfig;
  private readonly metrics: KafkaMetrics;
  private readonly logger: Logger;
  private readonly decoder: RecordDecoder<T>;
  private readonly trackers = new Map<string, OffsetTracker>();
  private readonly lagLabels = new Set<string>();
  private consumer: Consumer | null = null;
  private stopping = false;
  private stopped: Promise<void> | null = null;
  private crashed = false;
  private lastActivity = 0;
  private readonly stopAbort = new AbortController();
  private startDrainClock: () => void = () => undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private readonly drainDeadline: Promise<void>;

  constructor(
    private readonly conn: KafkaConnection,
    cfg: ConsumerConfig,
    readonly topics: string[],
    decode: DecodeMode,
    private readonly handler: BatchHandler<T>,
    private readonly deps: BatchConsumerDeps,
  ) {
    this.cfg = validateConsumerConfig(cfg);
    if (topics.length === 0) throw new Error('a BatchConsumer needs at least one topic');
    this.metrics = kafkaMetrics(deps.metrics);
    this.logger = deps.logger.child({ component: 'kafka-consumer', groupId: cfg.groupId, stage: deps.stage });
    this.decoder = new RecordDecoder<T>(decode, deps.serde, deps.readerSchema);
    this.drainDeadline = new Promise((resolve) => {
      this.startDrainClock = () => {
        this.drainTimer = setTimeout(resolve, this.cfg.drainTimeoutMs);
      };
    });
  }

  get groupId(): string {
    return this.cfg.groupId;
  }

  /** Joins the group and starts consuming; resolves once the group is joined. */
  async start(): Promise<void> {
    if (this.consumer || this.stopping) throw new Error('BatchConsumer.start() called twice');
    const c = this.conn.client.consumer({
      groupId: this.cfg.groupId,
      sessionTimeout: this.cfg.sessionTimeoutMs,
      heartbeatInterval: this.cfg.heartbeatIntervalMs,
      maxBytesPerPartition: this.cfg.maxBytesPerPartition,
      maxWaitTimeInMs: this.cfg.maxWaitTimeMs,
      minBytes: this.cfg.minBytes,
      allowAutoTopicCreation: false,
    });
    this.consumer = c;
    const touch = (): void => {
      this.lastActivity = Date.now();
    };
    c.on(c.events.HEARTBEAT, touch);
    c.on(c.events.FETCH, touch);
    c.on(c.events.START_BATCH_PROCESS, touch);
    c.on(c.events.GROUP_JOIN, (e) => {
      touch();
      this.forgetRevokedLag(e.payload.memberAssignment);
      this.logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    c.on(c.events.CRASH, (e) => {
      this.logger.error({ err: errorMessage(e.payload.error), restart: e.payload.restart }, 'consumer crashed');
      if (!e.payload.restart) this.crashed = true;
    });
    touch();
    try {
      await c.connect();
      await c.subscribe({ topics: this.topics, fromBeginning: this.cfg.fromBeginning });
      await c.run({
        autoCommit: this.cfg.autoCommit !== false,
        autoCommitInterval: this.cfg.commitIntervalMs,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: this.cfg.partitionsConsumedConcurrently,
        eachBatch: (payload) => this.onBatch(payload),
      });
    } catch (err) {
      this.consumer = null;
      await c.disconnect().catch(() => undefined);
      throw err;
    }
  }

  /** Stops fetching, drains in-flight sub-batches (up to drainTimeoutMs), commits, leaves the group, disconnects. */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopping = true;
    this.stopAbort.abort();
    this.startDrainClock();
    const c = this.consumer;
    this.stopped = (async () => {
      try {
        if (c) await c.disconnect();
      } finally {
        clearTimeout(this.drainTimer);
        this.consumer = null;
        this.logger.info('consumer stopped');
      }
    })();
    return this.stopped;
  }

  /** Running, not crashed for good, and heard from the group within two session timeouts. */
  isHealthy(): boolean {
    return this.consumer !== null && !this.stopping && !this.crashed && Date.now() - this.lastActivity < 2 * this.cfg.sessionTimeoutMs;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition } = payload.batch;
    const key = `${topic}|${partition}`;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      tracker = new OffsetTracker();
      this.trackers.set(key, tracker);
    }
    this.lagLabels.add(key);
    await new PartitionBatchRun<T>(payload, {
      cfg: this.cfg,
      handler: this.handler,
      decoder: this.decoder,
      deadLetters: this.deps.deadLetters,
      tracker,
      metrics: this.metrics,
      logger: this.logger,
      stopping: () => this.stopping,
      drainDeadline: this.drainDeadline,
      stopSignal: this.stopAbort.signal,
    }).run();
  }

  /** Lag of partitions this member no longer owns would otherwise stay frozen at its last value. */
  private forgetRevokedLag(assignment: Record<string, number[]>): void {
    for (const key of [...this.lagLabels]) {
      const [topic, partition] = key.split('|');
      if (assignment[topic]?.includes(Number(partition))) continue;
      this.metrics.consumerLag.remove({ topic, partition });
      this.lagLabels.delete(key);
      this.trackers.delete(key);
    }
  }
}
