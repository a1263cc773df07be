/**
 * Sink stage: consumes logs in batches and writes them to ClickHouse effectively once (offset watermarks and
 * insert deduplication tokens); offsets commit only after ClickHouse acknowledged. With no CLICKHOUSE_URL it
 * embeds ClickHouse (chDB) and serves read-only queries on SEXTANT_QUERY_PORT. Stateless otherwise.
 */
import { runStage } from '@sextant/stage-runtime';
import { closeSink, prepareSink, type SinkResources } from './sink-resources';
import { loadSinkSettings, type SinkStageSettings } from './sink.config';
import { SinkModule } from './sink.module';

void runStage<SinkStageSettings, SinkResources>({
  declaration: { stage: 'sink', produces: [], consumes: ['logs'] },
  loadSettings: () => loadSinkSettings(),
  prepare: (runtime, settings) => prepareSink(runtime, settings),
  module: (runtime, _settings, resources) => SinkModule.forRoot(runtime, resources),
  // Inserts of one partition must land in offset order for the watermark rule to hold: one sub-batch at a time.
  transport: (runtime, settings) => runtime.createTransport({ ...settings.consumer, maxInFlightSubBatches: 1 }, 'avro'),
  onClosed: (resources) => closeSink(resources),
});
