/**
 * Cardinality budget: one metric with 1,000,000 distinct label values goes through one aggregator whose
 * budget is 10,000 series per metric and partition. The aggregator neither runs out of memory nor grows
 * with the series: its resident memory stays below the bound it is configured with (V8's heap: 256 MiB of
 * old space and the stage's young generation, plus a fixed allowance; 32 MiB of state per partition), it holds at most the budget per partition, the overflow series of each
 * partition exists and carries every excess sample, and the engine's refused-series counter equals the
 * excess exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { METRIC_BATCH_SCHEMA, STAGES, avroTypeOptions, envelopeSubjectName, topicName, type MetricSample } from '@sextant/contracts';
import { AvroSerde, KafkaConnection, RecordProducer, defaultProducerConfig, type OutboundMessage } from '@sextant/kafka';
import { rollupsOf } from './rollups-of';
import { CommittedTopicReader, KAFKA_BROKERS, Pipeline, REGISTRY_URL, RIG_PARTITIONS } from '@sextant/testing';
import { createLogger, createMetricsRegistry } from '@sextant/telemetry';

const SERIES = 1_000_000;
const BUDGET = 10_000;
const PER_MESSAGE = 2_000;
const HEAP_MIB = 256;
const STATE_MAX_BYTES = 32 * 1024 * 1024;
/** V8's heap bound: the old space configured here plus the young generation (three semi-spaces) the stage declares. */
const V8_HEAP_MIB = HEAP_MIB + 3 * STAGES.aggregator.semiSpaceMiB;
/** What the process may hold besides its heap: code, buffers, Kafka fetches in flight. */
const NON_HEAP_ALLOWANCE_MIB = 96;

function gauge(i: number, timeMs: number): MetricSample {
  return {
    tenant: 'default',
    name: 'cardinality_test_value',
    description: '',
    unit: '',
    type: 'GAUGE',
    temporality: 'UNSPECIFIED',
    isMonotonic: false,
    attributes: { user_id: `u${i}` },
    resource: {},
    serviceName: 'cardinality',
    scopeName: '',
    scopeVersion: '',
    startTimeUnixNano: 0n,
    timeUnixNano: BigInt(timeMs) * 1_000_000n,
    value: i,
    histogram: null,
    exponentialHistogram: null,
    summary: null,
    exemplars: [],
    flags: 0,
    source: 'remote-write',
  };
}

