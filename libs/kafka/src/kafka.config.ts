/**
 * Configuration of the Kafka transport: how to reach the brokers and the schema registry, how the producer
 * batches, and how a batch consumer paces and retries. Every field is documented with its unit and default;
 * the validate*() functions check ranges and the cross-field rules (a drain must end before the group gives
 * the partitions away; a buffer must hold at least one batch) and throw KafkaConfigError listing every problem.
 * Fields marked optional were added after the first version of the interface; their defaults apply when absent.
 */
import { KafkaConfigError } from './kafka.errors';

export const DEFAULT_CONNECTION_TIMEOUT_MS = 3_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_CLIENT_RETRIES = 5;
export const DEFAULT_CLIENT_INITIAL_RETRY_MS = 300;

export interface KafkaConfig {
  /** Bootstrap brokers as host:port. Required, at least one. */
  brokers: string[];
  /** Client id shown in broker logs and used for quotas. Required. */
  clientId: string;
  /** Connect with TLS (system CAs). Default false. */
  ssl: boolean;
  /** SASL credentials, or null for none. Default null. */
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | null;
  /** Timeout of one TCP/TLS connection attempt, ms. Default DEFAULT_CONNECTION_TIMEOUT_MS (3000). */
  connectionTimeoutMs: number;
  /** Timeout of one Kafka request, ms. Default DEFAULT_REQUEST_TIMEOUT_MS (30000). */
  requestTimeoutMs: number;
  /** Retries of a failed admin/connect operation before it gives up. Default DEFAULT_CLIENT_RETRIES (5). */
  retries?: number;
  /** First retry delay, ms; doubles per retry. Default DEFAULT_CLIENT_INITIAL_RETRY_MS (300). */
  initialRetryMs?: number;
}

export interface RegistryConfig {
  /** Base URL of a Confluent-compatible registry API (Apicurio: <host>/apis/ccompat/v7). Required. */
  url: string;
  /** Basic-auth user; empty for none. Default ''. */
  username: string;
  /** Basic-auth password; empty for none. Default ''. */
  password: string;
  /**
   * How long a schema id the registry answers 404 for is retried (RegistryUnavailableError) before its
   * records are condemned as undecodable, ms since the id was first seen: a registry follower may not have
   * caught up with a schema registered a moment ago. Default DEFAULT_UNKNOWN_ID_GRACE_MS (30000).
   */
  unknownIdGraceMs?: number;
  /** How long one registry request may go unanswered before it fails (and is retried where safe), ms. Default DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS (10000). */
  requestTimeoutMs?: number;
}

export const DEFAULT_UNKNOWN_ID_GRACE_MS = 30_000;
export const DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS = 10_000;

export const DEFAULT_LINGER_MS = 5;
/** Records per produce request. */
export const DEFAULT_MAX_BATCH_RECORDS = 10_000;
/** Kept under the broker's default message.max.bytes (1048588): one partition's share of a batch is one record batch. */
export const DEFAULT_MAX_BATCH_BYTES = 1_000_000;
export const DEFAULT_MAX_BUFFERED_RECORDS = 200_000;
export const DEFAULT_MAX_BUFFERED_BYTES = 128 * 1024 * 1024;
export const DEFAULT_COMPRESSION = 'snappy';
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export interface ProducerConfig {
  /** How long a record waits for others to share its produce request, ms. Default DEFAULT_LINGER_MS (5). */
  lingerMs: number;
  /** Records in one produce request at most; a batch this full goes out at once. Default 10000. */
  maxBatchRecords: number;
  /** Bytes (keys, values, headers) in one produce request at most. Default DEFAULT_MAX_BATCH_BYTES (1000000). */
  maxBatchBytes: number;
  /** Records accepted and not yet acknowledged at most; beyond it send() fails with BackpressureError. Default 200000. */
  maxBufferedRecords: number;
  /** Bytes accepted and not yet acknowledged at most; beyond it send() fails with BackpressureError. Default 128 MiB. */
  maxBufferedBytes: number;
  /** Codec of produced record batches. Default 'snappy'. */
  compression: 'snappy' | 'gzip' | 'none';
  /** How long a send() may wait for Kafka's acknowledgement before it fails with KafkaUnavailableError, ms. Default 10000. */
  sendTimeoutMs: number;
}

/**
 * Session timeout and heartbeat: the trade-off between recovery and false evictions. A member killed without
 * leaving the group (SIGKILL, OOM, node loss) keeps its partitions until the coordinator misses its heartbeats
 * for sessionTimeoutMs, so that is how long those partitions stall. Shorter means faster recovery, but a member
 * whose heartbeats stop for longer (event loop blocked, long GC, network blip) is evicted and its partitions
 * move, with redelivery. 10 s with a 1 s heartbeat recovers a killed member in about 10-13 s and still tolerates
 * several seconds of silence; the broker bounds it (group.min.session.timeout.ms, 6 s by default).
 */
