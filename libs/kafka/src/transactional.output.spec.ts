import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Registry } from 'prom-client';
import type { KafkaConnection } from './kafka.connection';
import { BackpressureError, KafkaUnavailableError, RecordTooLargeError, RefetchRequiredError, TransactionCancelledError } from './kafka.errors';
import { TransactionalOutput, type TransactionalOutputConfig } from './transactional.output';

type Step = 'sendBatch' | 'sendOffsets' | 'commit' | 'abort';

/** A cluster of fake KafkaJS transactional producers with KafkaJS's state machine: a failed EndTxn leaves COMMITTING/ABORTING for good. */
class FakeCluster {
  readonly producers: FakeProducer[] = [];
  readonly failures: Step[] = [];
  readonly batches: number[][] = [];
  readonly committed: string[] = [];
  hang: Promise<void> | null = null;

  conn(): KafkaConnection {
    return { client: { producer: (opts: { transactionalId: string }) => this.add(opts.transactionalId) }, metrics: new Registry() } as unknown as KafkaConnection;
  }

  private add(id: string): FakeProducer {
    const p = new FakeProducer(id, this);
    this.producers.push(p);
    return p;
  }
}

class FakeProducer {
  state: 'READY' | 'TRANSACTING' | 'COMMITTING' | 'ABORTING' = 'READY';
  disconnected = false;

  constructor(
    readonly transactionalId: string,
    private readonly cluster: FakeCluster,
  ) {}

  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.disconnected = true;
  }

  async transaction() {
    if (this.state !== 'READY') throw new Error(`Cannot call beginTransaction in state ${this.state}`);
    this.state = 'TRANSACTING';
    let sent: string[] = [];
    const step = async (s: Step, onFail: 'COMMITTING' | 'ABORTING' | null): Promise<void> => {
      if (this.state !== 'TRANSACTING') throw new Error('Cannot continue to use transaction once ended');
      const i = this.cluster.failures.indexOf(s);
      if (i >= 0 && (s === 'sendBatch' || sent.length > 0)) {
        this.cluster.failures.splice(i, 1);
        if (onFail) this.state = onFail;
        throw new Error(`${s} failed`);
      }
    };
    return {
      sendBatch: async (b: { topicMessages: { messages: { value: Buffer }[] }[] }) => {
        await step('sendBatch', null);
        if (this.cluster.hang) await this.cluster.hang;
        const values = b.topicMessages.flatMap((t) => t.messages.map((m) => m.value.toString()));
        this.cluster.batches.push(b.topicMessages.flatMap((t) => t.messages.map((m) => m.value.length)));
        sent = sent.concat(values);
      },
      sendOffsets: async () => step('sendOffsets', null),
      commit: async () => {
        await step('commit', 'COMMITTING');
        this.cluster.committed.push(...sent);
        this.state = 'READY';
      },
      abort: async () => {
        await step('abort', 'ABORTING');
        this.state = 'READY';
      },
    };
  }
}

const logger = pino({ level: 'silent' });
const offsets = (partition = 0, offset = '10') => ({ groupId: 'g', topic: 'in', partition, offset });
const outputs = (...values: string[]) => [{ topic: 'out', messages: values.map((v) => ({ key: 'k', value: Buffer.from(v) })) }];

async function started(cluster: FakeCluster, cfg: Partial<TransactionalOutputConfig> = {}): Promise<TransactionalOutput> {
  const out = new TransactionalOutput(cluster.conn(), 'parser-0', { compression: 'none', sendTimeoutMs: 1000, ...cfg }, logger);
  await out.connect();
  return out;
}

