/**
 * Sink stage: consumes logs in batches and writes them to ClickHouse exactly once (offset ranges claimed in a
 * state table before each insert, replayed with the same deduplication token after a crash); offsets commit
 * only after ClickHouse acknowledged. It reaches ClickHouse over its HTTP interface (CLICKHOUSE_URL): a server,
 * or locally the store process. Keeps no state of its own beyond a lease per assigned partition.
 */
import { runStage } from '@sextant/stage-runtime';
import { LogPartitionWriter } from './log-partition-writer';
import { closeSink, prepareSink, type SinkResources } from './sink-resources';
import { loadSinkSettings, sinkConsumerConfig, type SinkStageSettings } from './sink.config';
import { SinkModule } from './sink.module';

void runStage<SinkStageSettings, SinkResources>({
  stage: 'sink',
  loadSettings: () => loadSinkSettings(),
  prepare: (runtime, settings) => prepareSink(runtime, settings),
  module: (runtime, _settings, resources) => SinkModule.forRoot(runtime, resources),
  transport: (runtime, settings, app) =>
    runtime.createTransport(
      sinkConsumerConfig(settings),
      'avro',
      // Leases are dropped when partitions are revoked; the next owner reads the state fresh.
      app.get(LogPartitionWriter),
    ),
  onClosed: (resources) => closeSink(resources),
});
