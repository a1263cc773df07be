/**
 * The parser's transactions under two faults, on a private broker (its own port and data, so restarting it
 * disturbs no other test), with records flowing ingest → parser → logs the whole time and sub-batches small
 * enough that transactions are open when the fault lands (checked on the parser's transaction metrics): (1) the
 * broker is SIGKILLed and restarted, amid a backlog; (2) another producer
 * takes the parser's own transactional ids (`<group>.<topic>.<partition>`), which fences the parser's
 * producers. Either way the parser must recover by itself: a record sent after the fault, on every input
 * partition, is on logs within 30 s of the fault being over (the figure is printed). And the output, read
 * read_committed, must be exactly the input: every record of ingest.logs (identity: its content id, kept at
 * its input coordinates partition/offset/index) on logs once, nothing else.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { avroTypeOptions, type LogBatch, type LogRecord } from '@sextant/contracts';
import { AvroSerde, KafkaConnection } from '@sextant/kafka';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';
import { Pipeline, PrivateBroker, REGISTRY_URL } from '@sextant/testing';

const RECOVERY_LIMIT_MS = 30_000;
const PER_REQUEST = 20;
const REQUEST_INTERVAL_MS = 60;
const SERVICES = 30;
const PARTITIONS = 3;

type Consumer = ReturnType<KafkaConnection['client']['consumer']>;

/** Where a record sits on a topic: the input coordinates of a parsed record, or its place in the output. */
interface Coordinates {
  partition: number;
  offset: string;
  index: number;
}

/** Everything read_committed shows of one topic, by record body (the content id the test put there). */
class TopicTap {
  readonly byBody = new Map<string, Coordinates[]>();
  readonly firstSeen = new Map<string, number>();
  records = 0;
  private consumer: Consumer | undefined;

  constructor(
    private readonly conn: KafkaConnection,
    private readonly serde: AvroSerde,
    readonly topic: string,
  ) {}

