/**
 * The part of a compliance rig every consumer stage shares: an isolated Pipeline, the input topic fed with
 * envelopes (Avro through the registry, as Sextant's own stages write them) to explicit partitions, so each
 * message's offset is known exactly, a poison message, the dead letters read back committed-only, and the
 * group's offsets and members. StageRig leaves the envelope to its subclass (LogStageRig: LogBatch envelopes
 * for the parser, which reads `ingest.logs`, and the sink, which reads `logs`); what counts as the stage's
 * effect differs per stage and is left to the subject (log-stage-subjects.ts).
 */
import { randomBytes } from 'node:crypto';
import { LOG_BATCH_SCHEMA, avroTypeOptions, envelopeSubjectName, topicName, type LogicalTopic, type LogRecord, type StageName } from '@sextant/contracts';
import { AvroSerde, KafkaConnection, RecordProducer, defaultProducerConfig, type OutboundMessage } from '@sextant/kafka';
import pino from 'pino';
import { Registry } from 'prom-client';
import { KAFKA_BROKERS, Pipeline, REGISTRY_URL } from '../pipeline';
import type { StageProcess } from '../stage-process';
import { GroupView } from './group-view';
import { SerialSends } from './serial-sends';
import type { ComplianceRig, IdentityTally, InputMessage, SeenDeadLetter } from './compliance-subject';

/** Partitions of every topic in a rig (the Pipeline's SEXTANT_TOPIC_PARTITIONS). */
export const RIG_PARTITIONS = 3;
/** The attribute that carries a record's id through the stages (its body carries it too). */
export const COMPLIANCE_ID_ATTRIBUTE = 'compliance.id';
/** Bytes no stage can decode: not the Confluent wire format (whose first byte is 0). */
const POISON_VALUE = Buffer.from('this is not an Avro record', 'utf8');

function logRecord(id: string, service: string): LogRecord {
  const now = BigInt(Date.now()) * 1_000_000n;
  return {
    tenant: 'default',
    timeUnixNano: now,
    observedTimeUnixNano: now,
    severityNumber: 9,
    severityText: 'INFO',
    body: id,
    attributes: { [COMPLIANCE_ID_ATTRIBUTE]: id },
    resource: { 'service.name': service },
    scopeName: '',
    scopeVersion: '',
    traceId: '',
    spanId: '',
    traceFlags: 0,
    serviceName: service,
    source: 'otlp',
    stream: '',
    k8s: null,
    parseFlags: [],
  };
}

