/**
 * Aggregator stage: consumes metric samples (ingest.metrics) and log records (logs) and emits per-series
 * rollups of event-time windows (10 s and 1 m by default) to metrics.rollups. Stateful per input partition:
 * its windows are checkpointed to changelog topics in the same Kafka transaction as its rollups and input
 * offsets, so a restart or a rebalance resumes exactly where the committed offset is. Scale by partitions.
 */
import type { TransactionalOutput } from '@sextant/kafka';
import { runStage } from '@sextant/stage-runtime';
import type { AggregatorResources } from './aggregate.handler';
import { aggregatorConsumerConfig, engineConfigOf, loadAggregatorSettings, type AggregatorStageSettings } from './aggregator.config';
import { AggregatorMetrics } from './aggregator.metrics';
import { AggregatorModule } from './aggregator.module';
import { PartitionEngines } from './partition-engines';

interface Prepared extends AggregatorResources {
  output: TransactionalOutput;
}

void runStage<AggregatorStageSettings, Prepared>({
  stage: 'aggregator',
  loadSettings: () => loadAggregatorSettings(),
  prepare: async (runtime, settings) => {
    const output = await runtime.createTransactionalOutput(settings.aggregator.transactionalId !== '' ? settings.aggregator.transactionalId : settings.consumer.groupId);
    const metrics = new AggregatorMetrics(runtime.metrics, runtime.logger);
    const common = {
      prefix: settings.topics.prefix,
      replicationFactor: settings.topics.replicationFactor,
      stateMaxBytes: settings.aggregator.stateMaxBytes,
      engine: engineConfigOf(settings.aggregator),
      conn: runtime.connection,
      output,
      logger: runtime.logger,
      registry: runtime.metrics,
      metrics,
    };
    const samples = await PartitionEngines.create({ ...common, logicalTopic: 'ingest.metrics', inputTopic: runtime.topic('ingest.metrics'), store: 'metric-windows' });
    const logs = await PartitionEngines.create({ ...common, logicalTopic: 'logs', inputTopic: runtime.topic('logs'), store: 'log-windows' });
    return { output, metrics, samples, logs };
  },
  module: (runtime, _settings, prepared) => AggregatorModule.forRoot(runtime, prepared),
  transport: (runtime, settings, _app, prepared) =>
    runtime.createTransport(aggregatorConsumerConfig(settings), 'avro', {
      onPartitionsRevoked: (partitions) => {
        const samplesTopic = runtime.topic('ingest.metrics');
        prepared.samples.revoked(partitions.filter((p) => p.topic === samplesTopic).map((p) => p.partition));
        prepared.logs.revoked(partitions.filter((p) => p.topic !== samplesTopic).map((p) => p.partition));
      },
    }),
  onClosed: (prepared) => prepared.output.disconnect(),
});
