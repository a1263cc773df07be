/**
 * The peer OpenTelemetry Collector of the side-by-side benchmark, as a child process: built (or taken from the
 * cache) by bench/peer/build.sh, configured like ingest for a fair comparison (OTLP/HTTP in; Kafka out with
 * acks from all in-sync replicas, snappy, and an answer only once Kafka has acknowledged: no batch processor,
 * no sending queue, no retry beyond the exporter's own timeout), and stopped by signals.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { REPO_ROOT } from '@sextant/testing';

/** Builds the Collector when it is not cached yet (minutes the first time) and returns its binary's path. */
export function buildPeerCollector(): string {
  const out = execFileSync('bash', [join(REPO_ROOT, 'bench', 'peer', 'build.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 20 * 60_000 });
  const binary = out.trim().split('\n').pop();
  if (!binary) throw new Error('bench/peer/build.sh printed no binary path');
  return binary;
}

export interface PeerCollectorOptions {
  readonly binary: string;
  /** Folder for the generated config and the log. */
  readonly dir: string;
  readonly httpPort: number;
  readonly brokers: string;
  readonly topic: string;
}

/** The Collector configuration, as JSON (a subset of YAML, which the Collector reads). */
export function peerCollectorConfig(o: PeerCollectorOptions): object {
  return {
    receivers: { otlp: { protocols: { http: { endpoint: `127.0.0.1:${o.httpPort}` } } } },
    exporters: {
      kafka: {
        brokers: o.brokers.split(','),
        client_id: 'sextant-bench-peer',
        logs: { topic: o.topic, encoding: 'otlp_proto' },
        timeout: '10s',
        retry_on_failure: { enabled: false },
        sending_queue: { enabled: false },
        producer: { required_acks: -1, compression: 'snappy', allow_auto_topic_creation: false },
      },
    },
    service: {
      // No self-metrics: their default listener (:8888) would collide with other runs on the machine.
      telemetry: { logs: { level: 'warn' }, metrics: { level: 'none' } },
      pipelines: { logs: { receivers: ['otlp'], exporters: ['kafka'] } },
    },
  };
}

export class PeerCollector {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  readonly logFile: string;

  constructor(private readonly opts: PeerCollectorOptions) {
    this.logFile = join(opts.dir, 'collector.log');
  }

  get url(): string {
    return `http://127.0.0.1:${this.opts.httpPort}/v1/logs`;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  start(): void {
    const config = join(this.opts.dir, 'collector.yaml');
    writeFileSync(config, JSON.stringify(peerCollectorConfig(this.opts), null, 2));
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(this.opts.binary, ['--config', `file:${config}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Waits until the receiver answers an empty export with 200. */
  async waitReady(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`the Collector exited before it was ready:\n${this.tail()}`);
      try {
        const res = await fetch(this.url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"resourceLogs":[]}' });
        await res.arrayBuffer();
        if (res.status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`the Collector was not ready within ${timeoutMs} ms:\n${this.tail()}`);
  }

  /** SIGTERM, then SIGKILL if it has not exited within timeoutMs. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGTERM');
    const gone = await Promise.race([this.exited.then(() => true), sleep(timeoutMs).then(() => false)]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Kills at once (the watchdog's last resort). */
  kill(): void {
    if (this.running) this.child?.kill('SIGKILL');
  }

  tail(lines = 30): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}
