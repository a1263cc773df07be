/** Settings of the parser stage: the shared sections, its consumer, and the parsing options. */
import { consumerSection, parserSection, type ConsumerSettings } from '@sextant/config';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface ParserStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  parser: { maxBodyBytes: number; maxAttributes: number; transactionalId: string };
}

/** The consumer the parser runs: offsets move only inside the output transaction, one sub-batch of a partition at a time. */
export function parserConsumerConfig(settings: Pick<ParserStageSettings, 'consumer'>) {
  return { ...settings.consumer, maxInFlightSubBatches: 1, autoCommit: false };
}

export function loadParserSettings(env: Record<string, string | undefined> = process.env): ParserStageSettings {
  return loadStageSettings('parser', { consumer: consumerSection('parser'), parser: parserSection }, { consumer: { of: parserConsumerConfig } }, env);
}
