import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReadinessChecks } from './readiness-checks';

describe('ReadinessChecks', () => {
  it('is ready when every probe answers', async () => {
    const r = new ReadinessChecks(100);
    r.add({ name: 'kafka', check: async () => undefined });
    r.add({ name: 'registry', check: async () => undefined });
    const report = await r.run();
    assert.equal(report.ready, true);
    assert.deepEqual(Object.keys(report.checks).sort(), ['kafka', 'registry']);
  });

  it('names the failing dependency and times out a hung one', async () => {
    const r = new ReadinessChecks(50);
    r.add({ name: 'kafka', check: async () => { throw new Error('connection refused'); } });
    r.add({ name: 'clickhouse', check: () => new Promise(() => undefined) });
    const report = await r.run();
    assert.equal(report.ready, false);
    assert.equal(report.checks['kafka']?.error, 'connection refused');
    assert.match(report.checks['clickhouse']?.error ?? '', /no answer within 50 ms/);
  });

  it('stops being ready once shutdown begins', async () => {
    const r = new ReadinessChecks(50);
    r.add({ name: 'kafka', check: async () => undefined });
    r.markShuttingDown();
    const report = await r.run();
    assert.equal(report.ready, false);
    assert.equal(report.checks['shutdown']?.ok, false);
  });
});
