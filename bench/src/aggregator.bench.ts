/**
 * The aggregator stage's throughput per core: a backlog of metric samples on ingest.metrics (MetricBatch
 * envelopes of 2,000 samples, as ingest writes them), realistic series (counters, gauges and a 12-bucket
 * classic histogram per service and route, one point every 10 s of event time per series), is consumed by one
 * aggregator process with its real Kafka transactions and changelog state; the benchmark measures the
 * process's CPU seconds from its first sample to its last and prints samples per CPU-second. The issue's
 * target is 300,000 samples/s per core.
 *
 * Run (infrastructure up): node bench/dist/aggregator.bench.js [--samples 2000000] [--series 20000]
 */
import { METRIC_BATCH_SCHEMA, avroTypeOptions, envelopeSubjectName, topicName, type MetricSample } from '@sextant/contracts';
import { AvroSerde, KafkaConnection, RecordProducer, defaultProducerConfig, type OutboundMessage } from '@sextant/kafka';
import { KAFKA_BROKERS, Pipeline, REGISTRY_URL } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';
import { numberArg } from './bench-args';
import { ProcessSampler } from './process-sampler';

const SAMPLES = numberArg('samples', 2_000_000);
const SERIES = numberArg('series', 20_000);
const PARTITIONS = 3;
const PER_MESSAGE = 2_000;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

function sampleOf(seriesIndex: number, round: number, t0Ms: number): MetricSample {
  const kind = seriesIndex % 3;
  const base: MetricSample = {
    tenant: 'bench',
    name: kind === 0 ? 'http_requests_total' : kind === 1 ? 'queue_depth' : 'http_request_duration_seconds',
    description: '',
    unit: '',
    type: kind === 0 ? 'SUM' : kind === 1 ? 'GAUGE' : 'HISTOGRAM',
    temporality: kind === 1 ? 'UNSPECIFIED' : 'CUMULATIVE',
    isMonotonic: kind === 0,
    attributes: { job: `svc-${seriesIndex % 50}`, instance: `pod-${seriesIndex % 400}`, route: `/r${Math.floor(seriesIndex / 3)}` },
    resource: {},
    serviceName: `svc-${seriesIndex % 50}`,
    scopeName: '',
    scopeVersion: '',
    startTimeUnixNano: 0n,
    timeUnixNano: BigInt(t0Ms + round * 10_000 + (seriesIndex % 997)) * 1_000_000n,
    value: kind === 1 ? (seriesIndex + round) % 100 : round * 3,
    histogram: null,
    exponentialHistogram: null,
    summary: null,
    exemplars: [],
    flags: 0,
    source: 'remote-write',
  };
  if (kind === 2) {
    const counts = BOUNDS.map(() => BigInt(round)).concat([BigInt(round)]);
    base.histogram = { count: BigInt(round * 12), sum: round * 1.5, bucketCounts: counts, explicitBounds: BOUNDS, min: null, max: null };
  }
  return base;
}

async function main(): Promise<void> {
  const pipeline = new Pipeline({ SEXTANT_LOG_LEVEL: 'warn', SEXTANT_AGGREGATOR_MAX_SERIES_PER_METRIC: String(SERIES), SEXTANT_AGGREGATOR_MAX_SERIES: String(SERIES) });
  const deps = { logger: createLogger({ stage: 'bench', level: 'warn' }), metrics: createMetricsRegistry('bench', 'bench') };
  const conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'bench-aggregator', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '', unknownIdGraceMs: 0 }, avroTypeOptions(), deps);
  const producer = new RecordProducer(conn, defaultProducerConfig(), deps);
  const input = topicName(pipeline.prefix, 'ingest.metrics');
  try {
    await conn.ensureTopics([input, topicName(pipeline.prefix, 'logs'), topicName(pipeline.prefix, 'metrics.rollups')].map((topic) => ({ topic, partitions: PARTITIONS, replicationFactor: 1, configs: {} })));
    await producer.connect();
    const schemaId = await serde.register(envelopeSubjectName(input, METRIC_BATCH_SCHEMA), METRIC_BATCH_SCHEMA);
    const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 24 * 3_600_000;
    const rounds = Math.ceil(SAMPLES / SERIES);
    let produced = 0;
    // Series s lives on partition s mod 3, in event-time order.
    for (let round = 0; round < rounds && produced < SAMPLES; round++) {
      const perPartition: MetricSample[][] = Array.from({ length: PARTITIONS }, () => []);
      for (let s = 0; s < SERIES && produced < SAMPLES; s++, produced++) perPartition[s % PARTITIONS]!.push(sampleOf(s, round, t0));
      const messages: OutboundMessage[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const records = perPartition[p]!;
        for (let i = 0; i < records.length; i += PER_MESSAGE) messages.push({ key: `p${p}`, value: await serde.encode(schemaId, { records: records.slice(i, i + PER_MESSAGE) }), partition: p });
      }
      await producer.send(input, messages);
    }
    console.log(`backlog: ${produced} samples of ${SERIES} series over ${rounds} rounds of 10 s, ${PARTITIONS} partitions`);
    // --cpu-prof: a CPU profile of the aggregator (written on exit into the bench's folder).
    const prof: Record<string, string> = process.argv.includes('--cpu-prof') ? { SEXTANT_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${pipeline.dir}/prof` } : {};
    const aggregator = await pipeline.add('aggregator', prof);
    const pid = aggregator.pid;
    if (pid === undefined) throw new Error('the aggregator did not start');
    const sampler = new ProcessSampler(new Map([['aggregator', pid]]));
    // CPU from the process's start: its boot (a fraction of a second) is counted against it.
    sampler.begin();
    await aggregator.waitReady(120_000);
    const started = Date.now();
    const consumed = async (): Promise<number> => {
      const text = await (await fetch(`http://127.0.0.1:${aggregator.httpPort}/metrics`)).text();
      const line = text.split('\n').find((l) => l.startsWith('sextant_aggregator_records_total{') && l.includes('topic="ingest.metrics"'));
      return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
    };
    await pipeline.eventually(consumed, (n) => n >= produced, 30 * 60_000, 'the backlog aggregated');
    const [usage] = sampler.end();
    if (process.argv.includes('--cpu-prof')) {
      await aggregator.stop('SIGTERM');
      console.log(`profile in ${pipeline.dir}/prof`);
    }
    const seconds = (Date.now() - started) / 1000;
    const cpu = usage?.cpuSeconds ?? Number.NaN;
    console.log(`aggregator: ${produced} samples in ${seconds.toFixed(1)} s wall, ${cpu.toFixed(1)} CPU-s (${usage?.cpuCores} cores), peak RSS ${usage?.peakRssMiB} MiB`);
    console.log(`aggregator: ${Math.round(produced / cpu)} samples per CPU-second (${((cpu / produced) * 1e6).toFixed(2)} µs/sample); target 300000`);
  } finally {
    await producer.disconnect().catch(() => undefined);
    await conn.close();
    await pipeline.stopAll();
    if (!process.argv.includes('--cpu-prof')) pipeline.cleanup();
  }
}

void main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
