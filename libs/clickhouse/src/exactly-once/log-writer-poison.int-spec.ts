import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ORIGINAL_TIMESTAMP_ATTRIBUTE, TIMESTAMP_OUT_OF_RANGE_FLAG } from '../tables/log-insert-body';
import { collectRejected, DAY_NS, messages, NOW_NS, SECOND_NS, TOPIC, writerFixture, type WriterFixture } from './testdata/log-writer-fixture';

const noRejects = async (): Promise<void> => undefined;
/** A lone UTF-16 surrogate: JSON.stringify escapes it, and ClickHouse refuses the escape (code 25). */
const REFUSED_BODY = 'bad \ud800 body';

describe('ExactlyOnceLogWriter on embedded chDB: poison', () => {
  let fx: WriterFixture;

  before(async () => {
    fx = await writerFixture('poison');
  });
  after(async () => fx.close());

  async function flagged(partition: number): Promise<Array<{ o: string; ts: string; original: string }>> {
    const result = await fx.client.query({
      query: `SELECT toString(_KafkaOffset) AS o, toString(toUnixTimestamp64Nano(Timestamp)) AS ts, LogAttributes[{attr:String}] AS original
        FROM sextant_eo.otel_logs WHERE _KafkaPartition = {p:UInt32} AND has(ParseFlags, {flag:String}) ORDER BY _KafkaOffset`,
      query_params: { p: partition, attr: ORIGINAL_TIMESTAMP_ATTRIBUTE, flag: TIMESTAMP_OUT_OF_RANGE_FLAG },
      format: 'JSONEachRow',
    });
    return result.json();
  }

  it('stores a batch whose 150 records span 150 days in one insert, flagging the ones past retention', async () => {
    const batch = messages(0, 0, 0, 150).map((r, i) => ({ ...r, value: { ...r.value, timeUnixNano: NOW_NS - BigInt(i) * DAY_NS } }));
    const writer = fx.writer();
    const result = await writer.write(await writer.prepare(TOPIC, 0), batch, { onRejected: noRejects });
    assert.deepEqual([result.insertedRows, result.rejected.length], [150, 0]);
    assert.deepEqual(await fx.stored(0), { rows: 150, distinct: 150 });
    // Ages 0..29 days are inside the 30-day window (its end is the claim time, a little after NOW_NS); the 120
    // older ones are kept under their observed time.
    const replaced = await flagged(0);
    assert.equal(replaced.length, 120);
    assert.equal(result.timestampsReplaced, 120);
    assert.equal(replaced[0]?.original, (NOW_NS - 30n * DAY_NS).toString());
  });

  it('stores timestamps of 0, 1900, 2262 and beyond, and an hour ahead, all findable', async () => {
    const year1900 = -2_208_988_800n * SECOND_NS;
    const times = [0n, year1900, 2n ** 63n - 1n, 2n ** 64n - 1n, NOW_NS + 2n * 3600n * SECOND_NS];
    const batch = messages(1, 0, times.length - 1, 1, (o) => ({ timeUnixNano: times[o] ?? 0n }));
    const writer = fx.writer();
    const result = await writer.write(await writer.prepare(TOPIC, 1), batch, { onRejected: noRejects });
    assert.equal(result.insertedRows, 5);
    // 0 means "unknown" in OTLP and takes the observed time unflagged; the rest are flagged.
    assert.deepEqual((await flagged(1)).map((r) => r.o), ['1', '2', '3', '4']);
    assert.ok((await flagged(1)).every((r) => BigInt(r.ts) === NOW_NS - 30n * SECOND_NS));
  });

  it('stores an observed time before 1973 (fewer than ten digits of seconds) instead of refusing the row', async () => {
    const batch = messages(4, 0, 1, 1, (o) => ({ observedTimeUnixNano: o === 0 ? 5n : 99_999_999n * SECOND_NS }));
    const writer = fx.writer();
    const rejected = collectRejected();
    const result = await writer.write(await writer.prepare(TOPIC, 4), batch, { onRejected: rejected.onRejected });
    assert.deepEqual([result.insertedRows, rejected.rows], [2, []]);
    const rows = await fx.client.query({
      query: 'SELECT toString(toUnixTimestamp64Nano(ObservedTimestamp)) AS t FROM sextant_eo.otel_logs WHERE _KafkaPartition = 4 ORDER BY _KafkaOffset',
      format: 'JSONEachRow',
    });
    assert.deepEqual((await rows.json<{ t: string }>()).map((r) => r.t), ['5', (99_999_999n * SECOND_NS).toString()]);
  });

  it('hands a row ClickHouse refuses to onRejected and stores the rest of the range', async () => {
    const batch = messages(2, 0, 9, 3, (o, i) => (o === 6 && i === 1 ? { body: REFUSED_BODY } : {}));
    const writer = fx.writer();
    const rejected = collectRejected();
    const result = await writer.write(await writer.prepare(TOPIC, 2), batch, { onRejected: rejected.onRejected });
    assert.deepEqual(rejected.rows, ['6/1']);
    assert.equal(result.rejected[0]?.error.code, 25);
    assert.deepEqual(await fx.stored(2), { rows: 29, distinct: 29 });
  });

  it('confirms nothing until the refused rows are dead-lettered: a failed dead letter replays them, no row twice', async () => {
    const batch = messages(3, 0, 9, 3, (o, i) => (o === 2 && i === 0 ? { body: REFUSED_BODY } : {}));
    const crashed = fx.writer();
    const failing = async (): Promise<void> => {
      throw new Error('dead-letter topic unavailable');
    };
    await assert.rejects(crashed.write(await crashed.prepare(TOPIC, 3), batch, { onRejected: failing }), /dead-letter topic unavailable/);
    assert.deepEqual(await fx.stored(3), { rows: 29, distinct: 29 });
    const next = fx.writer();
    const lease = await next.prepare(TOPIC, 3);
    assert.deepEqual(lease.plan, { kind: 'replay', firstOffset: '0', lastOffset: '9', rows: 30 });
    const rejected = collectRejected();
    const result = await next.write(lease, batch, { onRejected: rejected.onRejected });
    assert.deepEqual([result.replayedRows, rejected.rows], [30, ['2/0']]);
    assert.deepEqual(await fx.stored(3), { rows: 29, distinct: 29 });
    assert.deepEqual((await next.prepare(TOPIC, 3)).plan, { kind: 'free', after: '9' });
  });
});
