/**
 * The counter test stage (per-key counts in a PartitionStateStore, checkpointed with its outputs and offsets)
 * passes the consumer-stage compliance suite, so the suite's "state restored identically" case runs against a
 * real stateful stage. The counter's effect is a running count per key, not one output per record, so a
 * record's effect is read positionally: a key's last committed count c means its first c records (in partition
 * order, which is production order here) took effect; a count above the records sent shows up as ids that
 * were never produced, one below as missing ids.
 */
import { join } from 'node:path';
import { AvroSerde, RecordProducer, defaultProducerConfig } from '@sextant/kafka';
import { avroTypeOptions } from '@sextant/contracts';
import { CommittedTopicReader, GroupView, SerialSends, consumerStageCompliance, type ComplianceReplica, type ComplianceRig, type InputMessage } from '@sextant/testing';
import { PartitionStateStore } from './partition-state.store';
import { jsonStateCodec } from './state.codec';
import { defaultStateStoreConfig } from './state-store.config';
import { type CounterSettings } from './testing/counter-env';
import { CounterProcess } from './testing/counter-process';
import { counterRig, sorted, type CounterRig } from './testing/counter-harness';

const PARTITIONS = 3;
const KEYS = 12;
const SUB_BATCH = 20;

/** One counter replica as a real process (CounterProcess); its `committed` reports say it has worked. */
class CounterReplica implements ComplianceReplica {
  readonly stage = 'counter';
  private readonly process: CounterProcess;
  private readyBefore = 0;

  constructor(settings: CounterSettings, logFile: string) {
    this.process = new CounterProcess(settings, logFile);
  }

  get commits(): number {
    return this.process.count('committed');
  }

  start(): void {
    // Reports add up over restarts: ready means one more "ready" than before this start.
    this.readyBefore = this.process.count('ready');
    this.process.start();
  }

  get running(): boolean {
    return this.process.running;
  }

  waitReady(timeoutMs = 60_000): Promise<void> {
    return this.process.waitFor('ready', this.readyBefore + 1, timeoutMs);
  }

  stop(signal: NodeJS.Signals): Promise<number | null> {
    return this.process.stop(signal);
  }

  tail(lines = 30): string {
    return this.process.tail(lines);
  }
}

/** A key for the id, on the given partition when one is asked for (key-n lives on partition n % PARTITIONS). */
function keyFor(id: string, partition: number | undefined): string {
  let h = 0;
  for (const c of id) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return partition === undefined ? `key-${h % KEYS}` : `key-${partition + PARTITIONS * (h % (KEYS / PARTITIONS))}`;
}

const partitionOf = (key: string): number => Number(key.slice(4)) % PARTITIONS;

class CounterComplianceRig implements ComplianceRig {
  readonly replicas: CounterReplica[] = [];
  readonly atomicEffectsAndOffsets = true;
  readonly inputTopic: string;
  readonly groupId: string;
  /** Ids per key in production order: the counter applies a key's records in this order. */
  private readonly idsByKey = new Map<string, string[]>();
  private readonly keyById = new Map<string, string>();
  private readonly lastCount = new Map<string, number>();
  private readonly sent = new Map<number, number>();
  private readonly serde: AvroSerde;
  private readonly producer: RecordProducer;
  private readonly view: GroupView;
  private readonly output: CommittedTopicReader;

  constructor(private readonly rig: CounterRig) {
    this.inputTopic = rig.settings.inputTopic;
    this.groupId = rig.settings.groupId;
    this.serde = new AvroSerde({ url: rig.settings.registryUrl, username: '', password: '' }, avroTypeOptions(), rig.deps);
    this.producer = new RecordProducer(rig.conn, defaultProducerConfig(), rig.deps);
    this.view = new GroupView(rig.conn, this.serde, this.groupId, this.inputTopic, rig.settings.deadLetterTopic);
    this.output = new CommittedTopicReader(rig.conn, rig.settings.outputTopic, (m) => {
      if (m.value === null) return;
      const { key, count } = JSON.parse(m.value.toString('utf8')) as { key: string; count: number };
      this.lastCount.set(key, count);
    });
  }