  async start(): Promise<void> {
    // A consumer reads committed data only (KafkaJS's default isolation): aborted transactions stay invisible.
    const consumer = this.conn.client.consumer({ groupId: `e2e-tap-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 100, readUncommitted: false });
    this.consumer = consumer;
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (!message.value) return;
        const decoded = (await this.serde.decode<LogBatch | LogRecord>(message.value)).value;
        const records = 'records' in decoded ? decoded.records : [decoded];
        records.forEach((r, index) => {
          const at = this.byBody.get(r.body) ?? [];
          at.push({ partition, offset: message.offset, index });
          this.byBody.set(r.body, at);
          if (!this.firstSeen.has(r.body)) this.firstSeen.set(r.body, Date.now());
          this.records++;
        });
      },
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

/** Posts small OTLP requests at a steady pace; remembers when each record was sent and which were acknowledged. */
class Load {
  readonly sentAt = new Map<string, number>();
  readonly acked = new Set<string>();
  /** When each acknowledged request was sent, and when its answer came. */
  private readonly answers: { sent: number; at: number }[] = [];
  failed = 0;
  private running = true;
  private n = 0;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly url: string,
    private readonly tag: string,
  ) {}

  start(): void {
    this.loop = (async () => {
      const pending = new Set<Promise<void>>();
      while (this.running) {
        const p = this.request().finally(() => pending.delete(p));
        pending.add(p);
        await sleep(REQUEST_INTERVAL_MS);
      }
      await Promise.all(pending);
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  /** Sends `requests` requests at once, besides the steady pace, and resolves when all are answered. */
  async burst(requests: number): Promise<void> {
    await Promise.all(Array.from({ length: requests }, () => this.request()));
  }

  private request(): Promise<void> {
    const n = this.n++;
    return this.post(n % SERVICES, Array.from({ length: PER_REQUEST }, (_, i) => `${this.tag}-${n * PER_REQUEST + i}`));
  }

  /** Milliseconds from `since` until ingest acknowledged the first request sent after it; null while none was. */
  firstAckAfter(since: number): number | null {
    const at = this.answers.filter((a) => a.sent >= since).map((a) => a.at);
    return at.length > 0 ? Math.min(...at) - since : null;
  }

  private async post(service: number, bodies: string[]): Promise<void> {
    const now = Date.now();
    for (const b of bodies) this.sentAt.set(b, now);
    const logRecords = bodies.map((b) => ({ timeUnixNano: String(BigInt(now) * 1_000_000n), body: { stringValue: b } }));
    const body = JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: `${this.tag}-svc-${service}` } }] }, scopeLogs: [{ logRecords }] }] });
    try {
      const res = await fetch(this.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body, signal: AbortSignal.timeout(15_000) });
      await res.arrayBuffer();
      if (res.status === 200) {
        for (const b of bodies) this.acked.add(b);
        this.answers.push({ sent: now, at: Date.now() });
      } else this.failed++;
    } catch {
      this.failed++;
    }
  }
}

/**
 * Milliseconds from `since` until, on every input partition, the first record sent after it is on logs; null
 * while some partition has made no progress (the load's services spread over all partitions).
 */
function progressAfter(since: number, load: Load, input: TopicTap, output: TopicTap): number | null {
  const firstOut = new Map<number, number>();
  for (const [body, sent] of load.sentAt) {
    if (sent < since) continue;
    for (const { partition } of input.byBody.get(body) ?? []) {
      const seen = output.firstSeen.get(body);
      if (seen !== undefined) firstOut.set(partition, Math.min(firstOut.get(partition) ?? Infinity, seen));
    }
  }
  if (firstOut.size < PARTITIONS) return null;
  return Math.max(...firstOut.values()) - since;
}

/** After the load: logs holds every record of ingest.logs exactly as often as ingest.logs does, and nothing else. */
async function assertExactlyOnce(pipeline: Pipeline, load: Load, input: TopicTap, output: TopicTap): Promise<void> {
  const mismatches = (): string[] => {
    const bad: string[] = [];
    for (const [body, at] of input.byBody) {
      const n = output.byBody.get(body)?.length ?? 0;
      if (n !== at.length) bad.push(`${body} at ${JSON.stringify(at)}: ${n} times on logs, ${at.length} on ingest.logs`);
    }
    for (const body of output.byBody.keys()) if (!input.byBody.has(body)) bad.push(`${body} on logs but never on ingest.logs`);
    return bad;
  };
  await pipeline.eventually(async () => mismatches().slice(0, 5), (bad) => bad.length === 0, 60_000, 'logs holds exactly the records of ingest.logs');
  // Late duplicates (a transaction committed twice) would show up only now.
  await sleep(3000);
  assert.deepEqual(mismatches().slice(0, 5), [], 'every input record on logs exactly once');
  assert.equal(output.records, input.records);
  const lost = [...load.acked].filter((b) => !output.byBody.has(b));
  assert.deepEqual(lost.slice(0, 5), [], 'every acknowledged record is on logs');
  const dupedIn = [...input.byBody.values()].filter((at) => at.length > 1).length;
  console.log(`${load.acked.size} records acknowledged (${load.failed} requests failed); ${input.records} on ingest.logs (${dupedIn} twice), ${output.records} on logs`);
}

/** Messages of ingest.logs the parser has not committed yet, over all partitions. */
async function parserLag(conn: KafkaConnection, pipeline: Pipeline): Promise<number> {
  const topic = `${pipeline.prefix}ingest.logs`;
  const committed = new Map((await conn.groupOffsets(`${pipeline.prefix}parser.ingest.logs`, topic)).map((c) => [c.partition, BigInt(c.offset)]));
  let lag = 0n;
  for (const p of await conn.topicOffsets(topic)) {
    const c = committed.get(p.partition) ?? -1n;
    lag += BigInt(p.high) - (c < 0n ? BigInt(p.low) : c);
  }
  return Number(lag);
}

/**
 * Waits until the parser keeps up with the load (a fresh broker first creates its transaction log, which
 * delays the first transactions), so that what the fault costs is measured, not the start-up backlog.
 */
async function caughtUp(conn: KafkaConnection, pipeline: Pipeline): Promise<void> {
  await pipeline.eventually(() => parserLag(conn, pipeline), (lag) => lag <= 2 * PARTITIONS, 90_000, 'the parser keeping up with the load');
  await sleep(3000);
}

/** Initialises a transactional producer with `id` and leaves: the epoch is bumped, so any holder of the id is fenced. */
async function takeTransactionalId(conn: KafkaConnection, id: string): Promise<void> {
  const producer = conn.client.producer({ transactionalId: id, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  // KafkaJS sends InitProducerId at the first transaction(); an empty one ends without an EndTxn.
  await (await producer.transaction()).abort();
  await producer.disconnect();
}

/** Sum of the parser's samples of a metric, over the samples that carry every one of `labels` (`name="value"`). */
async function parserMetric(pipeline: Pipeline, name: string, ...labels: string[]): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${pipeline.stage('parser').httpPort}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => (l.startsWith(`${name}{`) || l.startsWith(`${name} `)) && labels.every((x) => l.includes(x)))
    .reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
}

/** Transactions that did not commit: the fault hit transactions that were open, not an idle parser. */
async function failedTransactions(pipeline: Pipeline): Promise<number> {
  let n = 0;
  for (const outcome of ['aborted', 'unknown', 'rejected']) n += await parserMetric(pipeline, 'sextant_kafka_transactions_total', `outcome="${outcome}"`);
  return n;
}

describe('parser transactions: a broker restart and a fenced producer', () => {
  let broker: PrivateBroker;
  let conn: KafkaConnection;
  let serde: AvroSerde;
  const cleanups: (() => Promise<void>)[] = [];

  /** A pipeline of ingest and parser on the private broker, with taps on both topics and a load posting to it. */
  async function pipelineWithLoad(tag: string): Promise<{ pipeline: Pipeline; load: Load; tap: () => Promise<{ input: TopicTap; output: TopicTap }> }> {
    const pipeline = new Pipeline({
      SEXTANT_KAFKA_BROKERS: broker.brokers,
      SEXTANT_TOPIC_PARTITIONS: String(PARTITIONS),
      SEXTANT_LOG_LEVEL: 'warn',
      // Small sub-batches and envelopes: many short transactions, so one is open whenever the fault strikes.
      SEXTANT_CONSUMER_SUB_BATCH_SIZE: String(2 * PER_REQUEST),
      SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS: String(PER_REQUEST),
      SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '5000',
    });
    cleanups.push(async () => {
      await pipeline.stopAll();
      pipeline.cleanup();
    });
    await pipeline.start('parser', 'ingest');
    const load = new Load(`http://127.0.0.1:${pipeline.stage('ingest').httpPort}/v1/logs`, tag);
    cleanups.push(() => load.stop());
    const tap = async () => {
      const input = new TopicTap(conn, serde, `${pipeline.prefix}ingest.logs`);
      const output = new TopicTap(conn, serde, `${pipeline.prefix}logs`);
      cleanups.push(() => input.stop(), () => output.stop());
      await Promise.all([input.start(), output.start()]);
      return { input, output };
    };
    return { pipeline, load, tap };
  }

  before(async () => {
    broker = await PrivateBroker.create();
    await broker.start();
    const logger = createLogger({ stage: 'e2e', level: 'warn' });
    const deps = { logger, metrics: createMetricsRegistry('e2e', 'test') };
    conn = new KafkaConnection({ brokers: [broker.brokers], clientId: 'e2e-txn', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
    serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '' }, avroTypeOptions(), deps);
    // A fresh broker creates its transaction log at the first transactional producer: now, not under load.
    await takeTransactionalId(conn, `e2e-warm-up-${randomBytes(4).toString('hex')}`);
  });

  after(async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await conn?.close().catch(() => undefined);
    await broker?.dispose();
  });

  it('a broker SIGKILLed and restarted amid transactions: the parser recovers within 30 s, exactly once', async () => {
    const { pipeline, load, tap } = await pipelineWithLoad('restart');
    load.start();
    await caughtUp(conn, pipeline);
    // A backlog of a few seconds' work, so the kill lands while every partition has a transaction open.
    await load.burst(30);
    console.log(`broker restart: the parser is ${await parserLag(conn, pipeline)} messages behind when the broker is killed`);
    const failedBefore = await failedTransactions(pipeline);
    broker.kill();
    await sleep(3000);
    await broker.start();
    const back = Date.now();
    // Taps start only now: a consumer of the test is no subject of this test.
    const { input, output } = await tap();
    const progress = await pipeline.eventually(async () => progressAfter(back, load, input, output), (ms) => ms !== null, 90_000, 'parser progress after the restart');
    const ack = load.firstAckAfter(back);
    console.log(`broker restart: the parser's output moved again on every input partition ${((progress ?? 0) / 1000).toFixed(1)} s after the broker was back (ingest acknowledged again after ${ack === null ? '-' : (ack / 1000).toFixed(1)} s)`);
    await sleep(3000);
    await load.stop();
    assert.ok(progress !== null && progress <= RECOVERY_LIMIT_MS, `recovered in ${progress} ms, more than ${RECOVERY_LIMIT_MS}`);
    const failedAfter = await failedTransactions(pipeline);
    console.log(`broker restart: ${failedAfter - failedBefore} transactions failed (aborted, unknown outcome or refused to begin)`);
    assert.ok(failedAfter > failedBefore, 'the restart hit transactions in progress');
    await assertExactlyOnce(pipeline, load, input, output);
  });

  it('a producer that takes over the parser\'s transactional ids fences it: the parser recovers within 30 s, exactly once', async () => {
    const { pipeline, load, tap } = await pipelineWithLoad('fence');
    const { input, output } = await tap();
    load.start();
    await caughtUp(conn, pipeline);
    assert.ok(output.records > 0, 'records flow before the fencing');
    const rebuildsBefore = await parserMetric(pipeline, 'sextant_kafka_transaction_producer_rebuilds_total');
    console.log(`fencing: the parser is ${await parserLag(conn, pipeline)} messages behind when it is fenced`);
    // The ids the parser builds: `<base>.<topic>.<partition>`, base = its consumer group when no id is configured.
    const topic = `${pipeline.prefix}ingest.logs`;
    for (let p = 0; p < PARTITIONS; p++) await takeTransactionalId(conn, `${pipeline.prefix}parser.${topic}.${p}`);
    const fenced = Date.now();
    const progress = await pipeline.eventually(async () => progressAfter(fenced, load, input, output), (ms) => ms !== null, 90_000, 'parser progress after the fencing');
    console.log(`fencing: the parser's output moved again on every input partition ${((progress ?? 0) / 1000).toFixed(1)} s after its producers were fenced`);
    await sleep(3000);
    await load.stop();
    assert.ok(progress !== null && progress <= RECOVERY_LIMIT_MS, `recovered in ${progress} ms, more than ${RECOVERY_LIMIT_MS}`);
    assert.ok((await parserMetric(pipeline, 'sextant_kafka_transaction_producer_rebuilds_total')) > rebuildsBefore, 'the parser noticed the fencing (its producers were dropped and rebuilt)');
    await assertExactlyOnce(pipeline, load, input, output);
  });
});