export abstract class StageRig implements ComplianceRig {
  readonly pipeline: Pipeline;
  readonly inputTopic: string;
  readonly groupId: string;
  readonly replicas: StageProcess[] = [];
  abstract readonly atomicEffectsAndOffsets: boolean;
  protected readonly deps = { logger: pino({ level: 'silent' }), metrics: new Registry() };
  protected readonly conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'compliance', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000 }, this.deps);
  protected readonly serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '', unknownIdGraceMs: 0 }, avroTypeOptions(), this.deps);
  private readonly producer = new RecordProducer(this.conn, defaultProducerConfig(), this.deps);
  private readonly view: GroupView;
  /** Messages sent per partition: a fresh topic fed only by this rig gives the n-th message offset n. */
  private readonly sent = new Map<number, number>();
  private envelopeSchemaId = 0;
  protected readonly service = `compliance-${randomBytes(3).toString('hex')}`;

  constructor(
    readonly stage: StageName,
    input: LogicalTopic,
    stageEnv: Record<string, string>,
  ) {
    this.pipeline = new Pipeline(stageEnv);
    this.inputTopic = topicName(this.pipeline.prefix, input);
    this.groupId = `${this.pipeline.prefix}${stage}.${input}`;
    this.view = new GroupView(this.conn, this.serde, this.groupId, this.inputTopic, topicName(this.pipeline.prefix, 'deadletter'));
  }

  /** Creates the rig's topics (so readers can follow them before any replica runs) and connects its clients. */
  async open(alsoTopics: LogicalTopic[]): Promise<void> {
    const topics = [this.inputTopic, ...[...alsoTopics, 'deadletter' as const].map((t) => topicName(this.pipeline.prefix, t))];
    await this.conn.ensureTopics(topics.map((topic) => ({ topic, partitions: RIG_PARTITIONS, replicationFactor: 1, configs: {} })));
    const schema = this.envelopeSchema();
    this.envelopeSchemaId = await this.serde.register(envelopeSubjectName(this.inputTopic, schema), schema);
    await Promise.all([this.producer.connect(), this.view.open()]);
  }

  async startReplica(): Promise<StageProcess> {
    const p = await this.pipeline.add(this.stage);
    this.replicas.push(p);
    await p.waitReady(120_000);
    return p;
  }

  /** From the replica's own metrics: records of the input topic it fetched. */
  async hasWorked(replica: StageProcess): Promise<boolean> {
    const text = await (await fetch(`http://127.0.0.1:${replica.httpPort}/metrics`)).text();
    return text
      .split('\n')
      .some((line) => line.startsWith('sextant_kafka_consumed_records_total{') && line.includes(`topic="${this.inputTopic}"`) && Number(line.slice(line.lastIndexOf(' ') + 1)) > 0);
  }

  /** Sends one after the other: offsets are handed out in call order and checked against the broker per send. */
  private readonly sends = new SerialSends();

  produce(ids: string[], opts: { perMessage?: number; partition?: number } = {}): Promise<InputMessage[]> {
    return this.sends.run(() => this.produceNow(ids, opts));
  }

  private async produceNow(ids: string[], opts: { perMessage?: number; partition?: number }): Promise<InputMessage[]> {
    const perMessage = opts.perMessage ?? 10;
    const out: InputMessage[] = [];
    const messages: OutboundMessage[] = [];
    for (let i = 0, n = 0; i < ids.length; i += perMessage, n++) {
      const chunk = ids.slice(i, i + perMessage);
      const partition = opts.partition ?? n % RIG_PARTITIONS;
      const value = await this.serde.encode(this.envelopeSchemaId, this.envelope(chunk, partition));
      messages.push({ key: `${this.service}-${partition}`, value, partition });
      out.push({ partition, offset: String(this.nextOffset(partition)), ids: chunk });
    }
    await this.producer.send(this.inputTopic, messages);
    await this.checkOffsets();
    return out;
  }

  producePoison(partition: number): Promise<{ message: InputMessage; value: Buffer }> {
    return this.sends.run(() => this.producePoisonNow(partition));
  }

  private async producePoisonNow(partition: number): Promise<{ message: InputMessage; value: Buffer }> {
    const offset = this.nextOffset(partition);
    await this.producer.send(this.inputTopic, [{ key: `${this.service}-${partition}`, value: POISON_VALUE, partition }]);
    await this.checkOffsets();
    return { message: { partition, offset: String(offset), ids: [] }, value: POISON_VALUE };
  }

  /** The Avro schema of the input envelopes (registered under the input topic's envelope subject). */
  protected abstract envelopeSchema(): object;
  /** The envelope carrying these ids, bound for `partition`, in send order. */
  protected abstract envelope(ids: string[], partition: number): unknown;

  abstract effects(): Promise<Map<string, number>>;
  identities?(): Promise<IdentityTally>;
  whereIs?(ids: string[]): Promise<string>;

  deadLetters(): Promise<SeenDeadLetter[]> {
    return this.view.deadLetters();
  }

  offsets(): Promise<{ committed: Map<number, bigint>; ends: Map<number, bigint> }> {
    return this.view.offsets();
  }

  groupMembers(): Promise<number> {
    return this.view.groupMembers();
  }

  async close(): Promise<void> {
    await this.pipeline.stopAll().catch(() => undefined);
    await this.closeReaders();
    await Promise.all([this.view.close(), this.producer.disconnect().catch(() => undefined)]);
    await this.conn.close();
    this.pipeline.cleanup();
  }

  protected async closeReaders(): Promise<void> {
    // Subjects with readers of their own close them here.
  }

  private nextOffset(partition: number): number {
    const n = this.sent.get(partition) ?? 0;
    this.sent.set(partition, n + 1);
    return n;
  }

  /** The offsets handed out above hold only if nothing else wrote the input and nothing was written twice. */
  private checkOffsets(): Promise<void> {
    return this.view.checkSent(this.sent);
  }
}

/** The rig of a stage that consumes log records: LogBatch envelopes of INFO records carrying their id. */
export abstract class LogStageRig extends StageRig {
  protected envelopeSchema(): object {
    return LOG_BATCH_SCHEMA;
  }

  protected envelope(ids: string[]): unknown {
    return { records: ids.map((id) => logRecord(id, this.service)) };
  }
}
