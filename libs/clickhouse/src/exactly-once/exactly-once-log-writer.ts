/**
 * Writes a partition's log records into `otel_logs` exactly once, after the ClickHouse Kafka Connect sink's
 * design: before each insert the range it covers is claimed in the state table (see sink-state.store.ts),
 * after it the claim is confirmed; on (re)assignment `prepare()` reads the partition's state fresh and says
 * what the next batch must be, and `write()` compares every batch with it (range-decision.ts): what is stored
 * is skipped, a claimed but unconfirmed range is re-inserted exactly (same rows, same token: ClickHouse keeps
 * one copy per day partition, completing a multi-part insert that crashed half-way), the rest is new. Rows
 * ClickHouse refuses go to `onRejected` (the caller dead-letters them) before the range is confirmed, so a
 * crash in between replays them rather than losing them. A message's records always stay in one range.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Registry } from 'prom-client';
import type { ClickHouseConfig } from '../clickhouse.config';
import { batchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { deriveInsertToken } from '../batch-inserter/insert-plan';
import { assertSqlIdentifier, qualifiedTable } from '../sql-identifier';
import { timestampWindow } from '../tables/log-insert-body';
import { logWriterMetrics, type LogWriterMetrics } from './log-writer.metrics';
import { decideRange, type RangeAction } from './range-decision';
import { insertRange, type RangeInsertTarget, type RejectedRow } from './range-inserter';
import { PartitionClaimConflictError, SinkStateStore, type PartitionKey, type PartitionState } from './sink-state.store';
import {
  distinctOffsets,
  LogWriteLease,
  rangeRecords,
  ReplayRequiredError,
  sortedSources,
  splitNewRange,
  type LogWriteResult,
  type OrderedSource,
  type SinkLogRecord,
} from './log-write-lease';

export interface ExactlyOnceLogWriterOptions {
  client: ClickHouseClient;
  /** Database, table names, TTL (the timestamp window), retry policy. */
  config: ClickHouseConfig;
  registry: Registry;
  /** Where gaps, resets and conflicts are reported besides the metrics. Default: one JSON line on stderr. */
  warn?: (message: string, fields: Record<string, unknown>) => void;
  /** Writer clock in Unix nanoseconds (tests). Default: `Date.now()`. */
  nowNs?: () => bigint;
  /** Most leases held at once (assigned partitions). Default: 4096. */
  maxLeases?: number;
}

export interface PrepareOptions {
  signal?: AbortSignal;
  /**
   * The incarnation of the topic's offsets, e.g. the Kafka cluster id: after a failover to another cluster
   * (other offsets, same table) the partition starts from no state and its tokens differ. Default: ''.
   */
  epoch?: string;
}

export interface WriteOptions {
  /** Cancels waits and in-flight statements (shutdown, revocation); the write then throws. */
  signal?: AbortSignal;
  /** The offset the consumer started reading this batch from, when known: a hole before it is no gap. */
  fetchedFrom?: string;
  /**
   * Receives the rows ClickHouse refused, and must make them durable elsewhere (dead-letter topic) before it
   * resolves: the range is confirmed only afterwards. Called once per range with refused rows.
   */
  onRejected: (rows: RejectedRow[]) => Promise<void>;
}

export class ExactlyOnceLogWriter {
  private readonly store: SinkStateStore;
  private readonly target: RangeInsertTarget;
  private readonly metrics: LogWriterMetrics;
  private readonly leases = new Map<string, LogWriteLease>();
  private readonly instance = randomUUID();
  private generation = 0;
  private readonly warn: (message: string, fields: Record<string, unknown>) => void;
  private readonly nowNs: () => bigint;
  private readonly maxLeases: number;

