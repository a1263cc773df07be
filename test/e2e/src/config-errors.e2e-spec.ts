/**
 * A configuration a component would refuse stops each stage at boot, before it touches anything: exit code 2,
 * and a message naming the variables to fix (no broker or store is reached, so none needs to run).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { STAGE_NAMES, type StageName } from '@sextant/contracts';
import { REPO_ROOT } from '@sextant/testing';

function boot(stage: StageName, env: Record<string, string>): { status: number | null; stderr: string } {
  const res = spawnSync(process.execPath, [join(REPO_ROOT, 'apps', stage, 'dist', 'main.js')], {
    env: { PATH: process.env['PATH'] ?? '', SEXTANT_KAFKA_BROKERS: '127.0.0.1:1', SEXTANT_AUTH_ANONYMOUS: 'true', ...env },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: res.status, stderr: res.stderr };
}

describe('configuration errors at boot', () => {
  for (const stage of STAGE_NAMES) {
    it(`${stage}: a producer the Kafka lib would refuse exits 2 naming both variables`, () => {
      const { status, stderr } = boot(stage, { SEXTANT_PRODUCER_LINGER_MS: '500', SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '200' });
      assert.equal(status, 2, stderr);
      assert.match(stderr, /SEXTANT_PRODUCER_SEND_TIMEOUT_MS must be longer than SEXTANT_PRODUCER_LINGER_MS/);
    });
  }

  it('sink: a flush interval beyond the ClickHouse request timeout exits 2 naming both variables', () => {
    const { status, stderr } = boot('sink', { SEXTANT_SINK_FLUSH_INTERVAL_MS: '5000', CLICKHOUSE_REQUEST_TIMEOUT_MS: '2000' });
    assert.equal(status, 2, stderr);
    assert.match(stderr, /SEXTANT_SINK_FLUSH_INTERVAL_MS \(5000\) must be shorter than CLICKHOUSE_REQUEST_TIMEOUT_MS \(2000\)/);
  });

  it('parser: a drain longer than the shutdown deadline exits 2 naming both variables', () => {
    const { status, stderr } = boot('parser', { SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '8000', SEXTANT_SHUTDOWN_TIMEOUT_MS: '5000' });
    assert.equal(status, 2, stderr);
    assert.match(stderr, /SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS must be shorter than SEXTANT_SHUTDOWN_TIMEOUT_MS/);
  });
});
