/**
 * The README's quick start, as a user would follow it: `npm start` (tools/run-local.sh) brings up the three
 * services, the README's curl of an OTLP JSON log is accepted, and the README's ClickHouse query shows it
 * within 5 seconds. The commands are taken from README.md itself, so the test fails when the docs drift.
 * Runs on the infrastructure the test command started (run-local reuses it) with its own topic prefix and
 * ClickHouse folder, so earlier data cannot make it pass.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@sextant/testing';

function readmeShellBlocks(): string[] {
  const text = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...text.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

function sh(script: string, env: NodeJS.ProcessEnv, timeoutMs = 240_000): string {
  return execFileSync('bash', ['-c', script], { cwd: REPO_ROOT, env, timeout: timeoutMs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe('README quick start', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sextant-readme-'));
  const env = {
    ...process.env,
    SEXTANT_TOPIC_PREFIX: `readme.${process.pid}.`,
    SEXTANT_STORE_PATH: join(dir, 'clickhouse'),
  };

  after(() => {
    sh('bash tools/stop-local.sh --services-only', env);
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm start, the documented curl, and the documented query show the record within 5 s', async () => {
    const blocks = readmeShellBlocks();
    const start = blocks.find((b) => /^npm start\b/m.test(b));
    const send = blocks.find((b) => b.includes('/v1/logs'));
    const query = blocks.find((b) => b.includes(':8123'));
    assert.ok(start && send && query, 'README must show npm start, the curl to /v1/logs and the query on :8123');

    sh('npm start', env);
    const answer = sh(send, env, 10_000);
    assert.doesNotMatch(answer, /"code"/, `ingest refused the README's record: ${answer}`);
    const sentAt = Date.now();
    let output = '';
    while (Date.now() - sentAt < 5000) {
      output = sh(query, env, 5000);
      if (output.includes('payment declined')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.match(output, /payment declined/, `the README's query did not show the record within 5 s; it printed:\n${output}`);
    assert.match(output, /checkout/);
    assert.match(output, /5b8efff798038103d269b633813fc60c/);
  });
});
