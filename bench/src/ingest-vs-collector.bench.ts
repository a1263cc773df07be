/**
 * Side-by-side peer benchmark: Sextant's ingest alone and an OpenTelemetry Collector (OTLP/HTTP receiver →
 * Kafka exporter, built by bench/peer/build.sh) each take the same closed-loop load in turn, in one run, on the
 * same Kafka. Both answer a request only after Kafka acknowledged it with acks=all, and both compress with
 * snappy, so what differs is the work per record. Prints, per target, requests/s, records/s, failures, p50/p99
 * request latency, the Kafka messages written, and µs of CPU per record of the server, the load generator and
 * the broker (shared with anything else on the machine); then ingest's µs/record ÷ the Collector's. Needs
 * Kafka and the registry running (bash infra/start.sh), a build, and Go for the first Collector build.
 *
 *   node bench/dist/ingest-vs-collector.bench.js [--seconds 20] [--warmup 3] [--concurrency 8] [--batch 500]
 *     [--protocol json|protobuf] [--rounds 1] [--collector <binary>]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '@sextant/kafka';
import { KAFKA_BROKERS, Pipeline, freePort } from '@sextant/testing';
import pino from 'pino';
import { Registry } from 'prom-client';
import { numberArg, stringArg } from './bench-args';
import { runClosedLoop, type ClosedLoopResult } from './closed-loop';
import { encodeLogsRequest, type EncodedRequest, type OtlpProtocol } from './otlp-logs-request';
import { PeerCollector, buildPeerCollector } from './peer-collector';
import { ProcessSampler, infraPids, pidListeningOn, type ProcessUsage } from './process-sampler';

const SECONDS = numberArg('seconds', 20);
const WARMUP = numberArg('warmup', 3);
const CONCURRENCY = numberArg('concurrency', 8);
const BATCH = numberArg('batch', 500);
const ROUNDS = numberArg('rounds', 1);
const PROTOCOL = stringArg<OtlpProtocol>('protocol', 'json', ['json', 'protobuf']);
const COLLECTOR = stringArg('collector', '');
/** Distinct prebuilt requests cycled by the workers. */
const REQUEST_POOL = 16;
const TOPIC_PARTITIONS = 3;

interface Target {
  readonly name: 'ingest' | 'collector';
  readonly url: string;
  readonly pid: number;
  readonly topic: string;
}

interface Totals {
  seconds: number;
  ok: number;
  failed: number;
  messages: number;
  cpu: Map<string, number>;
  p50: number[];
  p99: number[];
  firstFailure: string | undefined;
}

/** Messages written to a topic so far: the sum of its partitions' high watermarks. */
async function topicEnd(kafka: KafkaConnection, topic: string): Promise<number> {
  const offsets = await kafka.topicOffsets(topic);
  return offsets.reduce((sum, p) => sum + Number(p.high), 0);
}

async function measure(target: Target, kafka: KafkaConnection, requests: readonly EncodedRequest[]): Promise<{ run: ClosedLoopResult; messages: number; usage: ProcessUsage[] }> {
  await runClosedLoop({ url: target.url, requests, concurrency: CONCURRENCY, seconds: WARMUP });
  const before = await topicEnd(kafka, target.topic);
  const pids = new Map<string, number>([['server', target.pid], ['loadgen', process.pid]]);
  // The broker may have been started from another clone: then its pid file is elsewhere, but its port is known.
  const broker = infraPids().get('kafka') ?? pidListeningOn(Number(KAFKA_BROKERS.split(',')[0]?.split(':')[1]));
  if (broker !== undefined) pids.set('kafka', broker);
  const sampler = new ProcessSampler(pids);
  sampler.begin();
  const run = await runClosedLoop({ url: target.url, requests, concurrency: CONCURRENCY, seconds: SECONDS });
  const usage = sampler.end();
  return { run, messages: (await topicEnd(kafka, target.topic)) - before, usage };
}

function add(totals: Totals, m: Awaited<ReturnType<typeof measure>>): void {
  totals.seconds += m.run.seconds;
  totals.ok += m.run.ok;
  totals.failed += m.run.failed;
  totals.messages += m.messages;
  totals.p50.push(m.run.p50Ms);
  totals.p99.push(m.run.p99Ms);
  totals.firstFailure ??= m.run.firstFailure;
  for (const u of m.usage) totals.cpu.set(u.name, (totals.cpu.get(u.name) ?? 0) + u.cpuSeconds);
}

