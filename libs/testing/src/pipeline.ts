/**
 * A whole, isolated Sextant pipeline for one test: its own topic prefix, consumer groups, embedded ClickHouse
 * directory and ports, on the shared real Kafka and schema registry started by the test command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StageProcess, freePort } from './stage-process';

export const KAFKA_BROKERS = process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
export const REGISTRY_URL = process.env['SEXTANT_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export class Pipeline {
  readonly id = randomBytes(4).toString('hex');
  readonly prefix = `e2e.${this.id}.`;
  readonly dir = mkdtempSync(join(tmpdir(), `sextant-e2e-${this.id}-`));
  readonly stages = new Map<string, StageProcess>();
  queryPort = 0;

  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  baseEnv(stage: string): Record<string, string> {
    return {
      SEXTANT_KAFKA_BROKERS: KAFKA_BROKERS,
      SEXTANT_SCHEMA_REGISTRY_URL: REGISTRY_URL,
      SEXTANT_TOPIC_PREFIX: this.prefix,
      SEXTANT_TOPIC_PARTITIONS: '3',
      SEXTANT_CONSUMER_GROUP: `${this.prefix}${stage}`,
      SEXTANT_AUTH_ANONYMOUS: 'true',
      SEXTANT_CLICKHOUSE_PATH: join(this.dir, 'clickhouse'),
      SEXTANT_LOG_LEVEL: 'info',
      ...this.extraEnv,
    };
  }

  async add(stage: 'ingest' | 'parser' | 'sink', env: Record<string, string> = {}): Promise<StageProcess> {
    const port = await freePort();
    const stageEnv = { ...this.baseEnv(stage), ...env };
    if (stage === 'sink') {
      if (this.queryPort === 0) this.queryPort = await freePort();
      stageEnv['SEXTANT_QUERY_PORT'] = String(this.queryPort);
    }
    const p = new StageProcess(stage, stageEnv, join(this.dir, `${stage}.log`), port);
    this.stages.set(stage, p);
    p.start();
    return p;
  }

  /** Starts the given stages (storage side first) and waits until every one is ready. */
  async start(...stages: ('ingest' | 'parser' | 'sink')[]): Promise<StageProcess[]> {
    const started: StageProcess[] = [];
    for (const s of stages) started.push(await this.add(s));
    await Promise.all(started.map((s) => s.waitReady()));
    return started;
  }

  stage(name: string): StageProcess {
    const s = this.stages.get(name);
    if (!s) throw new Error(`no ${name} in this pipeline`);
    return s;
  }

  /** Runs SQL on the sink's read-only query endpoint; returns JSONEachRow rows. */
  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const res = await fetch(`http://127.0.0.1:${this.queryPort}/`, { method: 'POST', body: `${sql} FORMAT JSONEachRow` });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`query failed (${res.status}): ${text}`);
    return text
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as T);
  }

  /** Polls until fn returns a value that satisfies ok, or fails with the last value. */
  async eventually<T>(fn: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let last: T | undefined;
    let lastErr: unknown;
    while (Date.now() < deadline) {
      try {
        last = await fn();
        if (ok(last)) return last;
      } catch (e) {
        lastErr = e;
      }
      await sleep(250);
    }
    throw new Error(`${what} not met within ${timeoutMs} ms; last value ${JSON.stringify(last, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}; last error ${String(lastErr)}`);
  }

  async stopAll(): Promise<void> {
    for (const name of ['ingest', 'parser', 'sink']) {
      const s = this.stages.get(name);
      if (s?.running) await s.stop('SIGTERM').catch(() => s.stop('SIGKILL'));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