  constructor(options: ExactlyOnceLogWriterOptions) {
    const { client, config, registry } = options;
    assertSqlIdentifier(config.tables.logs, 'tables.logs');
    this.store = new SinkStateStore(client, qualifiedTable(config.database, config.tables.sinkState));
    this.target = {
      client,
      config,
      tableName: `${config.database}.${config.tables.logs}`,
      quotedTable: qualifiedTable(config.database, config.tables.logs),
      table: config.tables.logs,
      metrics: batchInserterMetrics(registry),
    };
    this.metrics = logWriterMetrics(registry);
    this.warn = options.warn ?? ((message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...fields })}\n`));
    this.nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.maxLeases = options.maxLeases ?? 4096;
  }

  /**
   * Takes (or retakes) the partition: reads its state fresh from the store and returns a lease whose `plan`
   * says what the next batch must be. Call on every assignment; a previous lease of the partition is revoked.
   */
  async prepare(topic: string, partition: number, options: PrepareOptions = {}): Promise<LogWriteLease> {
    const { signal } = options;
    const key: PartitionKey = { table: this.target.tableName, topic, partition, epoch: options.epoch ?? '' };
    const id = `${topic}\u0000${partition}`;
    if (!this.leases.has(id) && this.leases.size >= this.maxLeases) throw new Error(`more than ${this.maxLeases} partition leases held; release revoked partitions`);
    const state = await this.store.read(key, signal);
    this.leases.get(id)?.revoke();
    const lease = new LogWriteLease(key, `${this.instance}/${++this.generation}`, state);
    this.leases.set(id, lease);
    this.metrics.leases.set({ table: this.target.table }, this.leases.size);
    return lease;
  }

  /** Drops the lease (partition revoked). Its pending writes fail; nothing stored is affected. */
  release(lease: LogWriteLease): void {
    lease.revoke();
    const id = `${lease.key.topic}\u0000${lease.key.partition}`;
    if (this.leases.get(id) === lease) this.leases.delete(id);
    this.metrics.leases.set({ table: this.target.table }, this.leases.size);
  }

  /**
   * Writes `records` (whole messages of the lease's partition, any order) exactly once. Resolves when every
   * row is stored, skipped as stored, or refused and handed to `onRejected`; the consumer may then commit
   * past the batch. Throws `ReplayRequiredError` when the batch does not hold the pending range as `plan`
   * demands, `PartitionClaimConflictError` when another writer took the partition (re-prepare), and
   * `ClickHouseInsertError` when ClickHouse stays unavailable (retry the batch later).
   */
  async write(lease: LogWriteLease, records: readonly SinkLogRecord[], options: WriteOptions): Promise<LogWriteResult> {
    const labels = { table: this.target.table };
    const result: LogWriteResult = { skippedRows: 0, replayedRows: 0, insertedRows: 0, rejected: [], gap: null, reset: false, ranges: [], timestampsReplaced: 0 };
    if (records.length === 0) return result;
    return lease.exclusive(async () => {
      const sources = sortedSources(records);
      const offsets = distinctOffsets(sources);
      const decision = decideRange(lease.state, offsets, options.fetchedFrom === undefined ? undefined : BigInt(options.fetchedFrom));
      if (decision.kind === 'refetch') throw new ReplayRequiredError(lease.key, lease.plan, { refetchFrom: decision.from.toString() });
      if (decision.kind === 'incomplete') throw new ReplayRequiredError(lease.key, lease.plan, { cutAfter: decision.upTo.toString() });
      if (decision.gap !== null) {
        const size = Number(decision.gap.to - decision.gap.from + 1n);
        result.gap = { from: decision.gap.from.toString(), to: decision.gap.to.toString() };
        this.metrics.gaps.inc(labels);
        this.metrics.gapOffsets.inc(labels, size);
        this.warn('offsets skipped without being read: rows in them, if any, are not stored', { ...lease.key, ...result.gap, offsets: size });
      }
      if (decision.reset) {
        result.reset = true;
        this.metrics.resets.inc(labels);
        this.warn('partition offsets restarted at 0 below the stored range: topic recreated? state reset', { ...lease.key, stored: lease.plan });
      }
      for (const action of decision.actions) {
        if (action.kind !== 'insert') {
          await this.apply(lease, action, rangeRecords(sources, action.first, action.last), options, result);
          continue;
        }
        for (const part of splitNewRange(rangeRecords(sources, action.first, action.last), this.target.config.maxBatchRows)) {
          const range: RangeAction = { kind: 'insert', first: part[0]!.offsetValue, last: part[part.length - 1]!.offsetValue };
          await this.apply(lease, range, part, options, result);
        }
      }
      return result;
    });
  }

  /** Skips, replays or claims-and-inserts one range; `sources` are exactly the range's records. */
  private async apply(lease: LogWriteLease, action: RangeAction, sources: OrderedSource[], options: WriteOptions, result: LogWriteResult): Promise<void> {
    const labels = { table: this.target.table };
    if (action.kind === 'skip') {
      result.skippedRows += sources.length;
      this.metrics.rows.inc({ ...labels, action: 'skipped' }, sources.length);
      return;
    }
    const stored = lease.state;
    let state: PartitionState;
    if (action.kind === 'replay' && stored !== null) {
      if (sources.length !== stored.rows) {
        // The same messages decoded to another number of records (a decoder change between runs). Stalling
        // the partition helps nobody: replay under the stored token, which keeps whatever the first try wrote.
        this.metrics.replayMismatches.inc(labels);
        this.warn('a pending range was redelivered with another row count; replaying under its stored token', { ...lease.key, stored: stored.rows, now: sources.length });
      }
      state = stored;
    } else {
      const version = (stored?.version ?? 0) + 1;
      state = { version, first: action.first, last: action.last, rows: sources.length, status: 'pending', referenceTimeNs: this.nowNs() };
      try {
        await this.store.claim(lease.key, lease.writer, version, state, options.signal);
      } catch (err: unknown) {
        if (err instanceof PartitionClaimConflictError) {
          this.metrics.conflicts.inc(labels);
          lease.revoke();
        }
        throw err;
      }
      lease.state = state;
    }
    const { key } = lease;
    const base = deriveInsertToken(key.table, key.topic, key.partition, state.first, state.last, state.rows);
    const token = key.epoch === '' ? base : `${base}|${key.epoch}`;
    const window = timestampWindow(state.referenceTimeNs, this.target.config.logsTtlDays, this.target.config.timestampFutureToleranceSeconds);
    lease.assertHeld();
    const outcome = await insertRange(this.target, sources, key.topic, key.partition, token, window, options.signal);
    if (outcome.rejected.length > 0) {
      this.metrics.rowsRejected.inc(labels, outcome.rejected.length);
      await options.onRejected(outcome.rejected);
      result.rejected.push(...outcome.rejected);
    }
    await this.store.confirm(key, lease.writer, state.version, state, options.signal);
    lease.state = { ...state, status: 'done' };
    const rowAction = action.kind === 'replay' ? 'replayed' : 'inserted';
    this.metrics.rows.inc({ ...labels, action: rowAction }, sources.length);
    this.metrics.timestampsReplaced.inc(labels, outcome.timestampsReplaced);
    result.timestampsReplaced += outcome.timestampsReplaced;
    if (action.kind === 'replay') result.replayedRows += sources.length;
    else result.insertedRows += sources.length;
    result.ranges.push({ kind: action.kind, firstOffset: state.first.toString(), lastOffset: state.last.toString(), rows: sources.length, token, version: state.version });
  }
}
