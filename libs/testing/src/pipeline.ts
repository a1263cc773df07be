/**
 * A whole, isolated Sextant pipeline for one test: its own topic prefix, consumer groups, store (the local
 * ClickHouse engine process, on a data directory and port of its own for the pipeline's life, so a killed store
 * comes back where the stages expect it) and ports, on the shared real Kafka and schema registry started by the
 * test command.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { StageProcess, freePort } from './stage-process';
import { STAGE_NAMES, type StageName } from '@sextant/contracts';

export const KAFKA_BROKERS = process.env['SEXTANT_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
export const REGISTRY_URL = process.env['SEXTANT_SCHEMA_REGISTRY_URL'] ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

export class Pipeline {
  readonly id = randomBytes(4).toString('hex');
  readonly prefix = `e2e.${this.id}.`;
  readonly dir = mkdtempSync(join(tmpdir(), `sextant-e2e-${this.id}-`));
  readonly stages = new Map<string, StageProcess>();
  /** Port of the pipeline's store; 0 until a sink (or the store itself) is added. */
  storePort = 0;

  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  baseEnv(stage: string): Record<string, string> {
    return {
      SEXTANT_KAFKA_BROKERS: KAFKA_BROKERS,
      SEXTANT_SCHEMA_REGISTRY_URL: REGISTRY_URL,
      SEXTANT_TOPIC_PREFIX: this.prefix,
      SEXTANT_TOPIC_OTLP_PREFIX: this.prefix,
      SEXTANT_TOPIC_PARTITIONS: '3',
      SEXTANT_CONSUMER_GROUP: `${this.prefix}${stage}`,
      SEXTANT_AUTH_ANONYMOUS: 'true',
      ...(this.storePort !== 0 ? { CLICKHOUSE_URL: `http://127.0.0.1:${this.storePort}` } : {}),
      SEXTANT_LOG_LEVEL: 'info',
      ...this.extraEnv,
    };
  }

  /**
   * Starts a stage (a sink first makes sure the store runs and is ready). Another replica of a stage already
   * added is registered as `<stage>#<n>`.
   */
  async add(stage: StageName, env: Record<string, string> = {}): Promise<StageProcess> {
    if (stage === 'sink' && !this.stages.get('store')?.running) await this.startStore();
    const port = await freePort();
    // Ingest's OTLP/gRPC receiver gets a port of its own too, kept across restarts like the HTTP port.
    const grpc: Record<string, string> = stage === 'ingest' && env['SEXTANT_INGEST_GRPC_PORT'] === undefined ? { SEXTANT_INGEST_GRPC_PORT: String(await freePort()) } : {};
    const stageEnv = { ...this.baseEnv(stage), ...grpc, ...env };
    const p = new StageProcess(stage, stageEnv, join(this.dir, `${stage}.log`), port);
    this.stages.set(this.replicaName(stage), p);
    p.start();
    return p;
  }

  /** Starts (or restarts, on the same port and data) the pipeline's store and waits until it is ready. */
  async startStore(env: Record<string, string> = {}): Promise<StageProcess> {
    if (this.storePort === 0) this.storePort = await freePort();
    const storeEnv = { SEXTANT_STORE_PATH: join(this.dir, 'clickhouse'), SEXTANT_LOG_LEVEL: 'warn', ...this.extraEnv, ...env };
    const p = new StageProcess('store', storeEnv, join(this.dir, 'store.log'), this.storePort);
    this.stages.set('store', p);
    p.start();
    await p.waitReady();
    return p;
  }

  private replicaName(stage: string): string {
    if (!this.stages.has(stage)) return stage;
    let n = 2;
    while (this.stages.has(`${stage}#${n}`)) n++;
    return `${stage}#${n}`;
  }

  /** Starts the given stages (storage side first) and waits until every one is ready. */
  async start(...stages: StageName[]): Promise<StageProcess[]> {
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

  /** Runs read-only SQL on the pipeline's store (ClickHouse's HTTP interface); returns JSONEachRow rows. */
  async query<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    if (this.storePort === 0) throw new Error('this pipeline has no store: add a sink first');
    const res = await fetch(`http://127.0.0.1:${this.storePort}/?readonly=1`, { method: 'POST', body: `${sql} FORMAT JSONEachRow` });
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

  /** Stops every process in pipeline order (receivers first), the store last. */
  async stopAll(): Promise<void> {
    const order = (name: string): number => {
      const base = name.split('#')[0] ?? name;
      return base === 'store' ? STAGE_NAMES.length : STAGE_NAMES.indexOf(base as StageName);
    };
    for (const [, s] of [...this.stages].sort((a, b) => order(a[0]) - order(b[0]))) {
      // Called for stopped ones too: stop() also kills any stray process of theirs.
      await s.stop('SIGTERM').catch(() => s.stop('SIGKILL'));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
