/**
 * Logs-path benchmark: offers a fixed load of OTLP/HTTP JSON log records to ingest (through parser and sink
 * into embedded ClickHouse) and prints the sustained throughput, the end-to-end latency (request sent → rows
 * visible in ClickHouse; p50/p99 over request batches, resolution = poll interval), and the CPU and peak memory
 * of every process. Needs the infrastructure running (bash infra/start.sh) and a build.
 *
 *   node bench/dist/logs-path.bench.js [--rate 20000] [--seconds 30] [--batch 500] [--partitions 6]
 */
import { Agent, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { Pipeline, type StageProcess } from '@sextant/testing';
import { numberArg } from './bench-args';
import { encodeLogsRequest } from './otlp-logs-request';
import { percentile } from './percentile';
import { ProcessSampler, infraPids } from './process-sampler';

const RATE = numberArg('rate', 20000);
const SECONDS = numberArg('seconds', 30);
const BATCH = numberArg('batch', 500);
const PARTITIONS = numberArg('partitions', 6);
const POLL_MS = 250;

/**
 * POSTs `body` and resolves with the status once the answer is read. Node's own HTTP client on a keep-alive
 * agent: it costs the load generator a fraction of what `fetch` does per request, and the load generator
 * shares the machine with the pipeline it measures.
 */
function post(agent: Agent, port: number, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: '127.0.0.1', port, path: '/v1/logs', method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': body.length } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  // SEXTANT_BENCH_CPU_PROFILE=<dir> writes a V8 CPU profile of every stage there (open in Chrome DevTools).
  const profileDir = process.env['SEXTANT_BENCH_CPU_PROFILE'];
  const pipeline = new Pipeline({
    SEXTANT_LOG_LEVEL: 'warn',
    SEXTANT_TOPIC_PARTITIONS: String(PARTITIONS),
    // SEXTANT_BENCH_NODE_ARGS: extra Node flags for every stage (e.g. --max-semi-space-size=32).
    SEXTANT_NODE_ARGS: [process.env['SEXTANT_BENCH_NODE_ARGS'] ?? '', profileDir ? `--cpu-prof --cpu-prof-dir=${profileDir}` : ''].join(' ').trim(),
  });
  try {
    const [sink, parser, ingest] = (await pipeline.start('sink', 'parser', 'ingest')) as [StageProcess, StageProcess, StageProcess];
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });

    const pids = infraPids();
    for (const s of [ingest, parser, sink, pipeline.stage('store')]) if (s.pid) pids.set(s.stage, s.pid);
    pids.set('loadgen', process.pid);
    const sampler = new ProcessSampler(pids);

    const totalBatches = Math.round((RATE * SECONDS) / BATCH);
    const intervalMs = (1000 * BATCH) / RATE;
    // Every request body is encoded before the measured run, so the load generator's CPU during it is
    // sending and polling, not building JSON (its share of the machine is the pipeline's loss).
    const bodies: Buffer[] = [];
    for (let b = 0; b < totalBatches; b++) bodies.push(Buffer.from(encodeLogsRequest(b, BATCH, 'json').body));
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
        // Only the requests still pending, by the primary key's ServiceName (one per request): the poll's
        // cost in the store stays flat instead of growing with the table.
        const pending = [...sentAt.keys()].filter((b) => !done.has(b));
        const rows = pending.length === 0 ? [] : await pipeline
          .query<{ b: string; c: string }>(
            `SELECT substring(ServiceName, 7) AS b, count() AS c FROM sextant.otel_logs WHERE ServiceName IN (${pending.map((b) => `'bench-${b}'`).join(',')}) GROUP BY ServiceName`,
          )
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
      sentAt.set(b, Date.now());
      const p = post(agent, ingest.httpPort, bodies[b] as Buffer)
        .then((status) => {
          if (status !== 200) failures++;
        })
        .catch(() => {
          failures++;
        })
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }
    await Promise.all(inflight);
    agent.destroy();
    const sendSeconds = (Date.now() - t0) / 1000;
    polling = false;
    await poller;
    const totalSeconds = (Date.now() - t0) / 1000;
    const usage = sampler.end();
    const stored = await pipeline.query<{ c: string }>('SELECT count() AS c FROM sextant.otel_logs');
    latencies.sort((a, b) => a - b);

    const storedCount = Number(stored[0]?.c ?? 0);
    console.log('');
    console.log(`offered:    ${RATE} records/s for ${SECONDS} s (${totalBatches * BATCH} records), ${PARTITIONS} partitions per topic`);
    console.log(`sent in:    ${sendSeconds.toFixed(1)} s; failed requests: ${failures}`);
    console.log(`stored:     ${storedCount} records; sustained ${(storedCount / totalSeconds).toFixed(0)} records/s end to end over ${totalSeconds.toFixed(1)} s`);
    console.log(`latency:    p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${latencies[latencies.length - 1] ?? NaN} ms (send → visible in ClickHouse, ${latencies.length} requests, ±${POLL_MS} ms)`);
    console.log('processes (CPU in cores averaged over the run, CPU µs per stored record, peak RSS):');
    let total = 0;
    for (const u of usage) {
      const perRecord = storedCount > 0 ? (u.cpuSeconds * 1e6) / storedCount : NaN;
      if (Number.isFinite(perRecord)) total += perRecord;
      console.log(`  ${u.name.padEnd(9)} cpu ${u.cpuCores.toFixed(2)}  ${perRecord.toFixed(1).padStart(6)} µs/record  rss ${u.peakRssMiB} MiB`);
    }
    console.log(`  ${'all'.padEnd(9)}           ${total.toFixed(1).padStart(6)} µs/record`);
  } finally {
    await pipeline.stopAll();
    pipeline.cleanup();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
