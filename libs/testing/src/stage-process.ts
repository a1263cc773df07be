/**
 * Runs one Sextant stage as a real child process (the compiled apps/<stage>/dist/main.js), the way it runs in
 * production: own environment, own log file, readiness polled over HTTP, stopped by real signals (SIGTERM for
 * an orderly shutdown, SIGKILL for a crash).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { nodeOptionsOf, type StageName } from '@sextant/contracts';
import { createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logTail } from './log-tail';

export const REPO_ROOT = join(__dirname, '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

export class StageProcess {
  private child: ChildProcess | undefined;
  private exited: Promise<number | null> = Promise.resolve(null);
  /**
   * Every process this object spawned that has not exited. One at a time is the rule: a second one would take
   * the port, answer readiness for the new one and outlive the test (its pipes keep the test process alive).
   */
  private readonly spawned = new Set<ChildProcess>();

  constructor(
    /** A stage, or `store`: the local ClickHouse engine process (infra/store), which stages reach over HTTP. */
    readonly stage: StageName | 'store',
    readonly env: Record<string, string>,
    readonly logFile: string,
    readonly httpPort: number,
  ) {}

  start(): void {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    for (const earlier of this.spawned) {
      if (!alive(earlier)) continue;
      out.write(`[harness] ${this.stage}: an earlier process (pid ${earlier.pid}) still runs at a restart; SIGKILLed\n`);
      earlier.kill('SIGKILL');
    }
    // Extra Node flags (e.g. --cpu-prof) that NODE_OPTIONS does not allow.
    const nodeArgs = (this.env['SEXTANT_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
    const script = this.stage === 'store' ? join(REPO_ROOT, 'infra', 'store', 'dist', 'main.js') : join(REPO_ROOT, 'apps', this.stage, 'dist', 'main.js');
    const port = this.stage === 'store' ? { SEXTANT_STORE_PORT: String(this.httpPort), SEXTANT_STORE_HOST: '127.0.0.1' } : { SEXTANT_HTTP_PORT: String(this.httpPort), SEXTANT_HTTP_HOST: '127.0.0.1' };
    // Stages run with their declared Node options here as everywhere else.
    const nodeOptions = this.stage === 'store' ? {} : { NODE_OPTIONS: [process.env['NODE_OPTIONS'] ?? '', nodeOptionsOf(this.stage)].join(' ').trim() };
    const child = spawn(process.execPath, [...nodeArgs, script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...this.env, ...port, ...nodeOptions },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.child = child;
    this.spawned.add(child);
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.spawned.delete(child);
        resolve(code);
      }),
    );
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && alive(this.child);
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.stage} exited before it was ready:\n${this.tail()}`);
      try {
        const res = await fetch(`http://127.0.0.1:${this.httpPort}/readyz`);
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`${this.stage} not ready within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** Sends a signal and waits for the exit code (null when killed by the signal). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 40_000): Promise<number | null> {
    this.killStrays();
    if (!this.child || !this.running) return this.exited;
    this.child.kill(signal);
    // Unreferenced: a process that exits in time must not keep the test process alive until the timeout.
    const timer = sleep(timeoutMs, undefined, { ref: false }).then(() => 'timeout' as const);
    const result = await Promise.race([this.exited, timer]);
    if (result === 'timeout') {
      this.child.kill('SIGKILL');
      throw new Error(`${this.stage} did not exit within ${timeoutMs} ms after ${signal}:\n${this.tail()}`);
    }
    return result;
  }

  /** SIGKILLs every process this object spawned except the current one (there should be none). */
  private killStrays(): void {
    for (const c of this.spawned) if (c !== this.child && alive(c)) c.kill('SIGKILL');
  }

  tail(lines = 40): string {
    return logTail(this.logFile, lines);
  }
}