export const DEFAULT_SESSION_TIMEOUT_MS = 10_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;
export const DEFAULT_MAX_BYTES_PER_PARTITION = 4 * 1_048_576;
export const DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY = 3;
export const DEFAULT_SUB_BATCH_SIZE = 2_000;
export const DEFAULT_MAX_IN_FLIGHT_SUB_BATCHES = 2;
/** Must stay below the session timeout: the group reassigns the partitions after it. */
export const DEFAULT_DRAIN_TIMEOUT_MS = 8_000;
export const DEFAULT_FROM_BEGINNING = true;
export const DEFAULT_RETRY_BACKOFF_MS = 500;
export const DEFAULT_MAX_RETRY_BACKOFF_MS = 30_000;
export const DEFAULT_COMMIT_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_WAIT_TIME_MS = 1_000;
/** Above a sink's largest accumulation (10k rows) with room for a second one in progress. */
export const DEFAULT_MAX_DEFERRED_RECORDS = 50_000;
export const DEFAULT_STALL_TIMEOUT_MS = 300_000;

export interface ConsumerConfig {
  /** Consumer group; the replicas of a stage share it. Required. */
  groupId: string;
  /** A member silent this long loses its partitions, ms: also how long a killed member's partitions stall. Default DEFAULT_SESSION_TIMEOUT_MS (10000). */
  sessionTimeoutMs: number;
  /** Heartbeat interval to the coordinator, ms; at most a third of the session timeout. Default 1000. */
  heartbeatIntervalMs: number;
  /** Bytes fetched per partition per request at most. Default 1048576. */
  maxBytesPerPartition: number;
  /** Partitions whose batches are processed at the same time by one replica. Default 2. */
  partitionsConsumedConcurrently: number;
  /** Records handed to the handler in one call at most. Default DEFAULT_SUB_BATCH_SIZE (500). */
  subBatchSize: number;
  /** Sub-batches of one partition in the handler at once; 1 keeps handler calls strictly in offset order. Default 2. */
  maxInFlightSubBatches: number;
  /** On stop or rebalance, how long in-flight sub-batches may still finish, ms; less than the session timeout. Default 8000. */
  drainTimeoutMs: number;
  /** Where a group without a committed offset starts: the earliest retained record (true) or the end (false). Default true. */
  fromBeginning: boolean;
  /** First wait before a failed sub-batch is retried, ms; doubles per attempt up to maxRetryBackoffMs. Default 500. */
  retryBackoffMs: number;
  /** Cap of the retry wait, ms. Default DEFAULT_MAX_RETRY_BACKOFF_MS (30000). */
  maxRetryBackoffMs?: number;
  /** Resolved offsets are committed at least this often while a batch is processed, ms (and always after it). Default 5000. */
  commitIntervalMs?: number;
  /** Longest a fetch waits on the broker for data, ms; also bounds how fast stop() is noticed. Default 1000. */
  maxWaitTimeMs?: number;
  /**
   * Bytes the broker gathers before it answers a fetch (or maxWaitTimeMs passes). Default 1: answer at once.
   * Sinks raise it so that each fetch, and so each insert, carries many records.
   */
  minBytes?: number;
  /**
   * Commit offsets from the consumer (default true). False when the handler commits them inside a Kafka
   * transaction together with its outputs (TransactionalOutput): then only the transaction moves the group.
   */
  autoCommit?: boolean;
  /**
   * Records of one partition whose handler deferred their acknowledgement (batch.defer()) and that are not yet
   * acknowledged, at most. Beyond it the partition's fetching pauses until acknowledgements bring it back
   * under the bound: back-pressure instead of unbounded memory. Default DEFAULT_MAX_DEFERRED_RECORDS (50000).
   */
  maxDeferredRecords?: number;
  /**
   * Liveness: a partition whose sub-batches keep failing and that completed none for this long makes the
   * consumer report not live (isLive()), so the orchestrator restarts a wedged process, ms.
   * Default DEFAULT_STALL_TIMEOUT_MS (300000).
   */
  stallTimeoutMs?: number;
}

/** ConsumerConfig with every optional field filled in. */
export type ResolvedConsumerConfig = Required<ConsumerConfig>;

export function defaultProducerConfig(): ProducerConfig {
  return {
    lingerMs: DEFAULT_LINGER_MS,
    maxBatchRecords: DEFAULT_MAX_BATCH_RECORDS,
    maxBatchBytes: DEFAULT_MAX_BATCH_BYTES,
    maxBufferedRecords: DEFAULT_MAX_BUFFERED_RECORDS,
    maxBufferedBytes: DEFAULT_MAX_BUFFERED_BYTES,
    compression: DEFAULT_COMPRESSION,
    sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
  };
}

