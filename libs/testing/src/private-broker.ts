/**
 * A Kafka broker of a test's own: the same single-node KRaft broker infra/start.sh runs for everyone, but on
 * free ports and a data folder of its own, so a test may SIGKILL and restart it without disturbing any other
 * test on the shared broker. A restart reuses the same ports and data, as a broker coming back after a crash
 * would: topics, committed offsets and the transaction log survive it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT, freePort } from './stage-process';

export class PrivateBroker {
  private constructor(
    /** SEXTANT_HOME of the broker: its configuration, data, logs and pid file. */
    readonly dir: string,
    readonly port: number,
    readonly controllerPort: number,
  ) {}

  /** Picks free ports and a fresh folder for a broker; start() launches it, dispose() removes it all. */
  static async create(): Promise<PrivateBroker> {
    return new PrivateBroker(mkdtempSync(join(tmpdir(), 'sextant-kafka-')), await freePort(), await freePort());
  }

  /** Bootstrap address, for SEXTANT_KAFKA_BROKERS. */
  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Starts the broker (or leaves it running) and resolves once it is healthy. */
  async start(): Promise<void> {
    await this.script('start');
  }

  /** An orderly stop (SIGTERM, then SIGKILL after the script's grace period). */
  async stop(): Promise<void> {
    await this.script('stop');
  }

  /** A crash: SIGKILL, no chance to flush or hand over anything. Does nothing when it is not running. */
  kill(): void {
    const pid = this.pid();
    if (pid === null) return;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  /** Stops it whatever state it is in and deletes its data; for after() hooks, so no broker outlives its test. */
  async dispose(): Promise<void> {
    await this.stop().catch(() => undefined);
    this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private pid(): number | null {
    try {
      const pid = Number(readFileSync(join(this.dir, 'run', 'kafka.pid'), 'utf8').trim());
      return pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  private async script(action: 'start' | 'stop'): Promise<void> {
    const env = {
      ...process.env,
      SEXTANT_HOME: this.dir,
      SEXTANT_KAFKA_PORT: String(this.port),
      SEXTANT_KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      SEXTANT_KAFKA_HEAP: '512m',
    };
    await promisify(execFile)('bash', [join(REPO_ROOT, 'infra', `${action}.sh`), 'kafka'], { env });
  }
}
