/**
 * A real Prometheus server for the end-to-end tests: Debian's 2.x (`prometheus` on PATH) or Prometheus 3 as
 * infra/build-prometheus3.sh builds it, started with a test's config in the test's folder, and read through
 * its HTTP API (queries, and its own /metrics: the remote-write queue's counters). Also node_exporter
 * (Debian's prometheus-node-exporter), the target both Prometheus and Sextant scrape.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, REPO_ROOT } from '@sextant/testing';

/** The Prometheus 3 binary, built (once, then cached) by infra/build-prometheus3.sh. */
export function prometheus3Binary(): string {
  return execFileSync('bash', [join(REPO_ROOT, 'infra', 'build-prometheus3.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 30 * 60_000 }).trim();
}

async function waitHttp(url: string, what: string, log: () => string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const status = await fetch(url).then((r) => r.status, () => 0);
    if (status === 200) return;
    await sleep(200);
  }
  throw new Error(`${what} not ready at ${url} after ${timeoutMs} ms; log tail:\n${log()}`);
}

/** One child process with the tail of its stderr kept for failure messages. */
class ChildWithLog {
  protected child: ChildProcess | undefined;
  private log = '';

  protected spawnLogged(binary: string, args: string[]): void {
    this.child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => void (this.log = (this.log + d.toString()).slice(-6000)));
  }

  logTail(): string {
    return this.log;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 20_000): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(graceMs)]);
    if (this.running) child.kill('SIGKILL');
  }
}

export class PrometheusServer extends ChildWithLog {
  readonly url: string;

  private constructor(
    private readonly dir: string,
    readonly port: number,
  ) {
    super();
    this.url = `http://127.0.0.1:${port}`;
  }

  /** Starts `binary` with `config` (YAML text), TSDB and config in `dir`; resolves when /-/ready answers. */
  static async start(binary: string, dir: string, config: string, extraArgs: string[] = []): Promise<PrometheusServer> {
    mkdirSync(dir, { recursive: true });
    const server = new PrometheusServer(dir, await freePort());
    writeFileSync(join(dir, 'prometheus.yml'), config);
    server.spawnLogged(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${server.port}`, '--web.enable-lifecycle', ...extraArgs]);
    await waitHttp(`${server.url}/-/ready`, `prometheus (${binary})`, () => server.logTail());
    return server;
  }

  /** Replaces the config and reloads it (POST /-/reload). */
  async reload(config: string): Promise<void> {
    writeFileSync(join(this.dir, 'prometheus.yml'), config);
    const res = await fetch(`${this.url}/-/reload`, { method: 'POST' });
    if (res.status !== 200) throw new Error(`prometheus reload failed: ${res.status} ${await res.text()}`);
  }

  /** An instant query's vector result. */
  async query(expr: string, timeSeconds?: number): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
    const at = timeSeconds === undefined ? '' : `&time=${timeSeconds}`;
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
    if (body.status !== 'success') throw new Error(`prometheus query ${expr} failed: ${body.error}`);
    return body.data.result;
  }

  /** The raw samples of the series a selector matches over the last `range` (a range-vector query), [seconds, value] each. */
  async rawSamples(selector: string, range = '1h'): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(`${selector}[${range}]`)}`);
    const body = (await res.json()) as { status: string; error?: string; data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
    if (body.status !== 'success') throw new Error(`prometheus query ${selector}[${range}] failed: ${body.error}`);
    return body.data.result;
  }

  /** Sum of every series of a metric on the server's own /metrics (e.g. its remote-write counters), NaN when absent. */
  async ownMetric(name: string): Promise<number> {
    const text = await (await fetch(`${this.url}/metrics`)).text();
    let sum = Number.NaN;
    for (const line of text.split('\n')) {
      if (!line.startsWith(name) || (line[name.length] !== ' ' && line[name.length] !== '{')) continue;
      const v = Number(line.slice(line.lastIndexOf(' ') + 1));
      sum = Number.isNaN(sum) ? v : sum + v;
    }
    return sum;
  }
}

/** Debian's prometheus-node-exporter on a free port. */
export class NodeExporter extends ChildWithLog {
  private constructor(readonly port: number) {
    super();
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  static async start(): Promise<NodeExporter> {
    const exporter = new NodeExporter(await freePort());
    exporter.spawnLogged('prometheus-node-exporter', [`--web.listen-address=${exporter.address}`]);
    await waitHttp(`http://${exporter.address}/metrics`, 'node_exporter', () => exporter.logTail());
    return exporter;
  }
}