  async open(): Promise<void> {
    await Promise.all([this.producer.connect(), this.view.open(), this.output.start()]);
  }

  async startReplica(): Promise<CounterReplica> {
    const n = this.replicas.length;
    const r = new CounterReplica({ ...this.rig.settings, transactionalId: `${this.groupId}.replica-${n}` }, join(this.rig.logDir, `replica-${n}.log`));
    this.replicas.push(r);
    r.start();
    await r.waitReady();
    return r;
  }

  async hasWorked(replica: ComplianceReplica): Promise<boolean> {
    return (replica as CounterReplica).commits > 0;
  }

  /** Sends one after the other: offsets are handed out in call order and checked against the broker per send. */
  private readonly sends = new SerialSends();

  produce(ids: string[], opts: { partition?: number } = {}): Promise<InputMessage[]> {
    return this.sends.run(() => this.produceNow(ids, opts));
  }

  producePoison(partition: number): Promise<{ message: InputMessage; value: Buffer }> {
    return this.sends.run(() => this.producePoisonNow(partition));
  }

  private async produceNow(ids: string[], opts: { partition?: number }): Promise<InputMessage[]> {
    const out: InputMessage[] = [];
    const messages = ids.map((id) => {
      const key = keyFor(id, opts.partition);
      this.keyById.set(id, key);
      const partition = partitionOf(key);
      this.idsByKey.set(key, [...(this.idsByKey.get(key) ?? []), id]);
      out.push({ partition, offset: String(this.next(partition)), ids: [id] });
      return { key, value: Buffer.from(id), partition };
    });
    await this.producer.send(this.inputTopic, messages);
    await this.view.checkSent(this.sent);
    return out;
  }

  private async producePoisonNow(partition: number): Promise<{ message: InputMessage; value: Buffer }> {
    const value = Buffer.from('a record without a key');
    const offset = this.next(partition);
    await this.producer.send(this.inputTopic, [{ key: null, value, partition }]);
    await this.view.checkSent(this.sent);
    return { message: { partition, offset: String(offset), ids: [] }, value };
  }

  async effects(): Promise<Map<string, number>> {
    await this.output.caughtUp();
    const effects = new Map<string, number>();
    for (const [key, count] of this.lastCount) {
      const ids = this.idsByKey.get(key) ?? [];
      for (let i = 0; i < count; i++) effects.set(ids[i] ?? `${key}#never-sent-${i}`, 1);
    }
    return effects;
  }

  deadLetters = () => this.view.deadLetters();
  offsets = () => this.view.offsets();
  groupMembers = () => this.view.groupMembers();

  /** Counts per key after exactly these records. */
  expectedCounts(ids: string[]): [string, number][] {
    const counts = new Map<string, number>();
    for (const id of ids) {
      const key = this.keyById.get(id) ?? `${id}#never-sent`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return sorted(counts);
  }

  /** Counts per key as a new owner of every partition restores them from the changelog. */
  async restoredCounts(): Promise<[string, number][]> {
    const store = new PartitionStateStore<number>(defaultStateStoreConfig('counts'), this.rig.settings.changelogTopic, jsonStateCodec<number>(), this.rig.conn, this.rig.deps);
    const state = new Map<string, number>();
    for (let p = 0; p < PARTITIONS; p++) {
      await store.restore(p);
      for (const [k, v] of store.entries(p)) state.set(k, v);
    }
    return sorted(state);
  }

  async close(): Promise<void> {
    for (const r of this.replicas) await r.stop('SIGKILL');
    await Promise.all([this.view.close(), this.output.close(), this.producer.disconnect().catch(() => undefined)]);
    await this.rig.close();
  }

  private next(partition: number): number {
    const n = this.sent.get(partition) ?? 0;
    this.sent.set(partition, n + 1);
    return n;
  }
}

consumerStageCompliance({
  stage: 'counter',
  rig: async () => {
    const rig = new CounterComplianceRig(await counterRig(PARTITIONS, SUB_BATCH));
    await rig.open();
    return rig;
  },
  state: {
    expected: (rig, ids) => (rig as CounterComplianceRig).expectedCounts(ids),
    restored: (rig) => (rig as CounterComplianceRig).restoredCounts(),
  },
});
