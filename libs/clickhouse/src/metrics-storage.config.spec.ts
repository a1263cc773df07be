import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClickHouseConfigError, resolveClickHouseConfig } from './clickhouse.config';
import { metricTableNames, resolutionLabel } from './metrics-storage.config';

describe('metrics storage config', () => {
  it('names a rollup table per resolution', () => {
    assert.deepEqual([10, 60, 300, 3600, 86_400, 90].map(resolutionLabel), ['10s', '1m', '5m', '1h', '1d', '90s']);
    const config = resolveClickHouseConfig({ metrics: { tables: { rollupsPrefix: 'r' } } });
    assert.deepEqual(metricTableNames(config.metrics).slice(-2), ['r_10s', 'r_1m']);
    assert.equal(config.metrics.tables.samples, 'sextant_metric_samples', 'partial tables keep the other defaults');
  });

  it('lists every problem: bad names, clashes, repeated or out-of-range resolutions', () => {
    try {
      resolveClickHouseConfig({
        tables: { logs: 'otel_metrics_sum' },
        metrics: { ttlDays: 0, tables: { series: 'bad name' }, rollups: [{ resolutionSeconds: 10, ttlDays: 7 }, { resolutionSeconds: 10, ttlDays: 1 }, { resolutionSeconds: 0, ttlDays: 1 }] },
      });
      assert.fail('expected a config error');
    } catch (err: unknown) {
      assert.ok(err instanceof ClickHouseConfigError);
      const text = err.problems.join('\n');
      assert.match(text, /metrics\.tables\.series must be a plain identifier/);
      assert.match(text, /metrics\.ttlDays must be an integer/);
      assert.match(text, /metrics\.rollups\[1\]\.resolutionSeconds 10 is listed twice/);
      assert.match(text, /metrics\.rollups\[2\]\.resolutionSeconds must be an integer/);
      assert.match(text, /used twice: otel_metrics_sum/);
    }
  });
});
