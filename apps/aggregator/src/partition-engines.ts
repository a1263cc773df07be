/**
 * The aggregator's state for one input topic: a window engine (@sextant/aggregation's MetricAggregator) per
 * assigned partition, whose durable copy is a PartitionStateStore checkpointed through its changelog in the
 * same transaction as the rollups and the input offsets (libs/state's StatefulOutput). The engine keeps hot
 * objects of its own and writes what changed to the store once per sub-batch (flush). Whenever the store's
 * copy of a partition is replaced (restored on assignment, or dropped after a failed transaction) the engine
 * is rebuilt from it, so it always holds exactly the state the committed offset covers.
 */
import { MetricAggregator, resolveAggregatorConfig, type AggregatorConfig, type AggregatorStateStore } from '@sextant/aggregation';
import type { ConsumedBatch, ConsumedRecord, KafkaConnection, TransactionalOutput } from '@sextant/kafka';
import { PartitionStateStore, StatefulOutput, changelogProvision, changelogTopic, defaultStateStoreConfig, jsonStateCodec, type StageOutput } from '@sextant/state';
import type { Logger, Registry } from '@sextant/telemetry';
import type { AggregatorMetrics } from './aggregator.metrics';

/** State entries per partition at most: each series may hold two keys (hot state, windows kept for corrections), plus the partition's own. */
function maxKeysFor(config: AggregatorConfig): number {
  return 2 * (config.maxSeries + config.maxOverflowSeries) + 16;
}

export interface PartitionEnginesOptions {
  /** Logical input topic (labels, the store's name). */
  logicalTopic: string;
  /** Physical input topic, whose partition count the changelog takes. */
  inputTopic: string;
  /** Store name, [a-z0-9-]+: names the changelog `<prefix>aggregator.<store>.changelog`. */
  store: string;
  prefix: string;
  replicationFactor: number;
  stateMaxBytes: number;
  engine: AggregatorConfig;
  conn: KafkaConnection;
  output: TransactionalOutput;
  logger: Logger;
  registry: Registry;
  metrics: AggregatorMetrics;
}

export class PartitionEngines {
  private readonly store: PartitionStateStore<unknown>;
  private readonly stateful: StatefulOutput;
  private readonly engines = new Map<number, MetricAggregator>();
  private readonly config: AggregatorConfig;

  private constructor(private readonly o: PartitionEnginesOptions) {
    this.config = resolveAggregatorConfig(o.engine);
    const storeConfig = { ...defaultStateStoreConfig(o.store), maxKeysPerPartition: maxKeysFor(this.config), maxBytesPerPartition: o.stateMaxBytes };
    this.store = new PartitionStateStore<unknown>(storeConfig, changelogTopic(o.prefix, 'aggregator', o.store), jsonStateCodec<unknown>(), o.conn, { logger: o.logger, metrics: o.registry });
    this.stateful = new StatefulOutput(o.output, [this.store], o.conn, o.logger, {
      // The store's copy was replaced: the engine is rebuilt from it on the partition's next sub-batch.
      restored: (_store, r) => this.engines.delete(r.partition),
    });
  }

  /** Creates the changelog topic (as many partitions as the input) and the engines' store. */
  static async create(o: PartitionEnginesOptions): Promise<PartitionEngines> {
    const partitions = await o.conn.partitionCount(o.inputTopic);
    await o.conn.ensureTopics([changelogProvision(changelogTopic(o.prefix, 'aggregator', o.store), partitions, o.replicationFactor)]);
    return new PartitionEngines(o);
  }

  /**
   * One sub-batch: apply the records the state does not hold yet, then commit the closed windows, the changed
   * state and the offset in one transaction. `outputs` turns the engine's rollups into messages.
   */
  async process<T>(batch: ConsumedBatch<T>, apply: (engine: MetricAggregator, record: ConsumedRecord<T>) => void, outputs: (rollups: ReturnType<MetricAggregator['drain']>) => Promise<StageOutput[]>): Promise<void> {
    const fresh = await this.stateful.prepare(batch);
    const engine = this.engineFor(batch.partition);
    try {
      for (const r of fresh) apply(engine, r);
      const rollups = engine.drain();
      const messages = await outputs(rollups);
      engine.flush();
      await this.stateful.commit(batch, messages);
    } catch (err) {
      // The transaction failed (the stores dropped the partition) or the work was abandoned half-way: the
      // engine may hold what is not durable. The retry restores and rebuilds it.
      this.engines.delete(batch.partition);
      this.stateful.revoked(batch.partition);
      throw err;
    }
    this.o.metrics.records.inc({ topic: this.o.logicalTopic }, fresh.length);
    const stats = engine.stats();
    const labels = { topic: this.o.logicalTopic, partition: String(batch.partition) };
    this.o.metrics.series.set(labels, stats.series);
    this.o.metrics.openWindows.set(labels, stats.openWindows + stats.keptWindows);
  }

  /** Forgets revoked partitions: the next owner restores them from the changelog. */
  revoked(partitions: number[]): void {
    for (const p of partitions) {
      this.engines.delete(p);
      this.stateful.revoked(p);
      this.o.metrics.series.remove({ topic: this.o.logicalTopic, partition: String(p) });
      this.o.metrics.openWindows.remove({ topic: this.o.logicalTopic, partition: String(p) });
    }
  }

  private engineFor(partition: number): MetricAggregator {
    let engine = this.engines.get(partition);
    if (engine === undefined) {
      const store = this.store;
      const view: AggregatorStateStore<unknown> = {
        get: (k) => store.get(partition, k),
        set: (k, v) => store.set(partition, k, v),
        delete: (k) => store.delete(partition, k),
        entries: () => store.entries(partition),
      };
      engine = new MetricAggregator(this.config, { partition, store: view, counters: this.o.metrics.counters() });
      engine.load();
      this.engines.set(partition, engine);
    }
    return engine;
  }
}
