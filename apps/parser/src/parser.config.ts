/** Settings of the parser stage: shared Kafka sections, its consumer, and the parsing options. */
import { consumerSection, kafkaSection, loadConfig, parserSection, producerSection, registrySection, serviceSection, topicsSection, type ConsumerSettings } from '@sextant/config';
import type { StageSettings } from '@sextant/stage-runtime';

export interface ParserStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  parser: { maxBodyBytes: number; maxAttributes: number; transactionalId: string };
}

export function loadParserSettings(env: Record<string, string | undefined> = process.env): ParserStageSettings {
  return loadConfig(
    {
      service: serviceSection('parser'),
      kafka: kafkaSection('parser'),
      registry: registrySection,
      topics: topicsSection,
      producer: producerSection,
      consumer: consumerSection('parser'),
      parser: parserSection,
    },
    env,
  );
}
