/**
 * Writes a Kafka partition's records into one or more ClickHouse tables exactly once, after the ClickHouse
 * Kafka Connect sink's design: before each insert the offset range it covers is claimed in the state table
 * (see sink-state.store.ts), after it the claim is confirmed; on (re)assignment `prepare()` reads the
 * partition's state fresh and says what the next batch must be, and `write()` compares every batch with it
 * (range-decision.ts): what is stored is skipped, a claimed but unconfirmed range is re-inserted exactly (same
 * rows, same tokens: ClickHouse keeps one copy per day partition and table, completing a multi-part insert
 * that crashed half-way), the rest is new. Rows ClickHouse refuses go to `onRejected` (the caller
 * dead-letters them) before the range is confirmed, so a crash in between replays them rather than losing
 * them. A message's records always stay in one range.
 *
 * What a range becomes is the one thing that varies: a `RangeRowsBuilder` turns the range's records into
 * encoded rows per table, each under a token derived from the range's. It must be a pure function of the
 * records and the stored state, so that a replay builds the very same inserts.
 */
import { randomUUID } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Registry } from 'prom-client';
import type { ClickHouseConfig } from '../clickhouse.config';
import { deriveInsertToken } from '../batch-inserter/insert-plan';
import { assertSqlIdentifier, qualifiedTable } from '../sql-identifier';
import { logWriterMetrics, type LogWriterMetrics } from './log-writer.metrics';
import { decideRange, type RangeAction } from './range-decision';
import { insertRows, type EncodedRows, type RejectedRow, type TableInsertTarget } from './range-inserter';
import { PartitionClaimConflictError, SinkStateStore, type PartitionKey, type PartitionState } from './sink-state.store';
import {
  distinctOffsets,
  PartitionWriteLease,
  rangeRecords,
  ReplayRequiredError,
  sortedSources,
  splitNewRange,
  type OrderedSource,
  type SinkRecord,
  type WriteResult,
} from './log-write-lease';

/** Most leases a writer holds at once, unless configured. */
export const DEFAULT_MAX_LEASES = 4096;

/** One INSERT of a range: a table, its rows, and the token they go in under. */
export interface RangeInsert<R> {
  target: TableInsertTarget;
  rows: EncodedRows<OrderedSource<R>>;
  token: string;
}

/** What the builder is given: the claimed range (its stored reference time included) and its records. */
export interface RangeRowsRequest<R> {
  key: PartitionKey;
  state: PartitionState;
  sources: ReadonlyArray<OrderedSource<R>>;
  /** The range's token; each insert's token must be derived from it deterministically. */
  token: string;
}

export interface RangeRows<R> {
  inserts: Array<RangeInsert<R>>;
  /** Records refused before any insert (no table takes them), dead-lettered with the insert refusals. */
  refused: Array<RejectedRow<OrderedSource<R>>>;
  /** Rows stored under a replacement timestamp. */
  timestampsReplaced: number;
}

export type RangeRowsBuilder<R> = (request: RangeRowsRequest<R>) => RangeRows<R>;

export interface ExactlyOnceWriterOptions {
  client: ClickHouseClient;
  /** Database, table names, TTLs, retry policy, `maxBatchRows`. */
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

export interface WriteOptions<S = OrderedSource> {
  /** Cancels waits and in-flight statements (shutdown, revocation); the write then throws. */
  signal?: AbortSignal;
  /** The offset the consumer started reading this batch from, when known: a hole before it is no gap. */
  fetchedFrom?: string;
  /**
   * Receives the rows ClickHouse refused, and must make them durable elsewhere (dead-letter topic) before it
   * resolves: the range is confirmed only afterwards. Called once per range with refused rows; a record
   * refused by several tables (or as several rows of one table) is handed over once per table.
   */
  onRejected: (rows: Array<RejectedRow<S>>) => Promise<void>;
}

export class ExactlyOnceWriter<R> {
  private readonly store: SinkStateStore;
  private readonly metrics: LogWriterMetrics;
  private readonly leases = new Map<string, PartitionWriteLease>();
  private readonly instance = randomUUID();
  private generation = 0;
  private readonly warn: (message: string, fields: Record<string, unknown>) => void;
  private readonly nowNs: () => bigint;
  private readonly maxLeases: number;
  private readonly stateTable: string;
  private readonly label: string;

