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
  transport: (runtime, settings) =>
    runtime.createTransport(
      {
        ...settings.consumer,
        // Inserts of one partition must land in offset order for the watermark rule to hold: one at a time.
        maxInFlightSubBatches: 1,
        // Few large inserts, not many small ones (each insert is a part ClickHouse must later merge): the
        // broker gathers up to the batch byte limit or waits the flush interval before it answers a fetch.
        subBatchSize: settings.clickhouse.maxBatchRows,
        minBytes: Math.min(settings.clickhouse.maxBatchBytes, settings.consumer.maxBytesPerPartition),
        maxWaitTimeMs: settings.clickhouse.flushIntervalMs,
      },
      'avro',
    ),
  onClosed: (resources) => closeSink(resources),
});
