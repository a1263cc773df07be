/**
 * The exactly-once writers of metrics (range and lease logic in exactly-once-writer.ts). A range of
 * `MetricSample`s becomes inserts into the samples, series, native-histogram and `otel_metrics_*` tables; a
 * range of `MetricRollup`s, inserts into the table of each rollup's resolution. Every insert's token is
 * `<range token>|<db.table>|<part>`: one per (range, table, part), the same on every replay. A table's rows
 * beyond `maxBatchRows` are cut into parts of that size in row order (a histogram's classic series multiply a
 * range's records). A rollup whose window matches no configured resolution is refused (dead-lettered).
 */
import type { MetricRollup, MetricSample } from '@sextant/contracts';
import { batchInserterMetrics, type BatchInserterMetrics } from '../batch-inserter/batch-inserter.metrics';
import { ClickHouseInsertError } from '../batch-inserter/insert-error';
import type { ClickHouseConfig } from '../clickhouse.config';
import { rollupTableName } from '../metrics-storage.config';
import { qualifiedTable } from '../sql-identifier';
import { JsonRowsBody } from '../tables/json-rows-body';
import { METRIC_ROLLUP_INSERT_COLUMNS } from '../tables/metric-rollups.table';
import { metricRollupRow, metricSampleRows, type MetricRowCoordinates, type MetricSeriesRow } from '../tables/metric-rows';
import { METRIC_SAMPLE_INSERT_COLUMNS, METRIC_SERIES_INSERT_COLUMNS, NATIVE_HISTOGRAM_INSERT_COLUMNS } from '../tables/metric-samples.table';
import { OTEL_METRIC_INSERT_COLUMNS, type OtelMetricTableKind } from '../tables/otel-metrics.table';
import { ExactlyOnceWriter, type ExactlyOnceWriterOptions, type RangeInsert, type RangeRowsBuilder } from './exactly-once-writer';
import type { OrderedSource } from './log-write-lease';
import type { RejectedRow, TableInsertTarget } from './range-inserter';

/** Rows gathered for one table of a range, each with the record it came from. */
class TableRows<R> {
  readonly values: unknown[][] = [];
  readonly sources: Array<OrderedSource<R>> = [];
  constructor(readonly target: TableInsertTarget) {}

  add(values: unknown[], source: OrderedSource<R>): void {
    this.values.push(values);
    this.sources.push(source);
  }

  /** The table's inserts: parts of at most `maxRows` rows, tokens `<token>|<db.table>|<part>`. */
  inserts(token: string, maxRows: number): Array<RangeInsert<R>> {
    const out: Array<RangeInsert<R>> = [];
    for (let from = 0, part = 0; from < this.values.length; from += maxRows, part++) {
      const to = Math.min(this.values.length, from + maxRows);
      const body = new JsonRowsBody((to - from) * 256);
      for (let i = from; i < to; i++) body.push(this.values[i] as unknown[]);
      out.push({ target: this.target, rows: { sources: this.sources.slice(from, to), ...body.finish() }, token: `${token}|${this.target.tableName}|${part}` });
    }
    return out;
  }
}

function tableTarget(options: ExactlyOnceWriterOptions, metrics: BatchInserterMetrics, table: string, columns: readonly string[]): TableInsertTarget {
  const { client, config } = options;
  return { client, config, tableName: `${config.database}.${table}`, quotedTable: qualifiedTable(config.database, table), table, metrics, columns, maxPartitionsPerInsert: null };
}

function coordinates<R>(key: { topic: string; partition: number }, source: OrderedSource<R>): MetricRowCoordinates {
  return { topic: key.topic, partition: key.partition, offset: source.offset, index: source.index };
}

