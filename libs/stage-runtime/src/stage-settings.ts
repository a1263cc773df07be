/**
 * One configuration source per stage. A stage's settings are the sections every stage shares (service, Kafka,
 * registry, topics, producer) plus its own, loaded once from the environment; then each component's own
 * validator (the Kafka lib's for connection, registry, producer and consumer; a stage may add more, like the
 * sink's ClickHouse) runs over the config the stage will really be built with, and every problem names the
 * variable to fix. So a value that passes its own range but breaks a component's rule stops the process at
 * boot with exit 2, instead of failing later inside a connect or a subscribe.
 */
import {
  inVariables,
  kafkaSection,
  loadConfig,
  producerSection,
  registrySection,
  serviceSection,
  topicsSection,
  variablesOf,
  consumerSection,
  type AnySection,
  type ConfigCheck,
  type ConsumerSettings,
  type LoadedConfig,
} from '@sextant/config';
import type { StageName } from '@sextant/contracts';
import { consumerConfigProblems, kafkaConfigProblems, producerConfigProblems, registryConfigProblems, type ConsumerConfig } from '@sextant/kafka';

/** The sections every stage reads. */
export function sharedSections(stage: StageName) {
  return {
    service: serviceSection(stage),
    kafka: kafkaSection(stage),
    registry: registrySection,
    topics: topicsSection,
    producer: producerSection,
  };
}

type Shared = ReturnType<typeof sharedSections>;

export interface StageConfigOptions<T> {
  /**
   * For a stage that consumes: the consumer config it runs with, from its settings (its own overrides
   * applied), and the variables the overridden fields come from (e.g. the sink's subBatchSize is
   * SEXTANT_SINK_MAX_BATCH_ROWS). Checked with the Kafka lib's consumer rules.
   */
  consumer?: { of: (settings: T) => ConsumerConfig; variables?: Record<string, string> };
  /** The stage's own component checks (problems naming variables; see inVariables in @sextant/config). */
  checks?: ConfigCheck<T>[];
}

/** The drain must end before the shutdown deadline, or every SIGTERM ends in "shutdown overran its deadline". */
function drainWithinShutdown(v: { service: { shutdownTimeoutMs: number }; consumer?: ConsumerSettings }): string[] {
  if (v.consumer === undefined || v.consumer.drainTimeoutMs < v.service.shutdownTimeoutMs) return [];
  return ['SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS must be shorter than SEXTANT_SHUTDOWN_TIMEOUT_MS (the drain is one step of the shutdown)'];
}

/**
 * Loads a stage's settings: the shared sections plus `own`, then every component check. Throws ConfigError
 * (the stage exits 2) listing every problem, each naming its variable.
 */
export function loadStageSettings<X extends Record<string, AnySection>>(
  stage: StageName,
  own: X,
  options: StageConfigOptions<LoadedConfig<Shared & X>> = {},
  env: Record<string, string | undefined> = process.env,
): LoadedConfig<Shared & X> {
  const shared = sharedSections(stage);
  const sections = { ...shared, ...own } as Shared & X;
  type T = LoadedConfig<Shared & X>;
  const consumerVars = variablesOf(consumerSection(stage));
  const consumer = options.consumer;
  // The values hold at least the shared sections' (own sections may add, not replace them).
  const values = (v: T) => v as unknown as LoadedConfig<Shared> & { consumer?: ConsumerSettings };
  const checks: ConfigCheck<T>[] = [
    (v) => inVariables(kafkaConfigProblems(values(v).kafka), { ...variablesOf(shared.kafka), sasl: 'SEXTANT_KAFKA_SASL_MECHANISM' }),
    (v) => inVariables(registryConfigProblems(values(v).registry), variablesOf(shared.registry)),
    (v) => inVariables(producerConfigProblems(values(v).producer), variablesOf(shared.producer)),
    (v) => drainWithinShutdown(values(v)),
    ...(consumer ? [(v: T) => inVariables(consumerConfigProblems(consumer.of(v)), { ...consumerVars, ...consumer.variables })] : []),
    ...(options.checks ?? []),
  ];
  return loadConfig(sections, env, checks);
}
