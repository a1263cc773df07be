/** Settings of the ingest stage: the shared sections, its HTTP limits and auth, and the consumer of the Collector topics. */
import { consumerSection, ingestSection, type ConsumerSettings, type IngestSettings } from '@sextant/config';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface IngestStageSettings extends StageSettings {
  ingest: IngestSettings;
  consumer: ConsumerSettings;
}

/** The consumer of otlp_logs/otlp_metrics: offsets move only inside the output transaction, one sub-batch of a partition at a time. */
export function ingestConsumerConfig(settings: Pick<IngestStageSettings, 'consumer'>) {
  return { ...settings.consumer, maxInFlightSubBatches: 1, autoCommit: false };
}

export function loadIngestSettings(env: Record<string, string | undefined> = process.env): IngestStageSettings {
  return loadStageSettings('ingest', { ingest: ingestSection, consumer: consumerSection('ingest') }, { consumer: { of: ingestConsumerConfig } }, env);
}
