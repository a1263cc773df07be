/**
 * The aggregator's work on one consumed sub-batch: every metric sample of `ingest.metrics`, and every log
 * record of `logs` (counted per service and severity), goes into its partition's window engine; the windows
 * the watermark closed go to `metrics.rollups` as MetricRollupBatch envelopes (each row in the partition of its
 * series), in the same transaction as the changed state and the input offset (see partition-engines.ts). A crash, a rebalance or a
 * failed transaction therefore neither loses nor doubles a sample in any window.
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { MetricAggregator } from '@sextant/aggregation';
import type { LogRecord, MetricRollup, MetricRollupBatch, MetricSample } from '@sextant/contracts';
import type { ConsumedBatch } from '@sextant/kafka';
import type { StageOutput } from '@sextant/state';
import { PartitionedPacker, RethrowErrorsFilter, StageRuntime } from '@sextant/stage-runtime';
import type { AggregatorMetrics } from './aggregator.metrics';
import { AGGREGATOR_RESOURCES } from './aggregator.tokens';
import type { PartitionEngines } from './partition-engines';

export interface AggregatorResources {
  metrics: AggregatorMetrics;
  samples: PartitionEngines;
  logs: PartitionEngines;
}

// The transport acts on the class of a thrown error (re-read on RefetchRequiredError): it must arrive intact.
@Controller()
@UseFilters(new RethrowErrorsFilter())
export class AggregateHandler {
  private readonly packer: PartitionedPacker<MetricRollup>;

  constructor(
    @Inject(StageRuntime) runtime: StageRuntime,
    @Inject(AGGREGATOR_RESOURCES) private readonly resources: AggregatorResources,
  ) {
    this.packer = new PartitionedPacker<MetricRollup>(runtime, 'metrics.rollups', (records): MetricRollupBatch => ({ records }), (r) => r.seriesKey);
  }

  @EventPattern('ingest.metrics')
  async samples(@Payload() batch: ConsumedBatch<MetricSample>): Promise<void> {
    await this.resources.samples.process(batch, (engine, r) => engine.add(r.value, 'ingest.metrics'), (rollups) => this.outputs(rollups));
  }

  @EventPattern('logs')
  async logs(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    await this.resources.logs.process(batch, (engine: MetricAggregator, r) => engine.addLogRecord(r.value), (rollups) => this.outputs(rollups));
  }

  private async outputs(rollups: MetricRollup[]): Promise<StageOutput[]> {
    if (rollups.length === 0) return [];
    const packed = await this.packer.pack(rollups);
    // A row no envelope can hold (a histogram of absurd size): counted and logged, never silently dropped.
    const tooLarge = new Set(packed.tooLarge.map((t) => t.record));
    if (tooLarge.size > 0) this.resources.metrics.tooLarge(packed.tooLarge.map((t) => t.record));
    for (const r of rollups) if (!tooLarge.has(r)) this.resources.metrics.rollups.inc({ resolution: `${Number((r.windowEndUnixNano - r.windowStartUnixNano) / 1_000_000_000n)}s` });
    return [{ topic: packed.topic, messages: packed.messages }];
  }
}
