/**
 * Logs-path benchmark: offers a fixed load of OTLP/HTTP JSON log records to ingest (through parser and sink
 * into embedded ClickHouse) and prints the sustained throughput, the end-to-end latency (request sent → rows
 * visible in ClickHouse; p50/p99 over request batches, resolution = poll interval), and the CPU and peak memory
 * of every process. Needs the infrastructure running (bash infra/start.sh) and a build.
 *
 *   node bench/dist/logs-path.bench.js [--rate 20000] [--seconds 30] [--batch 500]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pipeline, REPO_ROOT, type StageProcess } from '@sextant/testing';
import { ProcessSampler } from './process-sampler';

function arg(name: string, def: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

const RATE = arg('rate', 20000);
const SECONDS = arg('seconds', 30);
const BATCH = arg('batch', 500);
const POLL_MS = 250;

function body(batchNo: number): string {
  const now = BigInt(Date.now()) * 1_000_000n;
  const records = [];
  for (let i = 0; i < BATCH; i++) {
    records.push({
      timeUnixNano: String(now + BigInt(i)),
      severityNumber: 9,
      severityText: 'INFO',
      body: { stringValue: `{"msg":"request served","path":"/api/items/${i}","status":200,"duration_ms":${i % 50}}` },
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      attributes: [
        { key: 'bench.batch', value: { intValue: String(batchNo) } },
        { key: 'http.method', value: { stringValue: 'GET' } },
      ],
    });
  }
  return JSON.stringify({
    resourceLogs: [
      {
        // One service name per request: the poller counts rows per request from a cheap LowCardinality column.
        resource: { attributes: [{ key: 'service.name', value: { stringValue: `bench-${batchNo}` } }, { key: 'k8s.pod.name', value: { stringValue: `pod-${batchNo % 16}` } }] },
        scopeLogs: [{ logRecords: records }],
      },
    ],
  });
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function infraPids(): Map<string, number> {
  const pids = new Map<string, number>();
  const run = join(process.env['SEXTANT_HOME'] ?? join(REPO_ROOT, '.sextant'), 'run');
  for (const name of ['kafka', 'registry', 'redis']) {
    try {
      pids.set(name, Number(readFileSync(join(run, `${name}.pid`), 'utf8').trim()));
    } catch {
      // not started by infra/start.sh
    }
  }
  return pids;
}

async function main(): Promise<void> {
  // SEXTANT_BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of every stage there (open in Chrome DevTools).
  const profileDir = process.env['SEXTANT_BENCH_CPU_PROFILE'];
  const pipeline = new Pipeline({
    SEXTANT_LOG_LEVEL: 'warn',
    SEXTANT_TOPIC_PARTITIONS: '6',
    // SEXTANT_BENCH_NODE_ARGS: extra Node flags for every stage (e.g. --max-semi-space-size=32).
    SEXTANT_NODE_ARGS: [process.env['SEXTANT_BENCH_NODE_ARGS'] ?? '', profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ''].join(' ').trim(),
  });
  try {
    const [sink, parser, ingest] = (await pipeline.start('sink', 'parser', 'ingest')) as [StageProcess, StageProcess, StageProcess];
    const url = `http://127.0.0.1:${ingest.httpPort}/v1/logs`;

    const pids = infraPids();
    for (const s of [ingest, parser, sink]) if (s.pid) pids.set(s.stage, s.pid);
    pids.set('loadgen', process.pid);
    const sampler = new ProcessSampler(pids);

    const totalBatches = Math.round((RATE * SECONDS) / BATCH);
    const intervalMs = (1000 * BATCH) / RATE;
    const sentAt = new Map<number, number>();
    const latencies: number[] = [];
    let failures = 0;
    const inflight = new Set<Promise<void>>();

    console.log(`offering ${RATE} records/s for ${SECONDS} s in requests of ${BATCH} (${totalBatches} requests)`);
    sampler.begin();
    const t0 = Date.now();
    let polling = true;
    const poller = (async () => {
      const done = new Set<number>();
      while (polling || done.size < sentAt.size) {
        const rows = await pipeline
          .query<{ b: string; c: string }>(`SELECT substring(ServiceName, 7) AS b, count() AS c FROM sextant.otel_logs GROUP BY ServiceName`)
          .catch(() => []);
        const now = Date.now();
        for (const r of rows) {
          const b = Number(r.b);
          if (!done.has(b) && Number(r.c) >= BATCH && sentAt.has(b)) {
            done.add(b);
            latencies.push(now - (sentAt.get(b) as number));
          }
        }
        if (!polling && now - t0 > (SECONDS + 60) * 1000) break;
        await sleep(POLL_MS);
      }
    })();

    for (let b = 0; b < totalBatches; b++) {
      const due = t0 + b * intervalMs;
      const wait = due - Date.now();
      if (wait > 0) await sleep(wait);
      const payload = body(b);
      sentAt.set(b, Date.now());
      const p = fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: payload })
        .then(async (res) => {
          await res.arrayBuffer();
          if (res.status !== 200) failures++;
        })
        .catch(() => {
          failures++;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
    const sendSeconds = (Date.now() - t0) / 1000;
    polling = false;
    await poller;
    const totalSeconds = (Date.now() - t0) / 1000;
    const usage = sampler.end();
    const stored = await pipeline.query<{ c: string }>('SELECT count() AS c FROM sextant.otel_logs');
    latencies.sort((a, b) => a - b);

    const storedCount = Number(stored[0]?.c ?? 0);
    console.log('');
    console.log(`offered:    ${RATE} records/s for ${SECONDS} s (${totalBatches * BATCH} records)`);
    console.log(`sent in:    ${sendSeconds.toFixed(1)} s; failed requests: ${failures}`);
    console.log(`stored:     ${storedCount} records; sustained ${(storedCount / totalSeconds).toFixed(0)} records/s end to end over ${totalSeconds.toFixed(1)} s`);
    console.log(`latency:    p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms, max ${latencies[latencies.length - 1] ?? NaN} ms (send → visible in ClickHouse, ${latencies.length} requests, ±${POLL_MS} ms)`);
    console.log('processes (CPU in cores averaged over the run, peak RSS):');
    for (const u of usage) console.log(`  ${u.name.padEnd(9)} cpu ${u.cpuCores.toFixed(2)}  rss ${u.peakRssMiB} MiB`);
  } finally {
    await pipeline.stopAll();
    pipeline.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
