/**
 * Writes a batch of rows tagged with their Kafka coordinates into one table, effectively once: the batch is cut
 * into per-partition chunks (see insert-plan.ts), and each chunk is inserted with an `insert_deduplication_token`
 * derived from its table, topic, partition and offset range, so a chunk redelivered after a crash writes
 * nothing new. Transient errors are retried with capped, jittered exponential backoff; a chunk ClickHouse
 * refuses as bad data is bisected down to the offending rows, which are handed back for dead-lettering while
 * the rest is written; any other failure throws, and the caller must not commit its offsets.
 *
 * On embedded chDB `clickhouse_settings` become session `SET`s that outlive the query, so every insert here
 * sets its own token; other writers to a deduplicating table through the same client must do the same.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import type { Registry } from 'prom-client';
import { isEmbeddedClickHouse, type ClickHouseConfig } from '../clickhouse.config';
import { assertSqlIdentifier, qualifiedTable } from '../sql-identifier';
import { batchInserterMetrics, type BatchInserterMetrics } from './batch-inserter.metrics';
import { ClickHouseInsertError, classifyInsertError, clickHouseErrorCode, insertRetryDelayMs } from './insert-error';
import { makeChunk, planInsertChunks, rowBytes, type InsertChunk, type TaggedRow } from './insert-plan';

export interface BatchInserterOptions {
  client: ClickHouseClient;
  /** Supplies the database, batch limits, retry policy, and whether the backend reports written rows. */
  config: ClickHouseConfig;
  /** Unqualified table name inside `config.database`, e.g. `config.tables.logs`. */
  table: string;
  /** Registry the inserter's metrics are registered into (shared across inserters). */
  registry: Registry;
}

/** What happened to one INSERT (one chunk of one partition). */
export interface ChunkInsertResult {
  topic: string;
  partition: number;
  /** First and last offsets in the chunk, as decimal strings (log-friendly). */
  firstOffset: string;
  lastOffset: string;
  rows: number;
  token: string;
  attempts: number;
  outcome: 'inserted' | 'rejected';
  /** Rows the server says it wrote (0 when the token was a duplicate); null on embedded chDB, which does not say. */
  writtenRows: number | null;
  /** True when the server dropped the chunk as a repeat; null when unknown (embedded chDB). */
  deduplicated: boolean | null;
  /** Why ClickHouse refused the rows (outcome `rejected` only). */
  error?: ClickHouseInsertError;
}

export interface BatchInsertResult<R> {
  table: string;
  /** Rows acknowledged by ClickHouse (duplicates it dropped included). */
  insertedRows: number;
  /** Rows refused as bad data, with their coordinates, for the caller to dead-letter. */
  rejected: Array<TaggedRow<R>>;
  chunks: ChunkInsertResult[];
}

export interface InsertOptions {
  /** Aborts the backoff between retries (shutdown); the insert then throws. */
  signal?: AbortSignal;
}

export class BatchInserter<R extends object> {
  private readonly client: ClickHouseClient;
  private readonly config: ClickHouseConfig;
  private readonly table: string;
  /** `db.table` without quotes, as it appears in tokens and messages. */
  private readonly tableName: string;
  private readonly quotedTable: string;
  private readonly metrics: BatchInserterMetrics;
  private readonly reportsWrittenRows: boolean;

  constructor(options: BatchInserterOptions) {
    assertSqlIdentifier(options.table, 'table');
    this.client = options.client;
    this.config = options.config;
    this.table = options.table;
    this.tableName = `${options.config.database}.${options.table}`;
    this.quotedTable = qualifiedTable(options.config.database, options.table);
    this.metrics = batchInserterMetrics(options.registry);
    // chDB's connection reports written_rows 0 for every insert, which would read as "all deduplicated".
    this.reportsWrittenRows = !isEmbeddedClickHouse(options.config);
  }

  /**
   * Inserts `rows`; resolves once every chunk is either acknowledged or refused as bad data (see `rejected`).
   * Throws `ClickHouseInsertError` on a fatal error or when retries are exhausted.
   */
  async insert(rows: ReadonlyArray<TaggedRow<R>>, options: InsertOptions = {}): Promise<BatchInsertResult<R>> {
    const result: BatchInsertResult<R> = { table: this.tableName, insertedRows: 0, rejected: [], chunks: [] };
    const limits = { maxRows: this.config.maxBatchRows, maxBytes: this.config.maxBatchBytes };
    for (const chunk of planInsertChunks(this.tableName, rows, limits)) {
      await this.insertIsolatingBadRows(chunk, result, options.signal);
    }
    return result;
  }

  /** Inserts a chunk; on a data error splits it in halves (deterministically) until the bad rows stand alone. */
  private async insertIsolatingBadRows(chunk: InsertChunk<R>, result: BatchInsertResult<R>, signal: AbortSignal | undefined): Promise<void> {
    const outcome = await this.insertChunk(chunk, signal);
    if (outcome.outcome === 'inserted') {
      result.insertedRows += outcome.rows;
      result.chunks.push(outcome);
      return;
    }
    if (chunk.rows.length === 1) {
      result.rejected.push(...chunk.rows);
      result.chunks.push(outcome);
      return;
    }
    const middle = Math.ceil(chunk.rows.length / 2);
    for (const half of [chunk.rows.slice(0, middle), chunk.rows.slice(middle)]) {
      const bytes = half.reduce((sum, r) => sum + rowBytes(r.row), 0);
      await this.insertIsolatingBadRows(makeChunk(this.tableName, half, bytes), result, signal);
    }
  }

  private async insertChunk(chunk: InsertChunk<R>, signal: AbortSignal | undefined): Promise<ChunkInsertResult> {
    const base = {
      topic: chunk.topic,
      partition: chunk.partition,
      firstOffset: chunk.firstOffset.toString(),
      lastOffset: chunk.lastOffset.toString(),
      rows: chunk.rows.length,
      token: chunk.token,
    };
    const labels = { table: this.table };
    for (let attempt = 1; ; attempt++) {
      const stopTimer = this.metrics.duration.startTimer(labels);
      try {
        const response = await this.client.insert({
          table: this.quotedTable,
          values: chunk.rows.map((r) => r.row),
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: chunk.token, input_format_defaults_for_omitted_fields: 1 },
        });
        stopTimer();
        const writtenRows = this.reportsWrittenRows && response.summary !== undefined ? Number(response.summary.written_rows) : null;
        const deduplicated = writtenRows === null ? null : writtenRows === 0;
        this.metrics.rowsInserted.inc(labels, chunk.rows.length);
        if (deduplicated === true) this.metrics.rowsDeduplicated.inc(labels, chunk.rows.length);
        this.metrics.batches.inc({ ...labels, outcome: 'inserted' });
        return { ...base, attempts: attempt, outcome: 'inserted', writtenRows, deduplicated };
      } catch (err: unknown) {
        stopTimer();
        const kind = classifyInsertError(err);
        const failure = new ClickHouseInsertError(kind, this.tableName, chunk.token, attempt, clickHouseErrorCode(err), err);
        if (kind === 'data') {
          this.metrics.batches.inc({ ...labels, outcome: 'rejected' });
          return { ...base, attempts: attempt, outcome: 'rejected', writtenRows: null, deduplicated: null, error: failure };
        }
        if (kind === 'fatal' || attempt >= this.config.insertMaxAttempts) {
          this.metrics.batches.inc({ ...labels, outcome: 'failed' });
          throw failure;
        }
        this.metrics.retries.inc(labels);
        await sleep(insertRetryDelayMs(this.config, attempt), undefined, { signal });
      }
    }
  }
}
