/**
 * What every stage needs before it can do its work, wired once: the JSON logger, the metrics registry,
 * readiness probes, the Kafka connection, the schema-registry serde with the stage's schemas registered
 * (BACKWARD), its topics provisioned, an idempotent producer and a dead-letter publisher. Stages differ
 * only in what they consume and produce, which they declare as data (StageDeclaration).
 */
import {
  DEAD_LETTER_SCHEMA,
  TOPIC_SPECS,
  avroTypeOptions,
  envelopeSubjectName,
  subjectName,
  topicName,
  type LogicalTopic,
} from '@sextant/contracts';
import type { ConsumerSettings, KafkaSettings, ProducerSettings, RegistrySettings, ServiceConfig, TopicSettings } from '@sextant/config';
import { AvroSerde, DeadLetterPublisher, KafkaBatchTransport, KafkaConnection, RecordProducer, TransactionalOutput, type ConsumerConfig, type DecodeMode, type PartitionLifecycle } from '@sextant/kafka';
import { LivenessChecks, ReadinessChecks, createLogger, createMetricsRegistry, type Logger, type Registry } from '@sextant/telemetry';

export interface StageDeclaration {
  /** Stage name: ingest, parser, sink, ... */
  stage: string;
  /** Topics the stage writes Avro to (their value schemas are registered at start). */
  produces: LogicalTopic[];
  /** Topics the stage reads. */
  consumes: LogicalTopic[];
}

export interface StageSettings {
  service: ServiceConfig;
  kafka: KafkaSettings;
  registry: RegistrySettings;
  topics: TopicSettings;
  producer: ProducerSettings;
  consumer?: ConsumerSettings;
}

export const SEXTANT_VERSION = '0.1.0';

/** Start-up steps may race other replicas (topics just created, leaders not yet elected): retry for a while. */
const STARTUP_ATTEMPTS = 8;

/**
 * Runs a start-up step, retrying with capped backoff for a while (about 20 s): dependencies restart and elect
 * leaders too, and a stage that exits at once on the first refusal only makes its supervisor's backoff longer.
 */
export async function retrying<T>(logger: Logger, what: string, step: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (e) {
      if (attempt >= STARTUP_ATTEMPTS) throw e;
      const waitMs = Math.min(5000, 250 * 2 ** (attempt - 1));
      logger.warn({ attempt, waitMs, err: e instanceof Error ? e.message : String(e) }, `${what} failed; retrying`);
      await new Promise((r) => setTimeout(r, waitMs));
    }
  }
}

export class StageRuntime {
  private closed = false;
  /** Wedge detectors behind /healthz: components that can stall for good register here. */
  readonly liveness = new LivenessChecks();

  private constructor(
    readonly declaration: StageDeclaration,
    readonly settings: StageSettings,
    readonly logger: Logger,
    readonly metrics: Registry,
    readonly readiness: ReadinessChecks,
    readonly connection: KafkaConnection,
    readonly serde: AvroSerde,
    readonly producer: RecordProducer,
    readonly deadLetters: DeadLetterPublisher,
    private readonly schemaIds: Map<LogicalTopic, number>,
    private readonly envelopeIds: Map<LogicalTopic, number>,
  ) {}

  /** Connects, provisions topics, registers schemas. Throws (and the process exits) when any step fails. */
  static async start(declaration: StageDeclaration, settings: StageSettings): Promise<StageRuntime> {
    const logger = createLogger({ stage: declaration.stage, level: settings.service.logLevel });
    const metrics = createMetricsRegistry(declaration.stage, SEXTANT_VERSION);
    const deps = { logger, metrics };
    const readiness = new ReadinessChecks();
    const connection = new KafkaConnection(settings.kafka, deps);
    const serde = new AvroSerde(settings.registry, avroTypeOptions(), deps);
    const topic = (t: LogicalTopic): string => topicName(settings.topics.prefix, t, settings.topics.otlpPrefix);

    const all = [...new Set<LogicalTopic>([...declaration.produces, ...declaration.consumes, 'deadletter'])];
    if (settings.topics.provision) {
      await retrying(logger, 'topic provisioning', () => connection.ensureTopics(
        all.map((t) => {
          const spec = TOPIC_SPECS[t];
          const configs: Record<string, string> = { 'cleanup.policy': spec.cleanupPolicy };
          if (spec.retentionMs > 0) configs['retention.ms'] = String(spec.retentionMs);
          return {
            topic: topic(t),
            partitions: settings.topics.partitions > 0 ? settings.topics.partitions : spec.partitions,
            replicationFactor: settings.topics.replicationFactor,
            configs,
          };
        }),
      ));
    }

    // Single-record schemas of what the stage writes, and of what it reads in envelopes: a record dead-lettered
    // out of an envelope is re-framed alone under its topic's record subject, so it can be replayed.
    const schemaIds = new Map<LogicalTopic, number>();
    const consumedInEnvelopes = declaration.consumes.filter((t) => TOPIC_SPECS[t].envelopeSchema !== null);
    for (const t of [...new Set<LogicalTopic>([...declaration.produces, ...consumedInEnvelopes, 'deadletter'])]) {
      const schema = TOPIC_SPECS[t].valueSchema;
      if (schema === null) continue;
      schemaIds.set(t, await retrying(logger, `schema registration of ${t}`, () => serde.register(subjectName(topic(t), 'value'), schema, 'BACKWARD')));
    }
    const envelopeIds = new Map<LogicalTopic, number>();
    for (const t of declaration.produces) {
      const envelope = TOPIC_SPECS[t].envelopeSchema;
      if (envelope === null) continue;
      envelopeIds.set(t, await retrying(logger, `envelope schema registration of ${t}`, () => serde.register(envelopeSubjectName(topic(t), envelope), envelope, 'BACKWARD')));
    }

    const producer = new RecordProducer(connection, settings.producer, deps);
    await producer.connect();
    const deadLetterId = schemaIds.get('deadletter');
    if (deadLetterId === undefined) throw new Error(`dead-letter schema ${String(DEAD_LETTER_SCHEMA.name)} was not registered`);
    const deadLetters = new DeadLetterPublisher(producer, serde, topic('deadletter'), declaration.stage, deadLetterId);

    readiness.add({ name: 'kafka', check: () => connection.ping() });
    readiness.add({ name: 'registry', check: () => serde.ping() });
    readiness.add({
      name: 'producer',
      check: async () => {
        if (!producer.isHealthy()) throw new Error('producer is not connected');
      },
    });
    logger.info({ produces: declaration.produces.map(topic), consumes: declaration.consumes.map(topic) }, 'stage started');
    return new StageRuntime(declaration, settings, logger, metrics, readiness, connection, serde, producer, deadLetters, schemaIds, envelopeIds);
  }