/** Writes `ingest.metrics` samples; the partition state is kept under the samples table's name. */
export class ExactlyOnceMetricSampleWriter extends ExactlyOnceWriter<MetricSample> {
  constructor(options: ExactlyOnceWriterOptions) {
    const { config } = options;
    const t = config.metrics.tables;
    const metrics = batchInserterMetrics(options.registry);
    const target = (table: string, columns: readonly string[]): TableInsertTarget => tableTarget(options, metrics, table, columns);
    const samples = target(t.samples, METRIC_SAMPLE_INSERT_COLUMNS);
    const series = target(t.series, METRIC_SERIES_INSERT_COLUMNS);
    const native = target(t.nativeHistograms, NATIVE_HISTOGRAM_INSERT_COLUMNS);
    const otel: Record<OtelMetricTableKind, TableInsertTarget> = {
      gauge: target(t.gauge, OTEL_METRIC_INSERT_COLUMNS.gauge),
      sum: target(t.sum, OTEL_METRIC_INSERT_COLUMNS.sum),
      histogram: target(t.histogram, OTEL_METRIC_INSERT_COLUMNS.histogram),
      expHistogram: target(t.expHistogram, OTEL_METRIC_INSERT_COLUMNS.expHistogram),
      summary: target(t.summary, OTEL_METRIC_INSERT_COLUMNS.summary),
    };
    const build: RangeRowsBuilder<MetricSample> = ({ key, sources, token }) => {
      const tables = new Map<TableInsertTarget, TableRows<MetricSample>>();
      const rowsOf = (tableTarget: TableInsertTarget): TableRows<MetricSample> => {
        let rows = tables.get(tableTarget);
        if (rows === undefined) tables.set(tableTarget, (rows = new TableRows(tableTarget)));
        return rows;
      };
      // One series row per (series, day) in a range: the latest, as the ReplacingMergeTree would keep.
      const latestSeries = new Map<string, { row: MetricSeriesRow; source: OrderedSource<MetricSample> }>();
      for (const source of sources) {
        const rows = metricSampleRows(source.record, coordinates(key, source), { otelSources: config.metrics.otelSources });
        for (const values of rows.samples) rowsOf(samples).add(values, source);
        for (const row of rows.series) {
          const id = `${row.seriesKey}\u0000${row.day}`;
          const seen = latestSeries.get(id);
          if (seen === undefined || row.timeUnixNano >= seen.row.timeUnixNano) latestSeries.set(id, { row, source });
        }
        if (rows.nativeHistogram !== null) rowsOf(native).add(rows.nativeHistogram, source);
        if (rows.otel !== null) rowsOf(otel[rows.otel.kind]).add(rows.otel.values, source);
      }
      for (const { row, source } of latestSeries.values()) rowsOf(series).add(row.values, source);
      const inserts = [...tables.values()].flatMap((rows) => rows.inserts(token, config.maxBatchRows));
      return { inserts, refused: [], timestampsReplaced: 0 };
    };
    super(options, t.samples, build);
  }
}

/** Writes `metrics.rollups`; the partition state is kept under the rollup tables' prefix. */
export class ExactlyOnceMetricRollupWriter extends ExactlyOnceWriter<MetricRollup> {
  constructor(options: ExactlyOnceWriterOptions) {
    const { config } = options;
    const metrics = batchInserterMetrics(options.registry);
    const byResolution = new Map(
      config.metrics.rollups.map((r) => [r.resolutionSeconds, tableTarget(options, metrics, rollupTableName(config.metrics.tables, r.resolutionSeconds), METRIC_ROLLUP_INSERT_COLUMNS)]),
    );
    const build: RangeRowsBuilder<MetricRollup> = ({ key, sources, token }) => {
      const tables = new Map<TableInsertTarget, TableRows<MetricRollup>>();
      const refused: Array<RejectedRow<OrderedSource<MetricRollup>>> = [];
      for (const source of sources) {
        const row = metricRollupRow(source.record, coordinates(key, source));
        const target = row.resolutionSeconds === null ? undefined : byResolution.get(row.resolutionSeconds);
        if (target === undefined) {
          refused.push({ source, error: unknownResolution(config, token, source.record) });
          continue;
        }
        let rows = tables.get(target);
        if (rows === undefined) tables.set(target, (rows = new TableRows(target)));
        rows.add(row.values, source);
      }
      const inserts = [...tables.values()].flatMap((rows) => rows.inserts(token, config.maxBatchRows));
      return { inserts, refused, timestampsReplaced: 0 };
    };
    super(options, config.metrics.tables.rollupsPrefix, build);
  }
}

function unknownResolution(config: ClickHouseConfig, token: string, rollup: MetricRollup): ClickHouseInsertError {
  const nanos = rollup.windowEndUnixNano - rollup.windowStartUnixNano;
  const known = config.metrics.rollups.map((r) => `${r.resolutionSeconds}s`).join(', ') || 'none';
  const cause = new Error(`no rollup table for a window of ${nanos} ns (configured resolutions: ${known})`);
  return new ClickHouseInsertError('data', `${config.database}.${config.metrics.tables.rollupsPrefix}`, token, 0, undefined, cause);
}
