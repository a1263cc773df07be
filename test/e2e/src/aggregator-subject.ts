/**
 * The aggregator's compliance subject. Its input is `ingest.metrics` (MetricBatch envelopes); a record id is a
 * gauge series of its own (`compliance_samples{compliance.id="<id>"}`), and its effect is that series' 10 s
 * rollup row on `metrics.rollups` in a committed transaction. Windows close on event time only, so each
 * envelope also carries one sample of its partition's closer series 15 s later: the ids' window closes within
 * the envelope that opened it, and an id's effect becomes durable with the offset of its own message, in one
 * transaction. Every envelope is 20 s of event time after the one before it (on any partition), so nothing is
 * ever late and an uninterrupted run is fully determined by the messages sent.
 *
 * The aggregator is stateful: its restored state is read as a new owner reads it (the changelog, restored
 * through @sextant/state into @sextant/aggregation's engine) and compared with an engine fed, in this
 * process, every message the rig sent in partition order. Both are then told that event time has moved a day
 * on, and the rows that closes (every window still open) must be equal, as must their series counts.
 */
import { defaultAggregatorConfig, MemoryAggregatorState, MetricAggregator, resolveAggregatorConfig, type AggregatorConfig, type AggregatorStateStore } from '@sextant/aggregation';
import { METRIC_BATCH_SCHEMA, topicName, type MetricRollup, type MetricSample } from '@sextant/contracts';
import { PartitionStateStore, changelogTopic, defaultStateStoreConfig, jsonStateCodec } from '@sextant/state';
import { rollupsOf } from './rollups-of';
import { COMPLIANCE_ID_ATTRIBUTE, OutputTally, RIG_PARTITIONS, SMALL_UNITS_ENV, StageRig, type ComplianceRig, type ComplianceSubject, type StatefulBehaviour } from '@sextant/testing';

const RESOLUTION_MS = 10_000;
/** Event time of the first envelope, on a window boundary. */
const BASE_MS = 1_700_000_000_000;
const STEP_MS = 20_000;
const CLOSER_AFTER_MS = 15_000;
const SAMPLES = 'compliance_samples';
const CLOSER = 'compliance_closer';
/** The changelog store the aggregator keeps its metric windows in (apps/aggregator). */
const METRIC_STORE = 'metric-windows';

/** The engine configuration the rig runs the aggregator with, as variables and as the engine sees them. */
const ENGINE_ENV: Readonly<Record<string, string>> = {
  SEXTANT_AGGREGATOR_RESOLUTIONS: '10s',
  SEXTANT_AGGREGATOR_ALLOWED_LATENESS_MS: '0',
  SEXTANT_AGGREGATOR_MAX_OUT_OF_ORDER_MS: '0',
  SEXTANT_AGGREGATOR_EMIT_CORRECTIONS: 'false',
  SEXTANT_AGGREGATOR_CORRECTION_HORIZON_MS: '0',
};

function engineConfig(): AggregatorConfig {
  return resolveAggregatorConfig({ ...defaultAggregatorConfig(), resolutionsMs: [RESOLUTION_MS], allowedLatenessMs: 0, maxOutOfOrderMs: 0, emitCorrections: false, correctionHorizonMs: 0 });
}

function gauge(name: string, attributes: Record<string, string>, timeMs: number, service: string): MetricSample {
  return {
    tenant: 'default',
    name,
    description: '',
    unit: '',
    type: 'GAUGE',
    temporality: 'UNSPECIFIED',
    isMonotonic: false,
    attributes,
    resource: { 'service.name': service },
    serviceName: service,
    scopeName: '',
    scopeVersion: '',
    startTimeUnixNano: 0n,
    timeUnixNano: BigInt(timeMs) * 1_000_000n,
    value: 1,
    histogram: null,
    exponentialHistogram: null,
    summary: null,
    exemplars: [],
    flags: 0,
    source: 'otlp',
  };
}

/** A rollup as compared: bigints as strings, so deepEqual reports readable differences. */
function comparable(rows: MetricRollup[]): string[] {
  return rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
}

/** A day of event time past everything sent: closes every window still open. */
function endOfTime(service: string, partition: number, lastMs: number): MetricSample {
  return gauge(CLOSER, { partition: `end-${partition}` }, lastMs + 86_400_000, service);
}