export function defaultConsumerConfig(groupId: string): ResolvedConsumerConfig {
  return {
    groupId,
    sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
    heartbeatIntervalMs: DEFAULT_HEARTBEAT_INTERVAL_MS,
    maxBytesPerPartition: DEFAULT_MAX_BYTES_PER_PARTITION,
    partitionsConsumedConcurrently: DEFAULT_PARTITIONS_CONSUMED_CONCURRENTLY,
    subBatchSize: DEFAULT_SUB_BATCH_SIZE,
    maxInFlightSubBatches: DEFAULT_MAX_IN_FLIGHT_SUB_BATCHES,
    drainTimeoutMs: DEFAULT_DRAIN_TIMEOUT_MS,
    fromBeginning: DEFAULT_FROM_BEGINNING,
    retryBackoffMs: DEFAULT_RETRY_BACKOFF_MS,
    maxRetryBackoffMs: DEFAULT_MAX_RETRY_BACKOFF_MS,
    commitIntervalMs: DEFAULT_COMMIT_INTERVAL_MS,
    maxWaitTimeMs: DEFAULT_MAX_WAIT_TIME_MS,
    minBytes: 1,
    autoCommit: true,
    maxDeferredRecords: DEFAULT_MAX_DEFERRED_RECORDS,
    stallTimeoutMs: DEFAULT_STALL_TIMEOUT_MS,
  };
}

function positive(problems: string[], name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) problems.push(`${name} must be a positive number (got ${value})`);
}

function nonNegative(problems: string[], name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) problems.push(`${name} must be zero or more (got ${value})`);
}

function positiveInt(problems: string[], name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) problems.push(`${name} must be an integer of at least 1 (got ${value})`);
}

function check<T>(what: string, value: T, problems: string[]): T {
  if (problems.length > 0) throw new KafkaConfigError(what, problems);
  return value;
}

/** Every problem of a Kafka connection config, in its field names (empty when valid). */
export function kafkaConfigProblems(cfg: KafkaConfig): string[] {
  const problems: string[] = [];
  if (cfg.brokers.length === 0) problems.push('brokers must list at least one host:port');
  for (const b of cfg.brokers) {
    if (!/^[^\s:]+:\d{1,5}$/.test(b) && !/^\[[0-9a-fA-F:]+\]:\d{1,5}$/.test(b)) problems.push(`broker "${b}" is not host:port`);
  }
  if (cfg.clientId.trim() === '') problems.push('clientId must not be empty');
  if (cfg.sasl && (cfg.sasl.username === '' || cfg.sasl.password === '')) problems.push('sasl needs a username and a password');
  positive(problems, 'connectionTimeoutMs', cfg.connectionTimeoutMs);
  positive(problems, 'requestTimeoutMs', cfg.requestTimeoutMs);
  if (cfg.retries !== undefined) nonNegative(problems, 'retries', cfg.retries);
  if (cfg.initialRetryMs !== undefined) positive(problems, 'initialRetryMs', cfg.initialRetryMs);
  return problems;
}

export function validateKafkaConfig(cfg: KafkaConfig): KafkaConfig {
  return check('Kafka', cfg, kafkaConfigProblems(cfg));
}

/** Every problem of a schema registry config, in its field names (empty when valid). */
export function registryConfigProblems(cfg: RegistryConfig): string[] {
  const problems: string[] = [];
  try {
    const u = new URL(cfg.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`registry url must be http(s) (got ${u.protocol})`);
  } catch {
    problems.push(`registry url "${cfg.url}" is not a URL`);
  }
  if ((cfg.username === '') !== (cfg.password === '')) problems.push('registry username and password go together');
  if (cfg.unknownIdGraceMs !== undefined) nonNegative(problems, 'unknownIdGraceMs', cfg.unknownIdGraceMs);
  if (cfg.requestTimeoutMs !== undefined) positive(problems, 'requestTimeoutMs', cfg.requestTimeoutMs);
  return problems;
}

export function validateRegistryConfig(cfg: RegistryConfig): RegistryConfig {
  return check('schema registry', cfg, registryConfigProblems(cfg));
}

