import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { ClickHouseError, type ClickHouseClient } from '@clickhouse/client';
import type { LogRecord } from '@sextant/contracts';
import { Registry } from 'prom-client';
import { resolveClickHouseConfig } from '../clickhouse.config';
import { batchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { timestampWindow } from '../tables/log-insert-body';
import { insertRange, type RangeInsertTarget } from './range-inserter';

const NOW = 1_780_000_000_000_000_000n;
const record = (body: string): LogRecord => ({
  tenant: 't', timeUnixNano: NOW, observedTimeUnixNano: NOW, severityNumber: 9, severityText: 'INFO', body, attributes: {}, resource: {},
  scopeName: '', scopeVersion: '', traceId: '', spanId: '', traceFlags: 0, serviceName: 's', source: 'otlp', stream: '', k8s: null, parseFlags: [],
});
const sources = (bodies: string[]) => bodies.map((b, i) => ({ record: record(b), offset: String(i), index: -1 }));

/** A client whose exec answers by `respond(query, body)`: throw to fail, return to succeed. */
function fakeTarget(respond: (query: string, body: string) => void): { target: RangeInsertTarget; queries: string[] } {
  const queries: string[] = [];
  const client = {
    async exec(params: { query: string; values: Readable }) {
      let body = '';
      for await (const chunk of params.values) body += String(chunk);
      queries.push(params.query);
      respond(params.query, body);
      return { stream: Readable.from([]), query_id: 'q', response_headers: {} };
    },
  } as unknown as ClickHouseClient;
  const config = resolveClickHouseConfig({ insertMaxAttempts: 3, insertRetryBaseMs: 1, insertRetryMaxMs: 1 });
  return { target: { client, config, tableName: 'd.t', quotedTable: '`d`.`t`', table: 't', metrics: batchInserterMetrics(new Registry()) }, queries };
}

const window = timestampWindow(NOW, 30, 3600);
const chError = (code: string, message: string): Error => new ClickHouseError({ message, code, type: 'X' });

describe('insertRange', () => {
  it('puts the token and the partition limit into the statement itself', async () => {
    const { target, queries } = fakeTarget(() => undefined);
    const outcome = await insertRange(target, sources(['a', 'b']), 'logs', 0, "d.t|logs|0|0-1|2", window, undefined);
    assert.equal(outcome.insertedRows, 2);
    assert.match(queries[0] ?? '', /SETTINGS insert_deduplication_token = 'd\.t\|logs\|0\|0-1\|2', max_partitions_per_insert_block = 33 FORMAT JSONCompactEachRow$/);
  });

  it('retries transient failures a bounded number of times, then throws', async () => {
    let calls = 0;
    const flaky = fakeTarget(() => {
      if (++calls < 3) throw chError('159', 'timeout');
    });
    assert.equal((await insertRange(flaky.target, sources(['a']), 'logs', 0, 'tok', window, undefined)).statements, 3);
    const down = fakeTarget(() => {
      throw chError('159', 'timeout');
    });
    await assert.rejects(insertRange(down.target, sources(['a']), 'logs', 0, 'tok', window, undefined), /failed \(transient\) after 3 attempt/);
    assert.equal(down.queries.length, 3);
  });

  it('throws fatal errors at once', async () => {
    const { target, queries } = fakeTarget(() => {
      throw chError('60', 'unknown table');
    });
    await assert.rejects(insertRange(target, sources(['a']), 'logs', 0, 'tok', window, undefined), /fatal/);
    assert.equal(queries.length, 1);
  });

  it('bisects refused rows out under derived tokens, the same way every time', async () => {
    const refuse = (_q: string, body: string): void => {
      if (body.includes('bad')) throw chError('25', 'cannot parse escape sequence');
    };
    const run = async (): Promise<{ rejected: string[]; tokens: string[]; inserted: number }> => {
      const { target, queries } = fakeTarget(refuse);
      const outcome = await insertRange(target, sources(['a', 'b', 'bad', 'c', 'd']), 'logs', 0, 'T', window, undefined);
      return {
        rejected: outcome.rejected.map((r) => r.source.offset),
        tokens: queries.map((q) => /insert_deduplication_token = '([^']*)'/.exec(q)?.[1] ?? ''),
        inserted: outcome.insertedRows,
      };
    };
    const first = await run();
    assert.deepEqual(first.rejected, ['2']);
    assert.equal(first.inserted, 4);
    assert.deepEqual(first.tokens, ['T', 'T|a', 'T|a|a', 'T|a|b', 'T|b']);
    assert.deepEqual(await run(), first);
  });

  it('treats "too many partitions for single INSERT block" as the rows\' fault, not a reason to retry', async () => {
    const { target, queries } = fakeTarget((_q, body) => {
      if (body.split('\n').filter(Boolean).length > 1) throw chError('252', 'Too many partitions for single INSERT block (more than 33)');
    });
    const outcome = await insertRange(target, sources(['a', 'b']), 'logs', 0, 'T', window, undefined);
    assert.deepEqual([outcome.insertedRows, outcome.rejected.length, queries.length], [2, 0, 3]);
  });
});
