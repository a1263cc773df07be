import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogRecord } from '@sextant/contracts';
import {
  LOG_INSERT_COLUMNS,
  logInsertLine,
  logInsertRows,
  maxPartitionsPerInsert,
  ORIGINAL_TIMESTAMP_ATTRIBUTE,
  storedTimestamp,
  TIMESTAMP_OUT_OF_RANGE_FLAG,
  timestampWindow,
} from './log-insert-body';
import { toOtelLogRow } from './otel-logs.table';

const S = 1_000_000_000n;
const NOW = 1_780_000_000n * S;
const DAY = 86_400n * S;
const window = timestampWindow(NOW, 30, 3600);

function record(changes: Partial<LogRecord> = {}): LogRecord {
  return {
    tenant: 'acme', timeUnixNano: NOW - 5n * S, observedTimeUnixNano: NOW - S, severityNumber: 9, severityText: 'INFO', body: 'hello',
    attributes: { a: '1' }, resource: { 'service.name': 'svc' }, scopeName: 's', scopeVersion: '1', traceId: 't', spanId: 'p', traceFlags: 1,
    serviceName: '', source: 'otlp', stream: 'stdout', k8s: { namespace: 'n', pod: 'p', podUid: 'u', container: 'c', node: 'x', labels: { l: 'v' } },
    parseFlags: ['json'], ...changes,
  };
}

function columns(line: string): Record<string, unknown> {
  const values = JSON.parse(line) as unknown[];
  return Object.fromEntries(LOG_INSERT_COLUMNS.map((c, i) => [c, values[i]]));
}

describe('storedTimestamp', () => {
  it('keeps event times inside [reference − TTL, reference + tolerance]', () => {
    for (const t of [NOW, NOW - 30n * DAY, NOW + 3600n * S]) assert.deepEqual(storedTimestamp(record({ timeUnixNano: t }), window), { ns: t, replaced: false });
  });
  it('takes the observed time for 0 without flagging it (OTLP: unknown), as before', () => {
    assert.deepEqual(storedTimestamp(record({ timeUnixNano: 0n }), window), { ns: NOW - S, replaced: false });
  });
  it('replaces 1900, 1970, 2262+, a backfill past the TTL and a clock an hour ahead by the observed time', () => {
    const year1900 = -2_208_988_800n * S;
    for (const t of [year1900, 1n, 2n ** 63n - 1n, 2n ** 64n, NOW - 31n * DAY, NOW + 3601n * S]) {
      assert.deepEqual(storedTimestamp(record({ timeUnixNano: t }), window), { ns: NOW - S, replaced: true }, String(t));
    }
  });
  it('falls back to the reference when the observed time is out of range too', () => {
    assert.deepEqual(storedTimestamp(record({ timeUnixNano: 5n, observedTimeUnixNano: 0n }), window), { ns: NOW, replaced: true });
  });
});

describe('logInsertLine', () => {
  it('writes the same values as the JSONEachRow row mapping, in column order, plus the envelope index', () => {
    const r = record();
    const { line, replaced } = logInsertLine({ record: r, offset: '42', index: 3 }, 'sextant.logs', 2, window);
    assert.equal(replaced, false);
    assert.ok(line.endsWith('\n'));
    const { _KafkaIndex, ...rest } = columns(line);
    assert.equal(_KafkaIndex, 3);
    assert.deepEqual(rest, { ...toOtelLogRow(r, { topic: 'sextant.logs', partition: 2, offset: '42' }) });
  });
  it('flags a replaced timestamp and keeps the original in an attribute, leaving the record untouched', () => {
    const r = record({ timeUnixNano: 0n + 1n });
    const row = columns(logInsertLine({ record: r, offset: '1', index: -1 }, 't', 0, window).line);
    assert.equal(row['Timestamp'], '1779999999.000000000');
    assert.deepEqual(row['ParseFlags'], ['json', TIMESTAMP_OUT_OF_RANGE_FLAG]);
    assert.deepEqual(row['LogAttributes'], { a: '1', [ORIGINAL_TIMESTAMP_ATTRIBUTE]: '1' });
    assert.deepEqual(r.parseFlags, ['json']);
    assert.deepEqual(r.attributes, { a: '1' });
  });
  it('builds bodies deterministically and counts replaced timestamps', () => {
    const sources = [record(), record({ timeUnixNano: NOW + DAY })].map((r, i) => ({ record: r, offset: String(i), index: -1 }));
    const a = logInsertRows(sources, 't', 1, window);
    assert.equal(a.replaced, 1);
    assert.deepEqual(a.body, logInsertRows(sources, 't', 1, window).body);
    assert.equal(a.body.toString('utf8').split('\n').length, 3);
  });
  it('writes the rows as bytes, each ending where ends says, outgrowing its first buffer', () => {
    // Long and multi-byte bodies (3-byte and 4-byte UTF-8) overflow the buffer sized for typical rows.
    const bodies = ['plain', 'é'.repeat(900), '日本語'.repeat(700), '😀 emoji', 'x'.repeat(5000), ''];
    const sources = bodies.map((body, i) => ({ record: record({ body, timeUnixNano: i === 2 ? 1n : NOW }), offset: String(10 + i), index: i }));
    const rows = logInsertRows(sources, 't', 1, window);
    assert.equal(rows.body.toString('utf8'), sources.map((s) => logInsertLine(s, 't', 1, window).line).join(''));
    assert.equal(rows.replaced, 1);
    assert.equal(rows.ends.length, sources.length);
    sources.forEach((source, i) => {
      const start = i === 0 ? 0 : (rows.ends[i - 1] as number);
      assert.equal(rows.body.subarray(start, rows.ends[i]).toString('utf8'), logInsertLine(source, 't', 1, window).line, `row ${i}`);
    });
    assert.equal(rows.ends[sources.length - 1], rows.body.length);
  });
  it('allows every day the window can touch in one insert', () => {
    assert.ok(maxPartitionsPerInsert(30) >= 32);
  });
});
