/**
 * A consumer-group member that hands decoded batches to a handler and commits an offset only once every
 * record before it is done (handled with all outputs acknowledged, acked after a deferral, or dead-lettered).
 * Processing of one fetched batch lives in partition-batch.run.ts, the owned partitions and their memory in
 * owned-partitions.ts and partition-progress.ts, commits in offset.committer.ts; this file owns the KafkaJS
 * consumer's lifecycle: start (join, subscribe), feeding assignment changes and crashes to the owned
 * partitions, health and liveness, and stop, the SIGTERM path: stop fetching, let in-flight
 * sub-batches and deferred acks finish within drainTimeoutMs, commit, leave the group, disconnect. After
 * stop() returns, the group's committed offset is the next record to process.
 */
import type { Admin, Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from 'pino';
import type { AvroSerde } from './avro.serde';
import type { BatchHandler, PartitionLifecycle } from './consumed-batch';
import type { DeadLetterPublisher } from './dead-letter.publisher';
import { errorMessage } from './error-message';
import { validateConsumerConfig, type ConsumerConfig, type ResolvedConsumerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
import { groupOffset, OffsetCommitter } from './offset.committer';
import { PartitionBatchRun } from './partition-batch.run';
import { OwnedPartitions } from './owned-partitions';
import { RecordDecoder, type DecodeMode } from './record.decoder';
import { sleep } from './timing';

export interface BatchConsumerDeps extends TelemetryDeps {
  /** Required for decode 'avro'. */
  serde?: AvroSerde;
  deadLetters: DeadLetterPublisher;
  /** Stage name, for logs. */
  stage: string;
  /** Avro reader schema the values are resolved into; the writer's schema when absent. */
  readerSchema?: object;
  /** Reader schema of the topics' batch envelope (TOPIC_SPECS[t].envelopeSchema); none: single records only. */
  envelopeSchema?: object;
  /** Registry id of the single-record schema (`<topic>-value`), to dead-letter a record out of an envelope alone. */
  recordSchemaId?: number;
  /** Hooks of a stage with per-partition state. */
  lifecycle?: PartitionLifecycle;
}

export class BatchConsumer<T> {
  private readonly cfg: ResolvedConsumerConfig;
  private readonly metrics: KafkaMetrics;
  private readonly logger: Logger;
  private readonly decoder: RecordDecoder<T>;
  private readonly owned: OwnedPartitions;
  private readonly runs = new Set<Promise<void>>();
  private readonly committer: OffsetCommitter;
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
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
    this.decoder = new RecordDecoder<T>({
      mode: decode,
      ...(deps.serde ? { serde: deps.serde } : {}),
      ...(deps.readerSchema ? { readerSchema: deps.readerSchema } : {}),
      ...(deps.envelopeSchema ? { envelopeSchema: deps.envelopeSchema } : {}),
      ...(deps.recordSchemaId !== undefined ? { recordSchemaId: deps.recordSchemaId } : {}),
    });
    this.owned = new OwnedPartitions({
      cfg: this.cfg,
      metrics: this.metrics,
      logger: this.logger,
      ...(deps.lifecycle ? { lifecycle: deps.lifecycle } : {}),
      onDone: () => this.committer.request(),
      flowControl: (op, partitions) => this.flowControl(op, partitions),
      seek: (topic, partition, offset) => this.seek(topic, partition, offset),
      groupOffset: async (topic, partition) => {
        this.admin ??= this.conn.client.admin();
        await this.admin.connect();
        return groupOffset(this.admin, this.cfg.groupId, topic, partition);
      },
      stopSignal: this.stopAbort.signal,
    });
    this.committer = new OffsetCommitter(this.cfg.autoCommit, this.cfg.commitIntervalMs, () => this.owned.values(), (offsets) => this.commitOffsets(offsets), this.logger);
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
      this.owned.assign(e.payload.memberAssignment);
      this.logger.info({ assignment: e.payload.memberAssignment }, 'joined consumer group');
    });
    c.on(c.events.CRASH, (e) => {
      this.logger.error({ err: errorMessage(e.payload.error), restart: e.payload.restart }, 'consumer crashed');
      if (!e.payload.restart) this.crashed = true;
      // KafkaJS left the group: whatever it rejoins with, nothing held for the old assignment is ours any more.
      this.owned.assign({});
    });
    touch();
    try {
      await c.connect();
      await c.subscribe({ topics: this.topics, fromBeginning: this.cfg.fromBeginning });
      await c.run({
        // Its commits would take the fetch position, ahead of deferred acks: OffsetCommitter commits instead.
        autoCommit: false,
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

  /**
   * Stops fetching, waits (up to drainTimeoutMs) for in-flight sub-batches and deferred acks, commits, drops
   * every partition (their signals abort), leaves the group, disconnects.
   */
  stop(): Promise<void> {
    if (this.stopped) return this.stopped;
    this.stopping = true;
    this.stopAbort.abort();
    this.startDrainClock();
    const c = this.consumer;
    this.stopped = (async () => {
      try {
        // Fetched batches are left unresolved now: pausing keeps KafkaJS from fetching them again and again.
        this.flowControl('pause', this.topics.map((topic) => ({ topic })));
        let expired = false;
        void this.drainDeadline.then(() => (expired = true));
        while (!expired && (this.runs.size > 0 || [...this.owned.values()].some((p) => p.deferredRecords > 0))) await sleep(20);
        await this.committer.flush();
        this.committer.close();
        this.owned.assign({}, false);
        if (c) await c.disconnect();
      } finally {
        clearTimeout(this.drainTimer);
        await this.admin?.disconnect().catch(() => undefined);
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

  /**
   * Liveness: false once the consumer crashed for good, or when a partition keeps failing and completed no
   * sub-batch for stallTimeoutMs (a wedged output): restarting the process is then the way out.
   */
  isLive(): boolean {
    if (this.crashed) return false;
    const now = Date.now();
    return ![...this.owned.values()].some((p) => p.stalled(now, this.cfg.stallTimeoutMs));
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    // Stopping: leave the batch unresolved; it is fetched again by whoever owns the partition next.
    if (this.stopping) return;
    const progress = this.owned.get(payload.batch.topic, payload.batch.partition);
    await progress.ready(() => this.deps.lifecycle?.onPartitionsAssigned?.([{ topic: progress.topic, partition: progress.partition }]));
    const run = new PartitionBatchRun<T>(payload, {
      cfg: this.cfg,
      handler: this.handler,
      decoder: this.decoder,
      deadLetters: this.deps.deadLetters,
      progress,
      metrics: this.metrics,
      logger: this.logger,
      stopping: () => this.stopping,
      drainDeadline: this.drainDeadline,
      stopSignal: this.stopAbort.signal,
      refetch: (cause, keepTrying) => this.owned.refetch(progress, cause, keepTrying),
      commit: () => this.committer.flush(),
    }).run();
    this.runs.add(run);
    try {
      await run;
    } finally {
      this.runs.delete(run);
    }
  }

  /** Pauses or resumes fetching; a no-op while KafkaJS has no group (not started, crashed, stopped). */
  private flowControl(op: 'pause' | 'resume', partitions: { topic: string; partitions?: number[] }[]): void {
    try {
      this.consumer?.[op](partitions);
    } catch (err) {
      this.logger.debug({ op, partitions, err: errorMessage(err) }, 'pause/resume skipped: no consumer group');
    }
  }

  private seek(topic: string, partition: number, offset: string): void {
    try {
      this.consumer?.seek({ topic, partition, offset });
    } catch (err) {
      this.logger.warn({ topic, partition, offset, err: errorMessage(err) }, 'seek failed; fetching resumes from the committed offset');
    }
  }

  private async commitOffsets(offsets: { topic: string; partition: number; offset: string }[]): Promise<void> {
    if (!this.consumer) return;
    await this.consumer.commitOffsets(offsets);
  }
}
