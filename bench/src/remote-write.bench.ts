/**
 * Side-by-side remote-write benchmark: Prometheus 2.42's own receiver (Debian's `prometheus`, started with
 * `--web.enable-remote-write-receiver`, appending to its TSDB) and Sextant's ingest (`/api/v1/write`, answering
 * once Kafka has acknowledged) each take the same closed-loop load from one generator, in turn, in one run:
 * C workers POSTing remote write 1.0 requests of 2,000 samples over S node_exporter-like series, each worker its
 * own shard of the series as Prometheus's queue manager does, with fresh timestamps on every request
 * (remote-write-load.ts). Prints per target requests/s, samples/s, failures, p50/p99
 * latency, and CPU per sample of the server, the generator and (for Sextant) the broker, then Sextant's samples
 * per CPU-second ÷ Prometheus's (goal ≥ 1.0×), for ingest alone and for ingest plus the broker. Needs Kafka and
 * the registry (bash infra/start.sh) and a build.
 *
 *   node bench/dist/remote-write.bench.js [--seconds 20] [--warmup 5] [--concurrency 8] [--series 32000] [--rounds 1]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { KafkaConnection } from '@sextant/kafka';
import { KAFKA_BROKERS, Pipeline, freePort } from '@sextant/testing';
import pino from 'pino';
import { Registry } from 'prom-client';
import { numberArg, stringArg } from './bench-args';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop';
import { ProcessSampler, infraPids, pidListeningOn, type ProcessUsage } from './process-sampler';
import { RemoteWriteLoad, SAMPLES_PER_REQUEST } from './remote-write-load';

const SECONDS = numberArg('seconds', 20);
const WARMUP = numberArg('warmup', 5);
const CONCURRENCY = numberArg('concurrency', 8);
const SERIES = numberArg('series', 32_000);
const ROUNDS = numberArg('rounds', 1);
const PROMETHEUS = stringArg('prometheus', '/usr/bin/prometheus');

interface Target {
  readonly name: 'sextant' | 'prometheus';
  readonly url: string;
  readonly pid: number;
  /** The target's own generator: its series' timestamps move on independently of the other target's. */
  readonly load: RemoteWriteLoad;
}

interface Totals {
  seconds: number;
  ok: number;
  failed: number;
  cpu: Map<string, number>;
  p50: number[];
  p99: number[];
  firstFailure: string | undefined;
}

