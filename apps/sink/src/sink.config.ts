/** Settings of the sink stage: shared Kafka sections, its consumer, and where it stores (ClickHouse). */
import { clickhouseSection, consumerSection, kafkaSection, loadConfig, producerSection, registrySection, serviceSection, topicsSection, type ClickHouseSettings, type ConsumerSettings } from '@sextant/config';
import { resolveClickHouseConfig, type ClickHouseConfig } from '@sextant/clickhouse';
import type { StageSettings } from '@sextant/stage-runtime';

export interface SinkStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  clickhouse: ClickHouseSettings;
}

export function loadSinkSettings(env: Record<string, string | undefined> = process.env): SinkStageSettings {
  return loadConfig(
    {
      service: serviceSection('sink'),
      kafka: kafkaSection('sink'),
      registry: registrySection,
      topics: topicsSection,
      producer: producerSection,
      consumer: consumerSection('sink'),
      clickhouse: clickhouseSection,
    },
    env,
  );
}

/** The ClickHouse lib's config from the sink's settings. */
export function clickHouseConfigOf(s: ClickHouseSettings): ClickHouseConfig {
  return resolveClickHouseConfig({
    url: s.url,
    path: s.path,
    database: s.database,
    username: s.username,
    password: s.password,
    requestTimeoutMs: s.requestTimeoutMs,
    tables: { logs: s.logsTable },
    logsTtlDays: s.logsTtlDays,
    maxBatchRows: s.maxBatchRows,
    maxBatchBytes: s.maxBatchBytes,
    flushIntervalMs: s.flushIntervalMs,
  });
}
