/**
 * Configuration of a PartitionStateStore: its name (which names its changelog topic), how much state one
 * input partition may hold, and how long a restore may take. Every field carries its unit and default;
 * validateStateStoreConfig() checks ranges and throws StateConfigError listing every problem, so a bad value
 * stops the stage at boot. Also the changelog topic's name and its provisioning (compacted, one partition per
 * input partition): the changelog is the store's durable copy, so its shape is part of the store's contract.
 */
import type { TopicProvision } from '@sextant/kafka';

/** Keys one input partition may hold before new keys are refused. */
export const DEFAULT_MAX_KEYS_PER_PARTITION = 100_000;
/** Bytes (UTF-8 keys plus encoded values) one input partition may hold before writes that grow it are refused. */
export const DEFAULT_MAX_BYTES_PER_PARTITION = 64 * 1024 * 1024;
/**
 * Longest a restore may take. Above the transaction timeout of TransactionalOutput (60 s): a changelog
 * partition with a transaction left open by a crashed owner cannot be read to its end before the broker
 * aborts that transaction.
 */
export const DEFAULT_RESTORE_TIMEOUT_MS = 120_000;

export interface StateStoreConfig {
  /** Store name, unique within its stage: [a-z0-9-]+. Names the changelog and the metrics' `store` label. Required. */
  name: string;
  /** Keys held per input partition at most; set() of a new key beyond it is refused and counted. Default 100000. */
  maxKeysPerPartition: number;
  /** Bytes held per input partition at most (UTF-8 key + encoded value per entry). Default 64 MiB. */
  maxBytesPerPartition: number;
  /** A restore that has not reached the changelog's end by then fails (the batch is retried), ms. Default 120000. */
  restoreTimeoutMs: number;
}

export class StateConfigError extends Error {
  override readonly name = 'StateConfigError';
  constructor(
    readonly store: string,
    readonly problems: string[],
  ) {
    super(`invalid state store "${store}" configuration: ${problems.join('; ')}`);
  }
}

export function defaultStateStoreConfig(name: string): StateStoreConfig {
  return {
    name,
    maxKeysPerPartition: DEFAULT_MAX_KEYS_PER_PARTITION,
    maxBytesPerPartition: DEFAULT_MAX_BYTES_PER_PARTITION,
    restoreTimeoutMs: DEFAULT_RESTORE_TIMEOUT_MS,
  };
}

function positiveInt(problems: string[], field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) problems.push(`${field} must be an integer of at least 1 (got ${value})`);
}

export function validateStateStoreConfig(cfg: StateStoreConfig): StateStoreConfig {
  const problems: string[] = [];
  if (!/^[a-z0-9][a-z0-9-]*$/.test(cfg.name)) problems.push(`name must match [a-z0-9][a-z0-9-]* (got "${cfg.name}")`);
  positiveInt(problems, 'maxKeysPerPartition', cfg.maxKeysPerPartition);
  positiveInt(problems, 'maxBytesPerPartition', cfg.maxBytesPerPartition);
  positiveInt(problems, 'restoreTimeoutMs', cfg.restoreTimeoutMs);
  if (problems.length > 0) throw new StateConfigError(cfg.name, problems);
  return cfg;
}

/** `<prefix><stage>.<store>.changelog`: one changelog per store of a stage. */
export function changelogTopic(prefix: string, stage: string, store: string): string {
  return `${prefix}${stage}.${store}.changelog`;
}

/**
 * The changelog's provisioning: compacted (the latest value per key is the state; tombstones remove keys)
 * and as many partitions as the input topic, so input partition p checkpoints into changelog partition p.
 */
export function changelogProvision(topic: string, inputPartitions: number, replicationFactor: number): TopicProvision {
  return {
    topic,
    partitions: inputPartitions,
    replicationFactor,
    configs: { 'cleanup.policy': 'compact', ...(replicationFactor > 1 ? { 'min.insync.replicas': String(replicationFactor - 1) } : {}) },
  };
}
