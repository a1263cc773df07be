/**
 * Sink stage: consumes logs, metric samples and metric rollups in batches and writes them to ClickHouse exactly once (offset ranges claimed in a
 * state table before each insert, replayed with the same deduplication token after a crash); offsets commit
 * only after ClickHouse acknowledged. It reaches ClickHouse over its HTTP interface (CLICKHOUSE_URL): a server,
 * or locally the store process. Keeps no state of its own beyond a lease per assigned partition.
 */
import { runStage } from '@sextant/stage-runtime';
import { closeSink, prepareSink, type SinkResources } from './sink-resources';
import { loadSinkSettings, sinkConsumerConfig, type SinkStageSettings } from './sink.config';
import { SinkModule } from './sink.module';

void runStage<SinkStageSettings, SinkResources>({
  stage: 'sink',
  loadSettings: () => loadSinkSettings(),
  prepare: (runtime, settings) => prepareSink(runtime, settings),
  module: (runtime, _settings, resources) => SinkModule.forRoot(runtime, resources),
  // Leases are dropped when partitions are revoked; the next owner reads the state fresh.
  transport: (runtime, settings, _app, resources) => runtime.createTransport(sinkConsumerConfig(settings), 'avro', resources.lifecycle),
  onClosed: (resources) => closeSink(resources),
});