/** Prometheus 2.42 as a remote-write receiver only: nothing to scrape, TSDB in a scratch folder. */
class PrometheusReceiver {
  private child: ChildProcess | undefined;
  constructor(private readonly dir: string, readonly port: number) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async start(): Promise<void> {
    const config = join(this.dir, 'prometheus.yml');
    writeFileSync(config, 'global:\n  scrape_interval: 15s\nscrape_configs: []\n');
    this.child = spawn(PROMETHEUS, [`--config.file=${config}`, `--storage.tsdb.path=${join(this.dir, 'tsdb')}`, `--web.listen-address=127.0.0.1:${this.port}`, '--web.enable-remote-write-receiver', '--log.level=warn'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`http://127.0.0.1:${this.port}/-/ready`)).status === 200) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error('Prometheus did not become ready in 60 s');
  }

  async stop(): Promise<void> {
    if (!this.child || this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child?.once('exit', resolve));
    this.child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

async function measure(target: Target): Promise<{ run: ClosedLoopResult; usage: ProcessUsage[] }> {
  const next = (worker: number): ReturnType<RemoteWriteLoad['request']> => target.load.request(worker);
  await runClosedLoop({ url: target.url, requests: next, concurrency: CONCURRENCY, seconds: WARMUP });
  const pids = new Map<string, number>([['server', target.pid], ['loadgen', process.pid]]);
  if (target.name === 'sextant') {
    const broker = infraPids().get('kafka') ?? pidListeningOn(Number(KAFKA_BROKERS.split(',')[0]?.split(':')[1]));
    if (broker !== undefined) pids.set('kafka', broker);
  }
  const sampler = new ProcessSampler(pids);
  sampler.begin();
  const run = await runClosedLoop({ url: target.url, requests: next, concurrency: CONCURRENCY, seconds: SECONDS });
  return { run, usage: sampler.end() };
}

function report(all: Map<string, Totals>): void {
  const cols = ['target', 'req/s', 'samples/s', 'failed', 'p50 ms', 'p99 ms', 'server cores', 'server µs/sample', 'samples/CPU-s', 'loadgen µs/sample', 'kafka µs/sample'];
  const rows = [cols];
  const perCpuSecond = new Map<string, number>();
  let withBroker = Number.NaN;
  for (const [name, t] of all) {
    const samples = t.ok * SAMPLES_PER_REQUEST;
    const cpu = (proc: string): number => t.cpu.get(proc) ?? Number.NaN;
    const us = (proc: string): number => (cpu(proc) * 1e6) / samples;
    perCpuSecond.set(name, samples / cpu('server'));
    if (name === 'sextant') withBroker = samples / (cpu('server') + cpu('kafka'));
    rows.push([
      name,
      (t.ok / t.seconds).toFixed(0),
      (samples / t.seconds).toFixed(0),
      String(t.failed),
      Math.max(...t.p50).toFixed(1),
      Math.max(...t.p99).toFixed(1),
      (cpu('server') / t.seconds).toFixed(2),
      us('server').toFixed(2),
      (samples / cpu('server')).toFixed(0),
      us('loadgen').toFixed(2),
      name === 'sextant' ? us('kafka').toFixed(2) : '-',
    ]);
  }
  const widths = cols.map((_c, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  '));
  const prometheus = perCpuSecond.get('prometheus') ?? Number.NaN;
  console.log('');
  console.log(`Sextant ingest samples per CPU-second ÷ Prometheus's: ${((perCpuSecond.get('sextant') ?? Number.NaN) / prometheus).toFixed(2)}× (goal ≥ 1.0×)`);
  console.log(`Sextant ingest + Kafka broker samples per CPU-second ÷ Prometheus's: ${(withBroker / prometheus).toFixed(2)}×`);
  for (const [name, t] of all) if (t.firstFailure) console.log(`first failure of ${name}: ${t.firstFailure}`);
}

async function deleteTopicsOf(kafka: KafkaConnection, prefix: string): Promise<void> {
  const admin = kafka.client.admin();
  try {
    await admin.connect();
    const mine = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
    if (mine.length > 0) await admin.deleteTopics({ topics: mine });
  } catch (e) {
    console.error(`could not delete the topics under ${prefix}: ${String(e)}`);
  } finally {
    await admin.disconnect();
  }
}

async function main(): Promise<void> {
  const pipeline = new Pipeline({ SEXTANT_LOG_LEVEL: 'warn' });
  const dir = mkdtempSync(join(tmpdir(), 'sextant-rw-bench-'));
  const prometheus = new PrometheusReceiver(dir, await freePort());
  const kafka = new KafkaConnection(
    { brokers: KAFKA_BROKERS.split(','), clientId: 'sextant-bench-rw', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000 },
    { logger: pino({ level: 'error' }), metrics: new Registry() },
  );
  const budgetMs = (180 + ROUNDS * 2 * (WARMUP + SECONDS + 40)) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`benchmark still running after ${budgetMs / 1000} s: killing its processes`);
    for (const s of pipeline.stages.values()) if (s.pid && s.running) process.kill(s.pid, 'SIGKILL');
    if (prometheus.pid) process.kill(prometheus.pid, 'SIGKILL');
    process.exit(3);
  }, budgetMs);
  watchdog.unref();

  try {
    const [ingest] = await pipeline.start('ingest');
    await prometheus.start();
    if (!ingest?.pid || !prometheus.pid) throw new Error('a server has no pid');
    const targets: Target[] = [
      { name: 'sextant', url: `http://127.0.0.1:${ingest.httpPort}/api/v1/write`, pid: ingest.pid, load: new RemoteWriteLoad(SERIES, CONCURRENCY) },
      { name: 'prometheus', url: `http://127.0.0.1:${prometheus.port}/api/v1/write`, pid: prometheus.pid, load: new RemoteWriteLoad(SERIES, CONCURRENCY) },
    ];
    console.log(`closed loop: ${CONCURRENCY} workers × remote write 1.0 requests of ${SAMPLES_PER_REQUEST} samples over ${SERIES} series, ${WARMUP} s warm-up + ${SECONDS} s per target, ${ROUNDS} round(s)`);
    const all = new Map<string, Totals>(targets.map((t) => [t.name, { seconds: 0, ok: 0, failed: 0, cpu: new Map(), p50: [], p99: [], firstFailure: undefined }]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        const m = await measure(target);
        const totals = all.get(target.name) as Totals;
        totals.seconds += m.run.seconds;
        totals.ok += m.run.ok;
        totals.failed += m.run.failed;
        totals.p50.push(m.run.p50Ms);
        totals.p99.push(m.run.p99Ms);
        totals.firstFailure ??= m.run.firstFailure;
        for (const u of m.usage) totals.cpu.set(u.name, (totals.cpu.get(u.name) ?? 0) + u.cpuSeconds);
        const serverCpu = m.usage.find((u) => u.name === 'server')?.cpuSeconds ?? Number.NaN;
        console.log(`round ${round} ${target.name}: ${m.run.ok} requests answered, ${m.run.failed} failed in ${m.run.seconds.toFixed(1)} s; server ${((serverCpu * 1e6) / (m.run.ok * SAMPLES_PER_REQUEST)).toFixed(2)} µs/sample`);
      }
    }
    report(all);
  } finally {
    await prometheus.stop();
    await pipeline.stopAll();
    await deleteTopicsOf(kafka, pipeline.prefix);
    await kafka.close();
    pipeline.cleanup();
    rmSync(dir, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