async function metricValue(port: number, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => labels === '' || l.includes(labels))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('aggregator cardinality budget: 1M distinct label values of one metric', () => {
  const pipeline = new Pipeline({
    SEXTANT_AGGREGATOR_MAX_SERIES_PER_METRIC: String(BUDGET),
    SEXTANT_AGGREGATOR_STATE_MAX_BYTES: String(STATE_MAX_BYTES),
    SEXTANT_AGGREGATOR_ALLOWED_LATENESS_MS: '0',
    SEXTANT_AGGREGATOR_MAX_OUT_OF_ORDER_MS: '0',
    SEXTANT_NODE_ARGS: `--max-old-space-size=${HEAP_MIB}`,
    SEXTANT_LOG_LEVEL: 'warn',
  });
  const deps = { logger: createLogger({ stage: 'e2e', level: 'warn' }), metrics: createMetricsRegistry('e2e', 'test') };
  const conn = new KafkaConnection({ brokers: KAFKA_BROKERS.split(','), clientId: 'e2e-cardinality', ssl: false, sasl: null, connectionTimeoutMs: 3000, requestTimeoutMs: 30000 }, deps);
  const serde = new AvroSerde({ url: REGISTRY_URL, username: '', password: '', unknownIdGraceMs: 0 }, avroTypeOptions(), deps);
  const producer = new RecordProducer(conn, defaultProducerConfig(), deps);
  const overflow = new Map<number, bigint>();
  const ownRows = { n: 0 };
  let reader: CommittedTopicReader;
  let peakRssMiB = 0;
  let port = 0;
  const perPartition = Array.from({ length: RIG_PARTITIONS }, (_, p) => Math.floor((SERIES - p + RIG_PARTITIONS - 1) / RIG_PARTITIONS));

  before(async () => {
    const input = topicName(pipeline.prefix, 'ingest.metrics');
    await conn.ensureTopics([input, topicName(pipeline.prefix, 'logs'), topicName(pipeline.prefix, 'metrics.rollups')].map((topic) => ({ topic, partitions: RIG_PARTITIONS, replicationFactor: 1, configs: {} })));
    const [aggregator] = await pipeline.start('aggregator');
    port = aggregator?.httpPort ?? 0;
    reader = new CommittedTopicReader(conn, topicName(pipeline.prefix, 'metrics.rollups'), async (m) => {
      if (m.value === null) return;
      for (const r of await rollupsOf(serde, m.value)) {
        if (r.windowEndUnixNano - r.windowStartUnixNano !== 10_000_000_000n || r.name !== 'cardinality_test_value') continue;
        // Each input partition folds into an overflow series of its own, whose rows carry that partition as shard.
        if (r.overflow) overflow.set(r.shard, (overflow.get(r.shard) ?? 0n) + r.count);
        else ownRows.n++;
      }
    });
    await reader.start();
    await producer.connect();
    const schemaId = await serde.register(envelopeSubjectName(input, METRIC_BATCH_SCHEMA), METRIC_BATCH_SCHEMA);
    const sampler = setInterval(() => {
      void metricValue(port, 'sextant_process_resident_memory_bytes').then((b) => (peakRssMiB = Math.max(peakRssMiB, b / 1048576)), () => undefined);
    }, 500);
    try {
      const t = Math.floor(Date.now() / 60_000) * 60_000 - 120_000;
      // Sample i goes to partition i mod 3; all in one 10 s window.
      for (let first = 0; first < SERIES; first += PER_MESSAGE * RIG_PARTITIONS) {
        const messages: OutboundMessage[] = [];
        for (let p = 0; p < RIG_PARTITIONS; p++) {
          const records: MetricSample[] = [];
          for (let i = first + p; i < Math.min(SERIES, first + PER_MESSAGE * RIG_PARTITIONS); i += RIG_PARTITIONS) records.push(gauge(i, t + 1_000));
          if (records.length > 0) messages.push({ key: `p${p}`, value: await serde.encode(schemaId, { records }), partition: p });
        }
        await producer.send(input, messages);
      }
      // A later sample on every partition closes the window.
      await producer.send(input, await Promise.all(Array.from({ length: RIG_PARTITIONS }, async (_, p) => ({ key: `p${p}`, value: await serde.encode(schemaId, { records: [{ ...gauge(-1 - p, t + 60_000), name: 'cardinality_clock' }] }), partition: p }))));
      await pipeline.eventually(async () => [...overflow.values()].length, (n) => n === RIG_PARTITIONS, 300_000, 'the overflow series of every partition on metrics.rollups');
      await reader.caughtUp();
    } finally {
      clearInterval(sampler);
    }
  });

  after(async () => {
    await reader?.close();
    await producer.disconnect().catch(() => undefined);
    await conn.close();
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  it('folds every sample beyond the budget into the overflow series of its partition, and counts each', async () => {
    for (let p = 0; p < RIG_PARTITIONS; p++) assert.equal(overflow.get(p), BigInt(perPartition[p]! - BUDGET), `partition ${p}'s overflow series count`);
    assert.equal(ownRows.n, BUDGET * RIG_PARTITIONS, 'one row for each series within the budget');
    assert.equal(await metricValue(port, 'sextant_aggregator_events_total', 'event="refused_series"'), SERIES - BUDGET * RIG_PARTITIONS, 'refused_series = the excess');
    assert.equal(await metricValue(port, 'sextant_aggregator_events_total', 'event="overflow_samples"'), SERIES - BUDGET * RIG_PARTITIONS, 'overflow_samples = the excess');
  });

  it('holds at most the budget and stays within its memory bound', async () => {
    const series = await metricValue(port, 'sextant_aggregator_series', 'topic="ingest.metrics"');
    // The budget per partition, plus each partition's overflow series and clock series.
    assert.ok(series <= (BUDGET + 2) * RIG_PARTITIONS, `series held: ${series}`);
    console.log(`aggregator peak RSS ${peakRssMiB.toFixed(0)} MiB for ${SERIES} distinct series offered (V8 heap bound ${V8_HEAP_MIB} MiB + ${NON_HEAP_ALLOWANCE_MIB} MiB)`);
    assert.ok(peakRssMiB > 0, 'RSS was sampled');
    assert.ok(peakRssMiB < V8_HEAP_MIB + NON_HEAP_ALLOWANCE_MIB, `peak RSS ${peakRssMiB.toFixed(0)} MiB`);
    assert.ok(pipeline.stage('aggregator').running, 'the aggregator is still running');
  });
});