/** Every problem of a producer config, in its field names (empty when valid). */
export function producerConfigProblems(cfg: ProducerConfig): string[] {
  const problems: string[] = [];
  nonNegative(problems, 'lingerMs', cfg.lingerMs);
  positiveInt(problems, 'maxBatchRecords', cfg.maxBatchRecords);
  positiveInt(problems, 'maxBatchBytes', cfg.maxBatchBytes);
  positiveInt(problems, 'maxBufferedRecords', cfg.maxBufferedRecords);
  positiveInt(problems, 'maxBufferedBytes', cfg.maxBufferedBytes);
  positive(problems, 'sendTimeoutMs', cfg.sendTimeoutMs);
  if (!['snappy', 'gzip', 'none'].includes(cfg.compression)) problems.push(`compression must be snappy, gzip or none (got ${cfg.compression})`);
  if (cfg.maxBufferedRecords < cfg.maxBatchRecords) problems.push('maxBufferedRecords must be at least maxBatchRecords (the buffer holds a full batch)');
  if (cfg.maxBufferedBytes < cfg.maxBatchBytes) problems.push('maxBufferedBytes must be at least maxBatchBytes (the buffer holds a full batch)');
  if (cfg.sendTimeoutMs <= cfg.lingerMs) problems.push('sendTimeoutMs must be longer than lingerMs (a record waits lingerMs before it is even sent)');
  return problems;
}

export function validateProducerConfig(cfg: ProducerConfig): ProducerConfig {
  return check('producer', cfg, producerConfigProblems(cfg));
}

/** Every problem of a consumer config once its optional fields are filled in, in its field names (empty when valid). */
export function consumerConfigProblems(cfg: ConsumerConfig): string[] {
  return resolvedConsumerProblems(resolveConsumerConfig(cfg));
}

function resolveConsumerConfig(cfg: ConsumerConfig): ResolvedConsumerConfig {
  return { ...defaultConsumerConfig(cfg.groupId), ...stripUndefined(cfg) };
}

/** Validates and fills the optional fields with their defaults. */
export function validateConsumerConfig(cfg: ConsumerConfig): ResolvedConsumerConfig {
  const full = resolveConsumerConfig(cfg);
  return check('consumer', full, resolvedConsumerProblems(full));
}

function resolvedConsumerProblems(full: ResolvedConsumerConfig): string[] {
  const problems: string[] = [];
  if (full.groupId.trim() === '') problems.push('groupId must not be empty');
  positive(problems, 'sessionTimeoutMs', full.sessionTimeoutMs);
  positive(problems, 'heartbeatIntervalMs', full.heartbeatIntervalMs);
  positiveInt(problems, 'maxBytesPerPartition', full.maxBytesPerPartition);
  positiveInt(problems, 'partitionsConsumedConcurrently', full.partitionsConsumedConcurrently);
  positiveInt(problems, 'subBatchSize', full.subBatchSize);
  positiveInt(problems, 'maxInFlightSubBatches', full.maxInFlightSubBatches);
  positiveInt(problems, 'minBytes', full.minBytes);
  positiveInt(problems, 'maxDeferredRecords', full.maxDeferredRecords);
  positive(problems, 'stallTimeoutMs', full.stallTimeoutMs);
  if (!full.autoCommit && full.maxInFlightSubBatches !== 1) problems.push('maxInFlightSubBatches must be 1 when offsets commit in transactions (autoCommit false)');
  nonNegative(problems, 'drainTimeoutMs', full.drainTimeoutMs);
  positive(problems, 'retryBackoffMs', full.retryBackoffMs);
  positive(problems, 'maxRetryBackoffMs', full.maxRetryBackoffMs);
  positive(problems, 'commitIntervalMs', full.commitIntervalMs);
  positive(problems, 'maxWaitTimeMs', full.maxWaitTimeMs);
  if (full.heartbeatIntervalMs * 3 > full.sessionTimeoutMs) problems.push('heartbeatIntervalMs must be at most a third of sessionTimeoutMs');
  if (full.drainTimeoutMs >= full.sessionTimeoutMs) problems.push('drainTimeoutMs must be shorter than sessionTimeoutMs (the group reassigns the partitions after it)');
  if (full.maxRetryBackoffMs < full.retryBackoffMs) problems.push('maxRetryBackoffMs must be at least retryBackoffMs');
  if (full.maxWaitTimeMs >= full.sessionTimeoutMs) problems.push('maxWaitTimeMs must be shorter than sessionTimeoutMs');
  if (full.stallTimeoutMs <= full.maxRetryBackoffMs) problems.push('stallTimeoutMs must be longer than maxRetryBackoffMs (a failing partition retries at least once meanwhile)');
  return problems;
}

/** Wait before retry `attempt` (1, 2, ...) of a failed sub-batch: retryBackoffMs doubling, capped at maxRetryBackoffMs. */
export function retryDelayMs(cfg: Pick<ResolvedConsumerConfig, 'retryBackoffMs' | 'maxRetryBackoffMs'>, attempt: number): number {
  return Math.min(cfg.retryBackoffMs * 2 ** Math.min(attempt - 1, 30), cfg.maxRetryBackoffMs);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