function report(all: Map<string, Totals>): void {
  const cols = ['target', 'req/s', 'rec/s', 'failed', 'p50 ms', 'p99 ms', 'Kafka msgs', 'server cores', 'server µs/rec', 'loadgen µs/rec', 'kafka µs/rec'];
  const rows = [cols];
  const usPerRecord = new Map<string, number>();
  for (const [name, t] of all) {
    const records = t.ok * BATCH;
    const us = (proc: string): number => ((t.cpu.get(proc) ?? Number.NaN) * 1e6) / records;
    usPerRecord.set(name, us('server'));
    rows.push([
      name,
      (t.ok / t.seconds).toFixed(0),
      (records / t.seconds).toFixed(0),
      String(t.failed),
      Math.max(...t.p50).toFixed(1),
      Math.max(...t.p99).toFixed(1),
      String(t.messages),
      ((t.cpu.get('server') ?? Number.NaN) / t.seconds).toFixed(2),
      us('server').toFixed(2),
      us('loadgen').toFixed(2),
      us('kafka').toFixed(2),
    ]);
  }
  const widths = cols.map((_c, i) => Math.max(...rows.map((r) => (r[i] as string).length)));
  console.log('');
  for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  '));
  const ratio = (usPerRecord.get('ingest') ?? Number.NaN) / (usPerRecord.get('collector') ?? Number.NaN);
  console.log('');
  console.log(`ingest µs/record ÷ collector µs/record: ${ratio.toFixed(2)}× (target ≤ 2×)`);
  for (const [name, t] of all) if (t.firstFailure) console.log(`first failure of ${name}: ${t.firstFailure}`);
}

/** The run writes hundreds of MB to a broker others share: its topics go when it ends. */
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
  const binary = COLLECTOR || buildPeerCollector();
  // SEXTANT_BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of ingest there; SEXTANT_BENCH_NODE_ARGS adds Node flags.
  const profileDir = process.env['SEXTANT_BENCH_CPU_PROFILE'];
  const pipeline = new Pipeline({
    SEXTANT_LOG_LEVEL: 'warn',
    SEXTANT_TOPIC_PARTITIONS: String(TOPIC_PARTITIONS),
    SEXTANT_NODE_ARGS: [process.env['SEXTANT_BENCH_NODE_ARGS'] ?? '', profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ''].join(' ').trim(),
  });
  const dir = mkdtempSync(join(tmpdir(), 'sextant-peer-'));
  const collectorTopic = `${pipeline.prefix}peer.otlp_logs`;
  const collector = new PeerCollector({ binary, dir, httpPort: await freePort(), brokers: KAFKA_BROKERS, topic: collectorTopic });
  const kafka = new KafkaConnection(
    { brokers: KAFKA_BROKERS.split(','), clientId: 'sextant-bench-peer', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 10000 },
    { logger: pino({ level: 'error' }), metrics: new Registry() },
  );

  // Bounded in time whatever happens: start-up, every warm-up and run, and the shutdown, with slack.
  const budgetMs = (180 + ROUNDS * 2 * (WARMUP + SECONDS + 40)) * 1000;
  const watchdog = setTimeout(() => {
    console.error(`benchmark still running after ${budgetMs / 1000} s: killing its processes`);
    collector.kill();
    for (const s of pipeline.stages.values()) if (s.pid && s.running) process.kill(s.pid, 'SIGKILL');
    process.exit(3);
  }, budgetMs);
  watchdog.unref();

  try {
    await kafka.ensureTopics([{ topic: collectorTopic, partitions: TOPIC_PARTITIONS, replicationFactor: 1, configs: {} }]);
    const [ingest] = await pipeline.start('ingest');
    collector.start();
    await collector.waitReady();
    if (!ingest?.pid || !collector.pid) throw new Error('a server has no pid');

    const targets: Target[] = [
      { name: 'ingest', url: `http://127.0.0.1:${ingest.httpPort}/v1/logs`, pid: ingest.pid, topic: `${pipeline.prefix}ingest.logs` },
      { name: 'collector', url: collector.url, pid: collector.pid, topic: collectorTopic },
    ];
    const requests = Array.from({ length: REQUEST_POOL }, (_v, i) => encodeLogsRequest(i, BATCH, PROTOCOL));
    console.log(`closed loop: ${CONCURRENCY} workers × OTLP/HTTP ${PROTOCOL} requests of ${BATCH} records, ${WARMUP} s warm-up + ${SECONDS} s per target, ${ROUNDS} round(s)`);

    const all = new Map<string, Totals>(targets.map((t) => [t.name, { seconds: 0, ok: 0, failed: 0, messages: 0, cpu: new Map(), p50: [], p99: [], firstFailure: undefined }]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const target of targets) {
        const m = await measure(target, kafka, requests);
        const serverCpu = m.usage.find((u) => u.name === 'server')?.cpuSeconds ?? Number.NaN;
        console.log(`round ${round} ${target.name}: ${m.run.ok} requests answered, ${m.run.failed} failed in ${m.run.seconds.toFixed(1)} s; server ${((serverCpu * 1e6) / (m.run.ok * BATCH)).toFixed(2)} µs/record`);
        add(all.get(target.name) as Totals, m);
      }
    }
    report(all);
  } finally {
    await collector.stop();
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
