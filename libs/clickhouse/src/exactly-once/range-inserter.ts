/**
 * Inserts the rows of one claimed range into a table under a deduplication token derived from the range.
 * Transient failures are retried with capped, jittered backoff, a bounded number of times, then thrown (the
 * caller keeps its offsets and tries the batch again later). Rows ClickHouse refuses deterministically are
 * isolated by bisection: each half goes in under a token derived from the range's (`<token>|<path>`), so a
 * replay of the range, which fails and splits the same way, completes and deduplicates the very same
 * sub-inserts. The refused rows come back to the caller, which must dead-letter them before the range is
 * confirmed. `insertRows` takes any encoded JSONCompactEachRow body; `insertRange` is the logs table's.
 */
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import type { ClickHouseConfig } from '../clickhouse.config';
import type { BatchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { ClickHouseInsertError, classifyInsertError, clickHouseErrorCode, insertRetryDelayMs } from '../batch-inserter/insert-error';
import { LOG_INSERT_COLUMNS, logInsertRows, maxPartitionsPerInsert, type LogRowSource, type TimestampWindow } from '../tables/log-insert-body';

export interface RangeInsertTarget {
  client: ClickHouseClient;
  config: ClickHouseConfig;
  /** `db.table` as it appears in tokens and errors. */
  tableName: string;
  quotedTable: string;
  /** Label value of the metrics. */
  table: string;
  metrics: BatchInserterMetrics;
}

/** A table and the statement shape of its inserts. */
export interface TableInsertTarget extends RangeInsertTarget {
  /** Insert columns in body order (names with a dot, Nested subcolumns, back-quoted). */
  columns: readonly string[];
  /** `max_partitions_per_insert_block` of the statement; null leaves the server's setting. */
  maxPartitionsPerInsert: number | null;
}

/** A row refused by ClickHouse, with the reason; `source` is what the row was built from. */
export interface RejectedRow<S = LogRowSource> {
  source: S;
  error: ClickHouseInsertError;
}

/** Encoded rows and, for each row, what it was built from (several rows may share a source). */
export interface EncodedRows<S> {
  sources: readonly S[];
  body: Buffer;
  ends: Uint32Array;
}

export interface RowsInsertOutcome<S> {
  /** Rows ClickHouse accepted (or dropped as repeats of an earlier try). */
  insertedRows: number;
  rejected: Array<RejectedRow<S>>;
  /** INSERT statements sent, retries included. */
  statements: number;
}

export interface RangeInsertOutcome extends RowsInsertOutcome<LogRowSource> {
  /** Rows whose timestamp fell outside the window and was replaced. */
  timestampsReplaced: number;
}

/** Rows `[from, to)` of `rows`, as a slice of its body. */
interface RowRun<S> {
  rows: EncodedRows<S>;
  from: number;
  to: number;
}

function runBody<S>(run: RowRun<S>): Buffer {
  const start = run.from === 0 ? 0 : (run.rows.ends[run.from - 1] as number);
  return run.rows.body.subarray(start, run.rows.ends[run.to - 1]);
}

/** Log records of one range into the logs table (columns `LOG_INSERT_COLUMNS`, the TTL's partition limit). */
export async function insertRange(
  target: RangeInsertTarget,
  sources: readonly LogRowSource[],
  topic: string,
  partition: number,
  token: string,
  window: TimestampWindow,
  signal: AbortSignal | undefined,
): Promise<RangeInsertOutcome> {
  const encoded = logInsertRows(sources, topic, partition, window);
  const table: TableInsertTarget = { ...target, columns: LOG_INSERT_COLUMNS, maxPartitionsPerInsert: maxPartitionsPerInsert(target.config.logsTtlDays) };
  const outcome = await insertRows(table, { sources, body: encoded.body, ends: encoded.ends }, token, signal);
  return { ...outcome, timestampsReplaced: encoded.replaced };
}

/** Inserts `rows` under `token`, isolating refused rows by bisection; see the module comment. */
export async function insertRows<S>(target: TableInsertTarget, rows: EncodedRows<S>, token: string, signal: AbortSignal | undefined): Promise<RowsInsertOutcome<S>> {
  const outcome: RowsInsertOutcome<S> = { insertedRows: 0, rejected: [], statements: 0 };
  if (rows.sources.length === 0) return outcome;
  await insertIsolating(target, { rows, from: 0, to: rows.sources.length }, token, outcome, signal);
  return outcome;
}

async function insertIsolating<S>(target: TableInsertTarget, run: RowRun<S>, token: string, outcome: RowsInsertOutcome<S>, signal: AbortSignal | undefined): Promise<void> {
  const count = run.to - run.from;
  const refused = await insertWithRetries(target, runBody(run), count, token, outcome, signal);
  if (refused === null) {
    outcome.insertedRows += count;
    return;
  }
  const only = run.rows.sources[run.from];
  if (count === 1 && only !== undefined) {
    outcome.rejected.push({ source: only, error: refused });
    return;
  }
  const middle = run.from + Math.ceil(count / 2);
  await insertIsolating(target, { rows: run.rows, from: run.from, to: middle }, `${token}|a`, outcome, signal);
  await insertIsolating(target, { rows: run.rows, from: middle, to: run.to }, `${token}|b`, outcome, signal);
}

/** Resolves null once inserted, or the error when ClickHouse refused the rows as data. */
async function insertWithRetries<S>(
  target: TableInsertTarget,
  body: Buffer,
  rowCount: number,
  token: string,
  outcome: RowsInsertOutcome<S>,
  signal: AbortSignal | undefined,
): Promise<ClickHouseInsertError | null> {
  const { config, metrics } = target;
  const labels = { table: target.table };
  // Settings go in the statement, not in `clickhouse_settings`: on embedded chDB those become session SETs,
  // which a concurrent statement of the same session (another partition's insert) could overwrite between
  // the SET and the INSERT, and an insert under someone else's token would be dropped as a duplicate.
  const partitions = target.maxPartitionsPerInsert === null ? '' : `, max_partitions_per_insert_block = ${target.maxPartitionsPerInsert}`;
  const query = `INSERT INTO ${target.quotedTable} (${target.columns.join(', ')}) SETTINGS insert_deduplication_token = ${sqlString(token)}${partitions} FORMAT JSONCompactEachRow`;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    outcome.statements++;
    const stopTimer = metrics.duration.startTimer(labels);
    try {
      const result = await target.client.exec({ query, values: Readable.from([body]), abort_signal: signal });
      // Read the (empty) answer to its end, so that an HTTP connection goes back to the pool.
      result.stream.resume();
      await finished(result.stream);
      stopTimer();
      metrics.rowsInserted.inc(labels, rowCount);
      metrics.batches.inc({ ...labels, outcome: 'inserted' });
      return null;
    } catch (err: unknown) {
      stopTimer();
      if (signal?.aborted) throw err;
      const kind = classifyInsertError(err);
      const failure = new ClickHouseInsertError(kind, target.tableName, token, attempt, clickHouseErrorCode(err), err);
      if (kind === 'data') {
        metrics.batches.inc({ ...labels, outcome: 'rejected' });
        return failure;
      }
      if (kind === 'fatal' || attempt >= config.insertMaxAttempts) {
        metrics.batches.inc({ ...labels, outcome: 'failed' });
        throw failure;
      }
      metrics.retries.inc(labels);
      await sleep(insertRetryDelayMs(config, attempt), undefined, { signal });
    }
  }
}

/** A ClickHouse string literal. */
function sqlString(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
