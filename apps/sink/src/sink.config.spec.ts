import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '@sextant/config';
import { defaultClickHouseConfig } from '@sextant/clickhouse';
import { loadSinkSettings, sinkConsumerConfig } from './sink.config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSinkSettings(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  assert.fail('expected a ConfigError');
}

describe('loadSinkSettings', () => {
  it('stops at boot on ClickHouse settings the ClickHouse lib would refuse, naming the variables', () => {
    assert.deepEqual(problemsOf({ SEXTANT_SINK_FLUSH_INTERVAL_MS: '5000', CLICKHOUSE_REQUEST_TIMEOUT_MS: '2000' }), [
      'SEXTANT_SINK_FLUSH_INTERVAL_MS (5000) must be shorter than CLICKHOUSE_REQUEST_TIMEOUT_MS (2000)',
    ]);
    const p = problemsOf({ SEXTANT_CLICKHOUSE_LOGS_TABLE: 'logs; DROP TABLE x', SEXTANT_CLICKHOUSE_SINK_STATE_TABLE: 'otel_logs' });
    assert.match(p.join('\n'), /SEXTANT_CLICKHOUSE_LOGS_TABLE must be a plain identifier/);
    const p2 = problemsOf({ SEXTANT_CLICKHOUSE_SINK_STATE_TABLE: 'otel_logs' });
    assert.match(p2.join(), /SEXTANT_CLICKHOUSE_LOGS_TABLE, tables.migrations and SEXTANT_CLICKHOUSE_SINK_STATE_TABLE must differ/);
  });

  it('checks its consumer as it runs it: the flush interval is the fetch wait, below the session timeout', () => {
    const p = problemsOf({ SEXTANT_SINK_FLUSH_INTERVAL_MS: '20000', CLICKHOUSE_REQUEST_TIMEOUT_MS: '60000' });
    assert.deepEqual(p, ['SEXTANT_SINK_FLUSH_INTERVAL_MS must be shorter than SEXTANT_CONSUMER_SESSION_TIMEOUT_MS']);
  });

  it('defaults as the ClickHouse lib does, except that it reaches the store over HTTP', () => {
    const s = loadSinkSettings({});
    const d = defaultClickHouseConfig();
    assert.equal(s.clickhouse.url, 'http://127.0.0.1:8123');
    assert.deepEqual(
      [s.clickhouse.database, s.clickhouse.username, s.clickhouse.requestTimeoutMs, s.clickhouse.logsTable, s.clickhouse.sinkStateTable, s.clickhouse.logsTtlDays, s.clickhouse.maxBatchRows, s.clickhouse.maxBatchBytes, s.clickhouse.flushIntervalMs, s.clickhouse.timestampFutureToleranceSeconds],
      [d.database, d.username, d.requestTimeoutMs, d.tables.logs, d.tables.sinkState, d.logsTtlDays, d.maxBatchRows, d.maxBatchBytes, d.flushIntervalMs, d.timestampFutureToleranceSeconds],
    );
    const c = sinkConsumerConfig(s);
    assert.equal(c.subBatchSize, s.clickhouse.maxBatchRows);
    assert.equal(c.maxWaitTimeMs, s.clickhouse.flushIntervalMs);
    assert.deepEqual([s.clickhouse.metricsTtlDays, s.clickhouse.rollups], [d.metrics.ttlDays, d.metrics.rollups]);
  });

  it('reads the rollup tables as <length>:<days>d entries and names the variable of a bad one', () => {
    assert.deepEqual(loadSinkSettings({ SEXTANT_CLICKHOUSE_ROLLUPS: '15s:3d, 5m:30d,1h:400d' }).clickhouse.rollups, [
      { resolutionSeconds: 15, ttlDays: 3 },
      { resolutionSeconds: 300, ttlDays: 30 },
      { resolutionSeconds: 3600, ttlDays: 400 },
    ]);
    assert.deepEqual(problemsOf({ SEXTANT_CLICKHOUSE_ROLLUPS: '10s:7d,1 minute' }), ['SEXTANT_CLICKHOUSE_ROLLUPS entry "1 minute" is not <length>(s|m|h):<days>d, e.g. 10s:7d']);
    assert.match(problemsOf({ SEXTANT_CLICKHOUSE_ROLLUPS: '10s:7d,10s:9d' }).join(), /SEXTANT_CLICKHOUSE_ROLLUPS\[1\]\.resolutionSeconds 10 is listed twice/);
  });
});
