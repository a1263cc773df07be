/** Settings of the sink stage: the shared sections, its consumer, and where it stores (ClickHouse). */
import { clickhouseSection, consumerSection, inVariables, variablesOf, type ClickHouseSettings, type ConsumerSettings } from '@sextant/config';
import { clickHouseConfigProblems, defaultClickHouseConfig, validateClickHouseConfig, type ClickHouseConfig } from '@sextant/clickhouse';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface SinkStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  clickhouse: ClickHouseSettings;
}

/** The consumer the sink runs, and the variables its own overrides come from. */
export function sinkConsumerConfig(settings: Pick<SinkStageSettings, 'consumer' | 'clickhouse'>) {
  return {
    ...settings.consumer,
    // A partition's ranges are claimed and inserted in offset order (exactly-once state): one at a time.
    maxInFlightSubBatches: 1,
    // Few large inserts, not many small ones (each insert is a part ClickHouse must later merge): the
    // broker gathers up to the batch byte limit or waits the flush interval before it answers a fetch.
    subBatchSize: settings.clickhouse.maxBatchRows,
    minBytes: Math.min(settings.clickhouse.maxBatchBytes, settings.consumer.maxBytesPerPartition),
    maxWaitTimeMs: settings.clickhouse.flushIntervalMs,
  };
}

const SINK_CONSUMER_VARIABLES = { subBatchSize: 'SEXTANT_SINK_MAX_BATCH_ROWS', maxWaitTimeMs: 'SEXTANT_SINK_FLUSH_INTERVAL_MS', minBytes: 'SEXTANT_SINK_MAX_BATCH_BYTES' };

/** The ClickHouse lib's field names, as the variables of the ClickHouse section. */
const CLICKHOUSE_VARIABLES = {
  ...variablesOf(clickhouseSection),
  'tables.logs': clickhouseSection.vars.logsTable.name,
  'tables.sinkState': clickhouseSection.vars.sinkStateTable.name,
  'metrics.ttlDays': clickhouseSection.vars.metricsTtlDays.name,
  'metrics.rollups': clickhouseSection.vars.rollups.name,
};

export function loadSinkSettings(env: Record<string, string | undefined> = process.env): SinkStageSettings {
  return loadStageSettings(
    'sink',
    { consumer: consumerSection('sink'), clickhouse: clickhouseSection },
    {
      consumer: { of: sinkConsumerConfig, variables: SINK_CONSUMER_VARIABLES },
      checks: [(v) => inVariables(clickHouseConfigProblems(clickHouseConfigFields(v.clickhouse)), CLICKHOUSE_VARIABLES)],
    },
    env,
  );
}

function clickHouseConfigFields(s: ClickHouseSettings): ClickHouseConfig {
  const defaults = defaultClickHouseConfig();
  return {
    ...defaults,
    url: s.url,
    database: s.database,
    username: s.username,
    password: s.password,
    requestTimeoutMs: s.requestTimeoutMs,
    tables: { ...defaults.tables, logs: s.logsTable, sinkState: s.sinkStateTable },
    timestampFutureToleranceSeconds: s.timestampFutureToleranceSeconds,
    logsTtlDays: s.logsTtlDays,
    maxBatchRows: s.maxBatchRows,
    maxBatchBytes: s.maxBatchBytes,
    flushIntervalMs: s.flushIntervalMs,
    metrics: { ...defaults.metrics, ttlDays: s.metricsTtlDays, rollups: s.rollups },
  };
}

/** The ClickHouse lib's config from the sink's settings (checked at boot by loadSinkSettings). */
export function clickHouseConfigOf(s: ClickHouseSettings): ClickHouseConfig {
  const config = clickHouseConfigFields(s);
  validateClickHouseConfig(config);
  return config;
}
