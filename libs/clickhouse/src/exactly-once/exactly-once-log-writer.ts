/**
 * The exactly-once writer of log records into `otel_logs` (see exactly-once-writer.ts for the range and
 * lease logic): each range is one insert of its records under the range's own token, with event times
 * outside the range's window (its stored reference time ± retention and tolerance) replaced and flagged, so
 * a replay clamps exactly as the first try did.
 */
import type { LogRecord } from '@sextant/contracts';
import { batchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { assertSqlIdentifier, qualifiedTable } from '../sql-identifier';
import { LOG_INSERT_COLUMNS, logInsertRows, maxPartitionsPerInsert, timestampWindow } from '../tables/log-insert-body';
import { ExactlyOnceWriter, type ExactlyOnceWriterOptions, type PrepareOptions, type RangeRowsBuilder, type WriteOptions } from './exactly-once-writer';
import type { TableInsertTarget } from './range-inserter';

export type ExactlyOnceLogWriterOptions = ExactlyOnceWriterOptions;
export type { PrepareOptions, WriteOptions };

export class ExactlyOnceLogWriter extends ExactlyOnceWriter<LogRecord> {
  constructor(options: ExactlyOnceLogWriterOptions) {
    const { client, config, registry } = options;
    assertSqlIdentifier(config.tables.logs, 'tables.logs');
    const target: TableInsertTarget = {
      client,
      config,
      tableName: `${config.database}.${config.tables.logs}`,
      quotedTable: qualifiedTable(config.database, config.tables.logs),
      table: config.tables.logs,
      metrics: batchInserterMetrics(registry),
      columns: LOG_INSERT_COLUMNS,
      maxPartitionsPerInsert: maxPartitionsPerInsert(config.logsTtlDays),
    };
    const build: RangeRowsBuilder<LogRecord> = ({ key, state, sources, token }) => {
      const window = timestampWindow(state.referenceTimeNs, config.logsTtlDays, config.timestampFutureToleranceSeconds);
      const encoded = logInsertRows(sources, key.topic, key.partition, window);
      return { inserts: [{ target, rows: { sources, body: encoded.body, ends: encoded.ends }, token }], refused: [], timestampsReplaced: encoded.replaced };
    };
    super(options, config.tables.logs, build);
  }
}