describe('TransactionalOutput', () => {
  it('rebuilds the producer after a failed commit, reports the outcome as unknown, and commits again afterwards', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster);
    cluster.failures.push('commit');
    await assert.rejects(out.commit(outputs('a'), offsets()), RefetchRequiredError);
    assert.equal(out.isHealthy(), false);
    assert.equal(cluster.producers.length, 2);
    assert.equal(cluster.producers[0].disconnected, true);
    assert.equal(cluster.producers[1].transactionalId, 'parser-0');
    await out.commit(outputs('b'), offsets());
    assert.deepEqual(cluster.committed, ['b']);
    assert.equal(out.isHealthy(), true);
    await out.disconnect();
  });

  it('rebuilds after a failed abort (fenced) and throws RefetchRequiredError', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster);
    cluster.failures.push('sendOffsets', 'abort');
    await assert.rejects(out.commit(outputs('a'), offsets()), RefetchRequiredError);
    await out.commit(outputs('b'), offsets());
    assert.deepEqual(cluster.committed, ['b']);
    assert.equal(cluster.producers.length, 2);
    await out.disconnect();
  });

  it('keeps the producer after a clean pre-commit failure that aborted, and throws KafkaUnavailableError', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster);
    cluster.failures.push('sendBatch');
    await assert.rejects(out.commit(outputs('a'), offsets()), KafkaUnavailableError);
    assert.equal(out.isHealthy(), false);
    await out.commit(outputs('b'), offsets());
    assert.equal(cluster.producers.length, 1);
    assert.equal(out.isHealthy(), true);
    await out.disconnect();
  });

  it('reports itself wedged once every transaction has failed for longer than wedgedAfterMs', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster, { wedgedAfterMs: 1000 });
    cluster.failures.push('commit');
    const t0 = Date.now();
    await assert.rejects(out.commit(outputs('a'), offsets()), RefetchRequiredError);
    assert.equal(out.isWedged(t0 + 500), false);
    cluster.failures.push('sendBatch');
    await assert.rejects(out.commit(outputs('b'), offsets()), KafkaUnavailableError);
    assert.equal(out.isWedged(Date.now() + 1500), true);
    assert.equal(out.isWedged(Date.now() + 2500), false, 'a producer nobody used for 2 × wedgedAfterMs is not wedged');
    await out.commit(outputs('c'), offsets());
    assert.equal(out.isWedged(Date.now() + 5000), false);
    await out.disconnect();
  });

  it('splits outputs into sendBatch calls within maxBatchBytes, all in one transaction', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster, { maxBatchBytes: 1000 });
    const values = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(300, 'x'));
    await out.commit(outputs(...values), offsets());
    assert.equal(cluster.batches.length, 4);
    for (const b of cluster.batches) assert.ok(b.reduce((n, s) => n + s + 25, 0) <= 1000, `batch of ${b.length} records`);
    assert.deepEqual(cluster.committed, values);
    await out.disconnect();
  });

  it('refuses a record above maxBatchBytes before any transaction begins', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster, { maxBatchBytes: 1000 });
    await assert.rejects(out.commit(outputs('small', 'y'.repeat(1000)), offsets()), RecordTooLargeError);
    assert.equal(cluster.batches.length, 0);
    assert.equal(cluster.producers[0].state, 'READY');
    await out.commit(outputs('next'), offsets());
    assert.deepEqual(cluster.committed, ['next']);
    await out.disconnect();
  });

  it('aborts instead of committing when the signal fires before the commit', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster);
    const ac = new AbortController();
    let release!: () => void;
    cluster.hang = new Promise((r) => (release = r));
    const pending = out.commit(outputs('late'), offsets(), ac.signal);
    await new Promise((r) => setImmediate(r));
    ac.abort(new Error('partition revoked'));
    release();
    await assert.rejects(pending, TransactionCancelledError);
    cluster.hang = null;
    const already = new AbortController();
    already.abort();
    await assert.rejects(out.commit(outputs('never'), offsets(), already.signal), TransactionCancelledError);
    assert.deepEqual(cluster.committed, []);
    assert.equal(cluster.batches.length, 1);
    await out.commit(outputs('ok'), offsets());
    assert.deepEqual(cluster.committed, ['ok']);
    await out.disconnect();
  });

  it('per-replica mode bounds its one queue', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster, { maxQueuedTransactions: 2 });
    let release!: () => void;
    cluster.hang = new Promise((r) => (release = r));
    const first = out.commit(outputs('1'), offsets(0));
    const second = out.commit(outputs('2'), offsets(1));
    await assert.rejects(out.commit(outputs('3'), offsets(2)), BackpressureError);
    release();
    await Promise.all([first, second]);
    assert.deepEqual(cluster.committed, ['1', '2']);
    await out.disconnect();
  });

  it('per-partition mode gives each input partition its own producer, id and queue', async () => {
    const cluster = new FakeCluster();
    const out = await started(cluster, { idMode: 'per-partition' });
    let release!: () => void;
    const hang = new Promise<void>((r) => (release = r));
    cluster.hang = hang;
    const slow = out.commit(outputs('p0'), offsets(0));
    await new Promise((r) => setImmediate(r));
    cluster.hang = null;
    await out.commit(outputs('p1'), offsets(1));
    assert.deepEqual(cluster.committed, ['p1']);
    release();
    await slow;
    assert.deepEqual(cluster.producers.map((p) => p.transactionalId).sort(), ['parser-0.in.0', 'parser-0.in.1']);
    await out.disconnect();
    assert.ok(cluster.producers.every((p) => p.disconnected));
  });
});
