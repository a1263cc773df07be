/** Settings of the ingest stage: the shared sections plus its HTTP limits and auth. */
import { ingestSection, type IngestSettings } from '@sextant/config';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface IngestStageSettings extends StageSettings {
  ingest: IngestSettings;
}

export function loadIngestSettings(env: Record<string, string | undefined> = process.env): IngestStageSettings {
  return loadStageSettings('ingest', { ingest: ingestSection }, {}, env);
}
