import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { deriveInsertToken } from '../batch-inserter/insert-plan';
import { qualifiedTable } from '../sql-identifier';
import { timestampWindow } from '../tables/log-insert-body';
import { ReplayRequiredError, sortedSources } from './log-write-lease';
import { insertRange } from './range-inserter';
import { PartitionClaimConflictError, SinkStateStore } from './sink-state.store';
import { collectRejected, DAY_NS, messages, NOW_NS, TOPIC, writerFixture, type WriterFixture } from './testdata/log-writer-fixture';

const noRejects = async (): Promise<void> => undefined;

describe('ExactlyOnceLogWriter on embedded chDB: state, replays, owners', () => {
  let fx: WriterFixture;
  let store: SinkStateStore;
  const table = 'sextant_eo.otel_logs';

  before(async () => {
    fx = await writerFixture('state');
    store = new SinkStateStore(fx.client, qualifiedTable('sextant_eo', 'sextant_sink_state'));
  });
  after(async () => fx.close());

  it('writes a batch once, and a redelivery of it, or of any cut inside it, writes nothing', async () => {
    const writer = fx.writer();
    const lease = await writer.prepare(TOPIC, 0);
    assert.deepEqual(lease.plan, { kind: 'free', after: null });
    const first = await writer.write(lease, messages(0, 0, 4), { onRejected: noRejects });
    assert.equal(first.insertedRows, 15);
    assert.deepEqual(await fx.stored(0), { rows: 15, distinct: 15 });
    const again = await writer.prepare(TOPIC, 0);
    assert.deepEqual(again.plan, { kind: 'free', after: '4' });
    const redelivered = await writer.write(again, messages(0, 2, 6), { onRejected: noRejects });
    assert.deepEqual([redelivered.skippedRows, redelivered.insertedRows], [9, 6]);
    assert.deepEqual(await fx.stored(0), { rows: 21, distinct: 21 });
  });

  it('replays a claimed, unconfirmed range exactly even when the redelivery is cut differently', async () => {
    // A writer claimed offsets 0..4 and died before inserting (or before confirming).
    await store.claim({ table, topic: TOPIC, partition: 1, epoch: '' }, 'dead-writer', 1, { first: 0n, last: 4n, rows: 15, referenceTimeNs: NOW_NS });
    const writer = fx.writer();
    const lease = await writer.prepare(TOPIC, 1);
    assert.deepEqual(lease.plan, { kind: 'replay', firstOffset: '0', lastOffset: '4', rows: 15 });
    await assert.rejects(writer.write(lease, messages(1, 0, 2), { onRejected: noRejects }), (err: unknown) => {
      return err instanceof ReplayRequiredError && 'cutAfter' in err.need && err.need.cutAfter === '4';
    });
    await assert.rejects(writer.write(lease, messages(1, 2, 6), { onRejected: noRejects }), (err: unknown) => {
      return err instanceof ReplayRequiredError && 'refetchFrom' in err.need && err.need.refetchFrom === '0';
    });
    const result = await writer.write(lease, messages(1, 0, 9), { onRejected: noRejects });
    assert.deepEqual([result.replayedRows, result.insertedRows], [15, 15]);
    assert.deepEqual(result.ranges.map((r) => [r.kind, r.firstOffset, r.lastOffset, r.version]), [['replay', '0', '4', 1], ['insert', '5', '9', 2]]);
    assert.deepEqual(await fx.stored(1), { rows: 30, distinct: 30 });
  });

  it('completes a multi-part insert of which only some day partitions were committed', async () => {
    const key = { table, topic: TOPIC, partition: 2, epoch: '' };
    // Three days in one range: offset o's records are o days old.
    const batch = messages(2, 0, 2, 4, (o) => ({ timeUnixNano: NOW_NS - BigInt(o) * DAY_NS }));
    const reference = { first: 0n, last: 2n, rows: batch.length, referenceTimeNs: NOW_NS };
    await store.claim(key, 'crashed-mid-insert', 1, reference);
    // The crash: of the three day blocks, only the one of offset 1 reached the table.
    const target = {
      client: fx.client, config: fx.config, tableName: table, quotedTable: qualifiedTable('sextant_eo', 'otel_logs'), table: 'otel_logs',
      metrics: batchInserterMetrics(fx.registry),
    };
    const token = deriveInsertToken(table, TOPIC, 2, 0n, 2n, batch.length);
    const window = timestampWindow(NOW_NS, fx.config.logsTtlDays, 3600);
    await insertRange(target, sortedSources(batch.filter((r) => r.offset === '1')), TOPIC, 2, token, window, undefined);
    assert.deepEqual(await fx.stored(2), { rows: 4, distinct: 4 });
    const writer = fx.writer();
    const lease = await writer.prepare(TOPIC, 2);
    const result = await writer.write(lease, batch, { onRejected: noRejects });
    assert.equal(result.replayedRows, 12);
    assert.deepEqual(await fx.stored(2), { rows: 12, distinct: 12 });
  });

  it('survives A → B → A with a zombie A: no row lost, none duplicated', async () => {
    const a = fx.writer();
    const b = fx.writer();
    const leaseA = await a.prepare(TOPIC, 3);
    await a.write(leaseA, messages(3, 0, 4), { onRejected: noRejects });
    // Rebalance: B takes the partition and reads the group's committed offset (say 3), with a longer cut.
    const leaseB = await b.prepare(TOPIC, 3);
    const byB = await b.write(leaseB, messages(3, 3, 9), { onRejected: noRejects });
    assert.deepEqual([byB.skippedRows, byB.insertedRows], [6, 15]);
    // A still holds its old lease (drain timeout): its next batch loses the claim and writes nothing.
    await assert.rejects(a.write(leaseA, messages(3, 5, 7), { onRejected: noRejects }), PartitionClaimConflictError);
    assert.equal(leaseA.held, false);
    // The partition comes back to A, which re-reads the state.
    const again = await a.prepare(TOPIC, 3);
    assert.deepEqual(again.plan, { kind: 'free', after: '9' });
    const byA = await a.write(again, messages(3, 8, 12), { onRejected: noRejects });
    assert.deepEqual([byA.skippedRows, byA.insertedRows], [6, 9]);
    assert.deepEqual(await fx.stored(3), { rows: 39, distinct: 39 });
  });

  it('lets only one of two writers racing for the same range insert it, and a third completes the partition', async () => {
    const [a, b] = [fx.writer(), fx.writer()];
    const [leaseA, leaseB] = [await a.prepare(TOPIC, 4), await b.prepare(TOPIC, 4)];
    const outcomes = await Promise.allSettled([
      a.write(leaseA, messages(4, 0, 5), { onRejected: noRejects }),
      b.write(leaseB, messages(4, 0, 7), { onRejected: noRejects }),
    ]);
    const won = outcomes.filter((o) => o.status === 'fulfilled').length;
    assert.equal(won, 1, 'exactly one claim of a version wins');
    for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof PartitionClaimConflictError, String(o.reason));
    const c = fx.writer();
    const lease = await c.prepare(TOPIC, 4);
    await c.write(lease, messages(4, 0, 9), { onRejected: noRejects });
    assert.deepEqual(await fx.stored(4), { rows: 30, distinct: 30 });
  });

  it('reports a hole it was not told the consumer read through as a gap, and writes on', async () => {
    const writer = fx.writer();
    const lease = await writer.prepare(TOPIC, 5);
    await writer.write(lease, messages(5, 0, 4), { onRejected: noRejects });
    const read = await writer.write(lease, messages(5, 7, 8), { fetchedFrom: '5', onRejected: noRejects });
    assert.equal(read.gap, null);
    const jumped = await writer.write(lease, messages(5, 12, 13), { onRejected: noRejects });
    assert.deepEqual(jumped.gap, { from: '9', to: '11' });
    assert.ok(fx.warnings.some((w) => w.fields['from'] === '9' && w.fields['partition'] === 5));
    const metric = await fx.registry.getSingleMetric('sextant_sink_state_gap_offsets_total')?.get();
    assert.equal(metric?.values.find((v) => v.labels['table'] === 'otel_logs')?.value, 3);
    assert.deepEqual(await fx.stored(5), { rows: 27, distinct: 27 });
  });

  it('replays a pending range redelivered with another row count under its stored token, and counts it', async () => {
    await store.claim({ table, topic: TOPIC, partition: 7, epoch: '' }, 'dead-writer', 1, { first: 0n, last: 4n, rows: 15, referenceTimeNs: NOW_NS });
    const writer = fx.writer();
    const result = await writer.write(await writer.prepare(TOPIC, 7), messages(7, 0, 4, 2), { onRejected: noRejects });
    assert.equal(result.replayedRows, 10);
    assert.equal(result.ranges[0]?.token, deriveInsertToken(table, TOPIC, 7, 0n, 4n, 15));
    const metric = await fx.registry.getSingleMetric('sextant_sink_state_replay_mismatches_total')?.get();
    assert.equal(metric?.values[0]?.value, 1);
    assert.deepEqual(await fx.stored(7), { rows: 10, distinct: 10 });
  });

  it('keeps each insert under its own token while partitions are written concurrently on one session', async () => {
    const writer = fx.writer();
    const partitions = [10, 11, 12, 13, 14, 15];
    const leases = await Promise.all(partitions.map((p) => writer.prepare(TOPIC, p)));
    for (let round = 0; round < 3; round++) {
      await Promise.all(partitions.map((p, i) => writer.write(leases[i]!, messages(p, round * 4, round * 4 + 3), { onRejected: noRejects })));
    }
    for (const p of partitions) assert.deepEqual(await fx.stored(p), { rows: 36, distinct: 36 }, `partition ${p}`);
  });

  it('cuts a batch over twice maxBatchRows into claimed ranges at message boundaries, and replays none twice', async () => {
    const writer = fx.writer();
    const batch = messages(8, 0, 24, 1000);
    const result = await writer.write(await writer.prepare(TOPIC, 8), batch, { onRejected: noRejects });
    assert.deepEqual(result.ranges.map((r) => [r.firstOffset, r.lastOffset, r.rows]), [['0', '8', 9000], ['9', '17', 9000], ['18', '24', 7000]]);
    const again = await writer.write(await writer.prepare(TOPIC, 8), batch, { onRejected: noRejects });
    assert.equal(again.skippedRows, 25_000);
    assert.deepEqual(await fx.stored(8), { rows: 25_000, distinct: 25_000 });
  });

  it('keeps the offsets of another epoch (a failover to another cluster) apart: own state, own tokens', async () => {
    const writer = fx.writer();
    const first = await writer.write(await writer.prepare(TOPIC, 9, { epoch: 'cluster-a' }), messages(9, 0, 4), { onRejected: noRejects });
    const other = await writer.prepare(TOPIC, 9, { epoch: 'cluster-b' });
    assert.deepEqual(other.plan, { kind: 'free', after: null });
    const second = await writer.write(other, messages(9, 0, 4, 3, () => ({ body: 'after failover' })), { onRejected: noRejects });
    assert.notEqual(second.ranges[0]?.token, first.ranges[0]?.token);
    assert.match(second.ranges[0]?.token ?? '', /\|cluster-b$/);
    assert.deepEqual(await fx.stored(9), { rows: 30, distinct: 15 });
    assert.deepEqual((await writer.prepare(TOPIC, 9, { epoch: 'cluster-a' })).plan, { kind: 'free', after: '4' });
  });

  it('refuses a write on a released lease', async () => {
    const writer = fx.writer();
    const lease = await writer.prepare(TOPIC, 6);
    writer.release(lease);
    const rejected = collectRejected();
    await assert.rejects(writer.write(lease, messages(6, 0, 0), { onRejected: rejected.onRejected }), /revoked/);
    assert.deepEqual(await fx.stored(6), { rows: 0, distinct: 0 });
  });
});