  /**
   * @param stateName table name (unquoted, in `config.database`) the partition state is kept under: the
   *   writer's main table. It names the state rows and every range token, and labels the writer's metrics.
   * @param build turns a range's records into the inserts of every table.
   */
  constructor(
    options: ExactlyOnceWriterOptions,
    stateName: string,
    private readonly build: RangeRowsBuilder<R>,
  ) {
    const { client, config, registry } = options;
    assertSqlIdentifier(stateName, 'writer table');
    this.store = new SinkStateStore(client, qualifiedTable(config.database, config.tables.sinkState));
    this.stateTable = `${config.database}.${stateName}`;
    this.label = stateName;
    this.config = config;
    this.metrics = logWriterMetrics(registry);
    this.warn = options.warn ?? ((message, fields) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: message, ...fields })}\n`));
    this.nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
    this.maxLeases = options.maxLeases ?? DEFAULT_MAX_LEASES;
  }

  protected readonly config: ClickHouseConfig;

  /**
   * Takes (or retakes) the partition: reads its state fresh from the store and returns a lease whose `plan`
   * says what the next batch must be. Call on every assignment; a previous lease of the partition is revoked.
   */
  async prepare(topic: string, partition: number, options: PrepareOptions = {}): Promise<PartitionWriteLease> {
    const { signal } = options;
    const key: PartitionKey = { table: this.stateTable, topic, partition, epoch: options.epoch ?? '' };
    const id = `${topic}\u0000${partition}`;
    if (!this.leases.has(id) && this.leases.size >= this.maxLeases) throw new Error(`more than ${this.maxLeases} partition leases held; release revoked partitions`);
    const state = await this.store.read(key, signal);
    this.leases.get(id)?.revoke();
    const lease = new PartitionWriteLease(key, `${this.instance}/${++this.generation}`, state);
    this.leases.set(id, lease);
    this.metrics.leases.set({ table: this.label }, this.leases.size);
    return lease;
  }

  /** Drops the lease (partition revoked). Its pending writes fail; nothing stored is affected. */
  release(lease: PartitionWriteLease): void {
    lease.revoke();
    const id = `${lease.key.topic}\u0000${lease.key.partition}`;
    if (this.leases.get(id) === lease) this.leases.delete(id);
    this.metrics.leases.set({ table: this.label }, this.leases.size);
  }

  /**
   * Writes `records` (whole messages of the lease's partition, any order) exactly once. Resolves when every
   * row is stored, skipped as stored, or refused and handed to `onRejected`; the consumer may then commit
   * past the batch. Throws `ReplayRequiredError` when the batch does not hold the pending range as `plan`
   * demands, `PartitionClaimConflictError` when another writer took the partition (re-prepare), and
   * `ClickHouseInsertError` when ClickHouse stays unavailable (retry the batch later).
   */
  async write(lease: PartitionWriteLease, records: ReadonlyArray<SinkRecord<R>>, options: WriteOptions<OrderedSource<R>>): Promise<WriteResult<OrderedSource<R>>> {
    const labels = { table: this.label };
    const result: WriteResult<OrderedSource<R>> = { skippedRows: 0, replayedRows: 0, insertedRows: 0, rejected: [], gap: null, reset: false, ranges: [], timestampsReplaced: 0 };
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
        for (const part of splitNewRange(rangeRecords(sources, action.first, action.last), this.config.maxBatchRows)) {
          const range: RangeAction = { kind: 'insert', first: part[0]!.offsetValue, last: part[part.length - 1]!.offsetValue };
          await this.apply(lease, range, part, options, result);
        }
      }
      return result;
    });
  }

  /** Skips, replays or claims-and-inserts one range; `sources` are exactly the range's records. */
  private async apply(
    lease: PartitionWriteLease,
    action: RangeAction,
    sources: Array<OrderedSource<R>>,
    options: WriteOptions<OrderedSource<R>>,
    result: WriteResult<OrderedSource<R>>,
  ): Promise<void> {
    const labels = { table: this.label };
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
    const rows = this.build({ key, state, sources, token });
    const rejected = [...rows.refused];
    for (const insert of rows.inserts) {
      lease.assertHeld();
      const outcome = await insertRows(insert.target, insert.rows, insert.token, options.signal);
      rejected.push(...outcome.rejected);
    }
    const handedOver = oncePerTable(rejected);
    if (handedOver.length > 0) {
      for (const r of handedOver) this.metrics.rowsRejected.inc({ table: tableLabel(r.error.table) });
      await options.onRejected(handedOver);
      result.rejected.push(...handedOver);
    }
    await this.store.confirm(key, lease.writer, state.version, state, options.signal);
    lease.state = { ...state, status: 'done' };
    const rowAction = action.kind === 'replay' ? 'replayed' : 'inserted';
    this.metrics.rows.inc({ ...labels, action: rowAction }, sources.length);
    this.metrics.timestampsReplaced.inc(labels, rows.timestampsReplaced);
    result.timestampsReplaced += rows.timestampsReplaced;
    if (action.kind === 'replay') result.replayedRows += sources.length;
    else result.insertedRows += sources.length;
    result.ranges.push({ kind: action.kind, firstOffset: state.first.toString(), lastOffset: state.last.toString(), rows: sources.length, token, version: state.version });
  }
}

/** `db.table` → `table`, the label value of the per-table metrics. */
function tableLabel(qualified: string): string {
  const dot = qualified.indexOf('.');
  return dot < 0 ? qualified : qualified.slice(dot + 1);
}

/** Refusals with one entry per (record, table): a histogram's classic rows are refused together. */
function oncePerTable<S extends { offset: string; index: number }>(rejected: ReadonlyArray<RejectedRow<S>>): Array<RejectedRow<S>> {
  const seen = new Set<string>();
  return rejected.filter((r) => {
    const id = `${r.source.offset}\u0000${r.source.index}\u0000${r.error.table}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
