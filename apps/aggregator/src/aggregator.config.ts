/**
 * Settings of the aggregator stage: the shared sections, its consumer, the window engine's configuration and
 * the bounds of its state. The engine's own rules (@sextant/aggregation's validateAggregatorConfig) run over
 * the config it will really get, and a pre-aggregation rules file that does not parse stops the process too.
 */
import { readFileSync } from 'node:fs';
import { aggregatorSection, consumerSection, inVariables, type AggregatorSettings, type ConsumerSettings } from '@sextant/config';
import { defaultAggregatorConfig, validateAggregatorConfig, type AggregatorConfig, type PreAggregation } from '@sextant/aggregation';
import { loadStageSettings, type StageSettings } from '@sextant/stage-runtime';

export interface AggregatorStageSettings extends StageSettings {
  consumer: ConsumerSettings;
  aggregator: AggregatorSettings;
}

/** The consumer the aggregator runs: state, outputs and offsets move in one transaction, one sub-batch of a partition at a time. */
export function aggregatorConsumerConfig(settings: Pick<AggregatorStageSettings, 'consumer'>) {
  return { ...settings.consumer, maxInFlightSubBatches: 1, autoCommit: false };
}

/** The engine's field names, as the variables of the Aggregator section. */
const ENGINE_VARIABLES: Record<string, string> = {
  resolutionsMs: 'SEXTANT_AGGREGATOR_RESOLUTIONS',
  allowedLatenessMs: 'SEXTANT_AGGREGATOR_ALLOWED_LATENESS_MS',
  maxOutOfOrderMs: 'SEXTANT_AGGREGATOR_MAX_OUT_OF_ORDER_MS',
  correctionHorizonMs: 'SEXTANT_AGGREGATOR_CORRECTION_HORIZON_MS',
  maxSeriesPerMetric: 'SEXTANT_AGGREGATOR_MAX_SERIES_PER_METRIC',
  maxSeries: 'SEXTANT_AGGREGATOR_MAX_SERIES',
  seriesIdleTimeoutMs: 'SEXTANT_AGGREGATOR_SERIES_IDLE_TIMEOUT_MS',
  preAggregations: 'SEXTANT_AGGREGATOR_RULES_FILE',
};

/** Pre-aggregations of a rules file: `{ "preAggregations": [...] }`. Throws with the reason. */
export function readRulesFile(path: string): PreAggregation[] {
  if (path === '') return [];
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as { preAggregations?: unknown };
  if (!Array.isArray(parsed.preAggregations)) throw new Error('it must hold {"preAggregations": [...]}');
  return parsed.preAggregations as PreAggregation[];
}

/** The window engine's configuration from the settings (rules read from their file). */
export function engineConfigOf(s: AggregatorSettings, preAggregations: PreAggregation[] = readRulesFile(s.rulesFile)): AggregatorConfig {
  return {
    ...defaultAggregatorConfig(),
    resolutionsMs: s.resolutionsMs,
    allowedLatenessMs: s.allowedLatenessMs,
    maxOutOfOrderMs: s.maxOutOfOrderMs,
    emitCorrections: s.emitCorrections,
    correctionHorizonMs: s.correctionHorizonMs,
    maxSeriesPerMetric: s.maxSeriesPerMetric,
    maxSeries: s.maxSeries,
    seriesIdleTimeoutMs: s.seriesIdleTimeoutMs,
    preAggregations,
  };
}

function engineProblems(s: AggregatorSettings): string[] {
  let rules: PreAggregation[];
  try {
    rules = readRulesFile(s.rulesFile);
  } catch (e) {
    return [`SEXTANT_AGGREGATOR_RULES_FILE ${JSON.stringify(s.rulesFile)} cannot be read: ${e instanceof Error ? e.message : String(e)}`];
  }
  return inVariables(validateAggregatorConfig(engineConfigOf(s, rules)), ENGINE_VARIABLES);
}

export function loadAggregatorSettings(env: Record<string, string | undefined> = process.env): AggregatorStageSettings {
  return loadStageSettings(
    'aggregator',
    { consumer: consumerSection('aggregator'), aggregator: aggregatorSection },
    { consumer: { of: aggregatorConsumerConfig }, checks: [(v) => engineProblems(v.aggregator)] },
    env,
  );
}