  /** Full topic name of a logical topic under the configured prefix. */
  topic(t: LogicalTopic): string {
    return topicName(this.settings.topics.prefix, t, this.settings.topics.otlpPrefix);
  }

  /** Registry id of the single-record value schema of a topic this stage writes (or reads in envelopes). */
  schemaId(t: LogicalTopic): number {
    const id = this.schemaIds.get(t);
    if (id === undefined) throw new Error(`stage ${this.declaration.stage} does not produce ${t}`);
    return id;
  }

  /** Registry id of the batch envelope schema of a topic this stage writes (TOPIC_SPECS[t].envelopeSchema). */
  envelopeSchemaId(t: LogicalTopic): number {
    const id = this.envelopeIds.get(t);
    if (id === undefined) throw new Error(`stage ${this.declaration.stage} writes no envelopes to ${t}`);
    return id;
  }

  /**
   * The Nest transport that consumes this stage's topics in batches. Logical event patterns
   * (`@EventPattern('ingest.logs')`) map to prefixed topic names; values are read with the stage's own
   * (reader) schema, so records written with an older or newer compatible schema decode into today's shape.
   */
  createTransport(
    consumer: ConsumerSettings & Pick<ConsumerConfig, 'autoCommit' | 'minBytes' | 'maxWaitTimeMs'>,
    decode: DecodeMode = 'avro',
    /** Told when partitions are assigned and revoked (stages with per-partition state or leases). */
    lifecycle?: PartitionLifecycle,
  ): KafkaBatchTransport {
    const transport = new KafkaBatchTransport(
      {
        connection: this.connection,
        serde: this.serde,
        deadLetters: this.deadLetters,
        producer: this.producer,
        consumer,
        topicFor: (pattern) => this.topic(pattern as LogicalTopic),
        stage: this.declaration.stage,
        decodeFor: () => decode,
        // Values resolve into today's record schema (schema evolution); envelopes are flattened into their records.
        readerSchemaFor: (pattern) => TOPIC_SPECS[pattern as LogicalTopic]?.valueSchema ?? undefined,
        envelopeSchemaFor: (pattern) => TOPIC_SPECS[pattern as LogicalTopic]?.envelopeSchema ?? undefined,
        // A record dead-lettered out of an envelope is re-framed alone under its topic's record subject.
        recordSchemaIdFor: (pattern) => this.schemaIds.get(pattern as LogicalTopic),
        ...(lifecycle ? { partitionLifecycleFor: () => lifecycle } : {}),
      },
      { logger: this.logger, metrics: this.metrics },
    );
    this.readiness.add({
      name: 'consumers',
      check: async () => {
        if (!transport.isHealthy()) throw new Error('a consumer is not running');
      },
    });
    this.liveness.add({ name: 'consumers', wedged: () => (transport.isLive() ? null : 'a consumer crashed for good, or a partition keeps failing without progress') });
    return transport;
  }

  /**
   * A connected transactional producer for a stage that commits its outputs with its input offsets, with one
   * transactional id per input partition (`<base>.<topic>.<partition>`), the same on every replica: whoever
   * owns a partition now fences whoever owned it before, so an abandoned transaction can never commit late.
   * Its health joins the stage's readiness and liveness. The stage disconnects it after close().
   */
  async createTransactionalOutput(base: string): Promise<TransactionalOutput> {
    const output = new TransactionalOutput(this.connection, base, { ...this.settings.producer, idMode: 'per-partition' }, this.logger);
    await output.connect();
    this.readiness.add({
      name: 'transactions',
      check: async () => {
        if (!output.isHealthy()) throw new Error('transactional producer is not healthy (rebuilding or failing)');
      },
    });
    this.liveness.add({ name: 'transactions', wedged: () => (output.isWedged() ? 'transactions have failed continuously for too long' : null) });
    return output;
  }

  /** Last step of shutdown: flush what is buffered, then disconnect. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.producer.flush();
    } finally {
      await this.producer.disconnect().catch((e: unknown) => this.logger.warn({ err: e }, 'producer disconnect failed'));
      await this.connection.close().catch((e: unknown) => this.logger.warn({ err: e }, 'kafka disconnect failed'));
    }
  }
}
