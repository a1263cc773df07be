/**
 * The counter stage's settings, carried by environment variables from the test that spawns it: one place
 * that both writes them (counterEnv) and reads them back (readCounterEnv), so the two cannot drift.
 */
export interface CounterSettings {
  brokers: string[];
  registryUrl: string;
  inputTopic: string;
  outputTopic: string;
  changelogTopic: string;
  deadLetterTopic: string;
  groupId: string;
  /** Stable per replica across restarts, so a restarted replica fences its killed predecessor. */
  transactionalId: string;
  /** Records per sub-batch (one transaction each). */
  subBatchSize: number;
  /** ms; short, so a killed replica's partitions move soon. */
  sessionTimeoutMs: number;
  logLevel: string;
}

const PREFIX = 'SEXTANT_COUNTER_';

export function counterEnv(s: CounterSettings): Record<string, string> {
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [`${PREFIX}${k}`, Array.isArray(v) ? v.join(',') : String(v)]));
}

export function readCounterEnv(env: NodeJS.ProcessEnv): CounterSettings {
  const text = (k: keyof CounterSettings): string => {
    const v = env[`${PREFIX}${k}`];
    if (v === undefined || v === '') throw new Error(`${PREFIX}${k} is not set`);
    return v;
  };
  const int = (k: keyof CounterSettings): number => {
    const n = Number(text(k));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${PREFIX}${k} must be a positive integer`);
    return n;
  };
  return {
    brokers: text('brokers').split(','),
    registryUrl: text('registryUrl'),
    inputTopic: text('inputTopic'),
    outputTopic: text('outputTopic'),
    changelogTopic: text('changelogTopic'),
    deadLetterTopic: text('deadLetterTopic'),
    groupId: text('groupId'),
    transactionalId: text('transactionalId'),
    subBatchSize: int('subBatchSize'),
    sessionTimeoutMs: int('sessionTimeoutMs'),
    logLevel: text('logLevel'),
  };
}
