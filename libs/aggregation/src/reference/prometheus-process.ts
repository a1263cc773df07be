// A throwaway Prometheus for the reference test: a remote-write receiver on a free port with its TSDB in a
// scratch folder, queried through its HTTP API. Prometheus 3 is the one `infra/build-prometheus3.sh` builds
// into the project's download cache; Debian's `prometheus` (2.42) is on PATH.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const REPO_ROOT = resolve(__dirname, '../../../..');
export const PROMETHEUS2_BINARY = '/usr/bin/prometheus';

/** The Prometheus 3 module version of infra/versions.env (SEXTANT_PROMETHEUS3_MODULE_VERSION overrides it). */
function prometheus3Version(): string {
  const fromEnv = process.env['SEXTANT_PROMETHEUS3_MODULE_VERSION'];
  if (fromEnv) return fromEnv;
  const versions = readFileSync(join(REPO_ROOT, 'infra/versions.env'), 'utf8');
  const m = /SEXTANT_PROMETHEUS3_MODULE_VERSION:=([^}"\s]+)/.exec(versions);
  if (!m) throw new Error('infra/versions.env names no SEXTANT_PROMETHEUS3_MODULE_VERSION');
  return m[1];
}

/**
 * Path of the Prometheus 3 binary, where infra/build-prometheus3.sh puts it:
 * `$SEXTANT_CACHE_DIR/tools/prometheus-<version without v>/prometheus` (cache by default ~/.cache/sextant).
 * Throws naming the path and the command that builds it when it is not there.
 */
export function prometheus3Binary(): string {
  const cache = resolve(process.env['SEXTANT_CACHE_DIR'] || join(homedir(), '.cache/sextant'));
  const binary = join(cache, 'tools', `prometheus-${prometheus3Version().replace(/^v/, '')}`, 'prometheus');
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(`Prometheus 3 is not built: no executable ${binary}. Run bash infra/setup.sh (or bash infra/build-prometheus3.sh; needs Go >= 1.26).`);
  }
  return binary;
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

/** One sample of a PromQL result: its labels (`__name__` removed) and value at time `tMs`. */
export interface PromPoint {
  labels: Record<string, string>;
  tMs: number;
  value: number;
}

function parseValue(v: string): number {
  if (v === '+Inf') return Infinity;
  if (v === '-Inf') return -Infinity;
  return Number(v);
}

export class PrometheusProcess {
  private child: ChildProcess | undefined;
  private log = '';
  private readonly dir = mkdtempSync(join(tmpdir(), 'sextant-promref-'));
  port = 0;

  constructor(readonly binary: string) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    const args = [`--config.file=${config}`, `--storage.tsdb.path=${join(this.dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${this.port}`, '--web.enable-remote-write-receiver', '--log.level=warn'];
    this.child = spawn(this.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child.stderr?.on('data', (d: Buffer) => void (this.log = (this.log + d.toString()).slice(-4000)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.binary} exited with ${this.child.exitCode}: ${this.log}`);
      const status = await fetch(`${this.url}/-/ready`).then((r) => r.status, () => 0);
      if (status === 200) return;
      await sleep(200);
    }
    throw new Error(`${this.binary} not ready in 60 s: ${this.log}`);
  }

  /** POSTs a remote-write 1.0 body; throws unless Prometheus answers 2xx. */
  async write(body: Uint8Array): Promise<void> {
    const res = await fetch(`${this.url}/api/v1/write`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-protobuf', 'Content-Encoding': 'snappy', 'X-Prometheus-Remote-Write-Version': '0.1.0' },
      body,
    });
    if (res.status < 200 || res.status > 299) throw new Error(`remote write answered ${res.status}: ${await res.text()}`);
  }

  /** `query` evaluated at startMs, startMs + stepMs, … ≤ endMs (query_range), every point of every series. */
  async queryRange(query: string, startMs: number, endMs: number, stepMs: number): Promise<PromPoint[]> {
    const params = new URLSearchParams({ query, start: (startMs / 1000).toFixed(3), end: (endMs / 1000).toFixed(3), step: (stepMs / 1000).toFixed(3) });
    const res = await fetch(`${this.url}/api/v1/query_range`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: params.toString() });
    const json = (await res.json()) as { status: string; error?: string; warnings?: string[]; data: { resultType: string; result: { metric: Record<string, string>; values: [number, string][] }[] } };
    if (json.status !== 'success') throw new Error(`${query}: ${json.error ?? res.status}`);
    const out: PromPoint[] = [];
    for (const series of json.data.result) {
      const labels = { ...series.metric };
      delete labels['__name__'];
      for (const [t, v] of series.values) out.push({ labels, tMs: Math.round(t * 1000), value: parseValue(v) });
    }
    return out;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}
