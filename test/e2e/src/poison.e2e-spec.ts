/**
 * Poison input on the logs path, end to end: each case is stored (flagged where its time was altered) or
 * refused/dead-lettered, and a normal record sent right after it on the same stream is visible within 5 s:
 * nothing poisons a partition. Cases: one request whose 150 records span 150 days (more day partitions than one
 * ClickHouse insert may touch), and event times of 0, 1900, the year 2262 and beyond (the largest OTLP time).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Pipeline } from '@sextant/testing';

const DAY_NS = 86_400n * 1_000_000_000n;
const VISIBLE_WITHIN_MS = 5000;

function request(service: string, records: { timeUnixNano?: string; body: string }[]): string {
  const logRecords = records.map((r) => ({ ...(r.timeUnixNano !== undefined ? { timeUnixNano: r.timeUnixNano } : {}), body: { stringValue: r.body } }));
  return JSON.stringify({ resourceLogs: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] }, scopeLogs: [{ logRecords }] }] });
}

describe('poison input never stalls a partition', () => {
  const pipeline = new Pipeline({ SEXTANT_SINK_FLUSH_INTERVAL_MS: '200' });
  let url = '';

  before(async () => {
    const [, , ingest] = await pipeline.start('sink', 'parser', 'ingest');
    url = `http://127.0.0.1:${ingest?.httpPort}/v1/logs`;
  });

  after(async () => {
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  const post = async (body: string): Promise<{ status: number; text: string }> => {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    return { status: res.status, text: await res.text() };
  };

  /** Sends one normal record on `service`'s stream and waits until it is stored; fails after 5 s. */
  const followerVisible = async (service: string, marker: string): Promise<void> => {
    const sent = Date.now();
    assert.equal((await post(request(service, [{ timeUnixNano: String(BigInt(Date.now()) * 1_000_000n), body: marker }]))).status, 200);
    await pipeline.eventually(
      () => pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.otel_logs WHERE Body = '${marker}'`),
      (rows) => Number(rows[0]?.c) === 1,
      VISIBLE_WITHIN_MS,
      `the record after the poison visible within ${VISIBLE_WITHIN_MS} ms`,
    );
    console.log(`${marker}: visible ${Date.now() - sent} ms after it was sent`);
  };

  it('stores a request spanning 150 days, out-of-window days flagged, and the stream goes on', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const records = Array.from({ length: 150 }, (_, d) => ({ timeUnixNano: String(now - BigInt(d) * DAY_NS), body: `backfill-${d}` }));
    const res = await post(request('poison-backfill', records));
    assert.equal(res.status, 200, res.text);
    await followerVisible('poison-backfill', 'after-backfill');
    // One insert spans ~30 day partitions, each its own part: they become visible one after another.
    const rows = await pipeline.eventually(
      () =>
        pipeline.query<{ stored: string; flagged: string; kept: string }>(
          `SELECT count() AS stored, countIf(has(ParseFlags, 'timestamp_out_of_range')) AS flagged, countIf(LogAttributes['sextant.original_timestamp'] != '') AS kept
           FROM sextant.otel_logs WHERE startsWith(Body, 'backfill-')`,
        ),
      (r) => Number(r[0]?.stored) >= 150,
      10_000,
      'the whole backfill stored',
    );
    assert.equal(Number(rows[0]?.stored), 150, 'every record of the backfill stored once');
    // The logs table keeps 30 days by default: the older records are stored at their observed time, flagged.
    assert.ok(Number(rows[0]?.flagged) >= 115 && Number(rows[0]?.flagged) <= 120, `flagged ${rows[0]?.flagged}`);
    assert.equal(rows[0]?.kept, rows[0]?.flagged, 'each altered record keeps its original time');
  });

  it('stores event times of 0, 1900, 2262 and the largest OTLP time without stalling', async () => {
    const cases = [
      { timeUnixNano: '0', body: 'time-zero' },
      { body: '{"time":"1900-01-01T00:00:00Z","msg":"time-1900"}' },
      { body: '{"time":"2262-04-12T00:00:00Z","msg":"time-2262"}' },
      { timeUnixNano: '9223372036854775807', body: 'time-int64-max' },
      { timeUnixNano: '18446744073709551615', body: 'time-uint64-max' },
    ];
    const accepted: string[] = [];
    for (const c of cases) {
      const res = await post(request('poison-times', [c]));
      // Stored (200), or refused by name (4xx): never a retryable failure.
      assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${c.body}: ${res.status} ${res.text}`);
      if (res.status === 200) accepted.push(c.body.includes('"msg"') ? (JSON.parse(c.body) as { msg: string }).msg : c.body);
    }
    await followerVisible('poison-times', 'after-times');
    const rows = await pipeline.query<{ Body: string; flagged: number }>(
      `SELECT Body, has(ParseFlags, 'timestamp_out_of_range') AS flagged FROM sextant.otel_logs WHERE ServiceName = 'poison-times' AND Body != 'after-times'`,
    );
    console.log(`poison times: accepted ${JSON.stringify(accepted)}, stored ${JSON.stringify(rows)}`);
    assert.equal(rows.length, accepted.length, 'every accepted record stored exactly once');
    const flagged = new Map(rows.map((r) => [r.Body.includes('time-') ? (r.Body.match(/time-[a-z0-9-]+/)?.[0] ?? r.Body) : r.Body, Number(r.flagged)]));
    assert.equal(flagged.get('time-int64-max'), 1, 'a time in the year 2262 is stored flagged, at its observed time');
    if (accepted.includes('time-uint64-max')) assert.equal(flagged.get('time-uint64-max'), 1);
  });
});