class AggregatorRig extends StageRig {
  readonly atomicEffectsAndOffsets = true;
  /** Every envelope's samples, per partition in send order: what an uninterrupted run is fed. */
  readonly sentSamples = new Map<number, MetricSample[]>();
  private nextMs = BASE_MS;
  private readonly output = new OutputTally(this.conn, topicName(this.pipeline.prefix, 'metrics.rollups'), async (m) => {
    return (await rollupsOf(this.serde, m.value)).flatMap((r, i) => {
      const id = r.labels[COMPLIANCE_ID_ATTRIBUTE];
      return r.name === SAMPLES && id !== undefined ? [{ id, at: `${m.partition}:${m.offset}[${i}]` }] : [];
    });
  });

  protected envelopeSchema(): object {
    return METRIC_BATCH_SCHEMA;
  }

  protected envelope(ids: string[], partition: number): unknown {
    const t = this.nextMs;
    this.nextMs += STEP_MS;
    const records = [...ids.map((id) => gauge(SAMPLES, { [COMPLIANCE_ID_ATTRIBUTE]: id }, t, this.service)), gauge(CLOSER, { partition: String(partition) }, t + CLOSER_AFTER_MS, this.service)];
    this.sentSamples.set(partition, [...(this.sentSamples.get(partition) ?? []), ...records]);
    return { records };
  }

  async startOutput(): Promise<void> {
    await this.output.start();
  }

  effects(): Promise<Map<string, number>> {
    return this.output.effects();
  }

  override async whereIs(ids: string[]): Promise<string> {
    return this.output.whereIs(ids);
  }

  /** What closing every open window of each partition emits, from the engine a new owner restores. */
  async restoredFinalRows(): Promise<{ rows: string[]; series: number }> {
    const store = new PartitionStateStore<unknown>(
      { ...defaultStateStoreConfig(METRIC_STORE), maxKeysPerPartition: 1_000_000, maxBytesPerPartition: 1 << 30 },
      changelogTopic(this.pipeline.prefix, 'aggregator', METRIC_STORE),
      jsonStateCodec<unknown>(),
      this.conn,
      this.deps,
    );
    const rows: MetricRollup[] = [];
    let series = 0;
    for (let partition = 0; partition < RIG_PARTITIONS; partition++) {
      await store.restore(partition);
      const view: AggregatorStateStore<unknown> = {
        get: (k) => store.get(partition, k),
        set: (k, v) => store.set(partition, k, v),
        delete: (k) => store.delete(partition, k),
        entries: () => store.entries(partition),
      };
      const engine = new MetricAggregator(engineConfig(), { partition, store: view });
      engine.load();
      series += engine.stats().series;
      rows.push(...this.closeAll(engine, partition));
    }
    return { rows: comparable(rows), series };
  }

  /** The same for an engine fed every sample sent, uninterrupted. */
  uninterruptedFinalRows(): { rows: string[]; series: number } {
    const rows: MetricRollup[] = [];
    let series = 0;
    for (let partition = 0; partition < RIG_PARTITIONS; partition++) {
      const engine = new MetricAggregator(engineConfig(), { partition, store: new MemoryAggregatorState() });
      for (const s of this.sentSamples.get(partition) ?? []) engine.add(s, 'ingest.metrics');
      engine.drain();
      series += engine.stats().series;
      rows.push(...this.closeAll(engine, partition));
    }
    return { rows: comparable(rows), series };
  }

  private closeAll(engine: MetricAggregator, partition: number): MetricRollup[] {
    engine.add(endOfTime(this.service, partition, this.nextMs), 'ingest.metrics');
    return engine.drain();
  }

  protected override async closeReaders(): Promise<void> {
    await this.output.close();
  }
}

const STATE: StatefulBehaviour = {
  expected: (rig: ComplianceRig) => (rig as AggregatorRig).uninterruptedFinalRows(),
  restored: (rig: ComplianceRig) => (rig as AggregatorRig).restoredFinalRows(),
};

export function aggregatorSubject(env: Record<string, string> = {}): ComplianceSubject {
  return {
    stage: 'aggregator',
    state: STATE,
    rig: async () => {
      const rig = new AggregatorRig('aggregator', 'ingest.metrics', { ...SMALL_UNITS_ENV, ...ENGINE_ENV, ...env });
      await rig.open(['metrics.rollups', 'logs']);
      await rig.startOutput();
      return rig;
    },
  };
}
