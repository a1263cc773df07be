/** Settings of the ingest stage: the shared Kafka/registry/producer sections plus its HTTP limits and auth. */
import { ingestSection, kafkaSection, loadConfig, producerSection, registrySection, serviceSection, topicsSection, type IngestSettings } from '@sextant/config';
import type { StageSettings } from '@sextant/stage-runtime';

export interface IngestStageSettings extends StageSettings {
  ingest: IngestSettings;
}

export function loadIngestSettings(env: Record<string, string | undefined> = process.env): IngestStageSettings {
  return loadConfig(
    {
      service: serviceSection('ingest'),
      kafka: kafkaSection('ingest'),
      registry: registrySection,
      topics: topicsSection,
      producer: producerSection,
      ingest: ingestSection,
    },
    env,
  );
}
