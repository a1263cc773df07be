/**
 * One KafkaJS client per service, shared by its producer and consumers, with KafkaJS's own logs routed into
 * the caller's pino logger. Also the admin side a stage needs at start and for readiness: ping()
 * (describeCluster) and ensureTopics() (see topic.provisioner.ts).
 */
import type { Admin, LogEntry, SASLOptions } from 'kafkajs';
import { abortedTransactionsFilterActive } from './aborted-transactions.filter';
import { Kafka, logLevel } from './kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_CLIENT_INITIAL_RETRY_MS, DEFAULT_CLIENT_RETRIES, validateKafkaConfig, type KafkaConfig } from './kafka.config';
import { errorMessage } from './error-message';
import { KafkaUnavailableError } from './kafka.errors';
import type { TelemetryDeps } from './kafka.metrics';
import { registerSnappyCodec } from './snappy.codec';
import { withTimeout } from './timing';
import { provisionTopics, type TopicProvision } from './topic.provisioner';

export type { TopicProvision } from './topic.provisioner';

function kafkajsLevel(logger: Logger): logLevel {
  switch (logger.level) {
    case 'trace':
    case 'debug':
      return logLevel.DEBUG;
    case 'info':
      return logLevel.INFO;
    case 'warn':
      return logLevel.WARN;
    case 'silent':
      return logLevel.NOTHING;
    default:
      return logLevel.ERROR;
  }
}

/** Routes KafkaJS's log entries to pino, keeping its structured fields. */
function logCreatorFor(logger: Logger) {
  const log = logger.child({ component: 'kafkajs' });
  return () =>
    ({ namespace, level, log: entry }: LogEntry): void => {
      const { message, timestamp: _ts, ...fields } = entry;
      const obj = { namespace, ...fields };
      if (level === logLevel.ERROR) log.error(obj, message);
      else if (level === logLevel.WARN) log.warn(obj, message);
      else if (level === logLevel.INFO) log.info(obj, message);
      else log.debug(obj, message);
    };
}

let filterChecked = false;

/** A read_committed consumer that let aborted records through would break exactly-once: refuse to run without the fix. */
function assertReadCommittedFilter(): void {
  if (filterChecked) return;
  if (!abortedTransactionsFilterActive()) {
    throw new Error('KafkaJS was loaded before libs/kafka installed its read-committed filter; load KafkaJS only through @sextant/kafka');
  }
  filterChecked = true;
}

export class KafkaConnection {
  /** The KafkaJS client. For RecordProducer and BatchConsumer; apps should not need it. */
  readonly client: Kafka;
  readonly config: KafkaConfig;
  /** Where components built on this connection register their metrics (TransactionalOutput does). */
  readonly metrics: Registry;
  private admin: Admin | null = null;
  private adminConnecting: Promise<Admin> | null = null;
  private readonly logger: Logger;

  constructor(cfg: KafkaConfig, deps: TelemetryDeps) {
    this.config = validateKafkaConfig(cfg);
    assertReadCommittedFilter();
    this.metrics = deps.metrics;
    registerSnappyCodec();
    this.logger = deps.logger.child({ component: 'kafka' });
    this.client = new Kafka({
      brokers: cfg.brokers,
      clientId: cfg.clientId,
      ssl: cfg.ssl,
      ...(cfg.sasl ? { sasl: { ...cfg.sasl } as SASLOptions } : {}),
      connectionTimeout: cfg.connectionTimeoutMs,
      requestTimeout: cfg.requestTimeoutMs,
      retry: { initialRetryTime: cfg.initialRetryMs ?? DEFAULT_CLIENT_INITIAL_RETRY_MS, retries: cfg.retries ?? DEFAULT_CLIENT_RETRIES },
      logLevel: kafkajsLevel(deps.logger),
      logCreator: logCreatorFor(deps.logger),
    });
  }

  /** Readiness: the cluster answers a metadata request within requestTimeoutMs. Throws KafkaUnavailableError. */
  async ping(): Promise<void> {
    try {
      const admin = await this.connectedAdmin();
      const cluster = await withTimeout(admin.describeCluster(), this.config.requestTimeoutMs, 'describeCluster');
      if (cluster.brokers.length === 0) throw new Error('the cluster reports no brokers');
    } catch (err) {
      throw new KafkaUnavailableError(`Kafka is unreachable: ${errorMessage(err)}`, { cause: err });
    }
  }

  /**
   * Creates missing topics, raises partition counts that are lower than asked (never lowers them) and logs
   * config drift of existing topics. Safe when several replicas run it at once.
   */
  async ensureTopics(specs: TopicProvision[]): Promise<void> {
    if (specs.length === 0) return;
    await provisionTopics(await this.connectedAdmin(), specs, this.logger);
  }

  /** Low and high watermark of every partition of a topic (high = offset the next record will get). */
  async topicOffsets(topic: string): Promise<{ partition: number; low: string; high: string }[]> {
    const offsets = await (await this.connectedAdmin()).fetchTopicOffsets(topic);
    return offsets.map((o) => ({ partition: o.partition, low: o.low, high: o.high })).sort((a, b) => a.partition - b.partition);
  }

  /** How many partitions a topic has now (from the cluster's metadata). */
  async partitionCount(topic: string): Promise<number> {
    const { topics } = await (await this.connectedAdmin()).fetchTopicMetadata({ topics: [topic] });
    const count = topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (count < 1) throw new KafkaUnavailableError(`topic ${topic} has no partitions in the cluster's metadata`);
    return count;
  }

  /** Committed offsets of a consumer group on a topic (-1 where nothing is committed). */
  async groupOffsets(groupId: string, topic: string): Promise<{ partition: number; offset: string }[]> {
    const res = await (await this.connectedAdmin()).fetchOffsets({ groupId, topics: [topic] });
    return (res[0]?.partitions ?? []).map((p) => ({ partition: p.partition, offset: p.offset })).sort((a, b) => a.partition - b.partition);
  }

  async close(): Promise<void> {
    const admin = this.admin ?? (await this.adminConnecting?.catch(() => null)) ?? null;
    this.admin = null;
    this.adminConnecting = null;
    if (admin) await admin.disconnect();
  }

  private async connectedAdmin(): Promise<Admin> {
    if (this.admin) return this.admin;
    if (!this.adminConnecting) {
      const admin = this.client.admin();
      this.adminConnecting = admin.connect().then(
        () => {
          this.admin = admin;
          return admin;
        },
        async (err: unknown) => {
          this.adminConnecting = null;
          await admin.disconnect().catch(() => undefined);
          throw err;
        },
      );
    }
    return this.adminConnecting;
  }
}
