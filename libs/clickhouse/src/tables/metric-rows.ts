/**
 * Pure mappings from the metric records on Kafka to the rows of the metric tables, as JSONCompactEachRow
 * values in each table's insert-column order. A `MetricSample` becomes its Prometheus classic samples (one
 * for a gauge or sum; cumulative `_bucket{le}` incl. `+Inf`, `_sum` and `_count` for a histogram; one per
 * `{quantile}` plus `_sum` and `_count` for a summary; `_sum` and `_count` plus a native-histogram row for an
 * exponential histogram), a series row for each of those series, and, for OTLP sources, the exporter-shaped
 * `otel_metrics_*` row. A `MetricRollup` becomes one row of its resolution's table. No clock, no randomness: a
 * replayed range must build the very same rows. Floats keep NaN and ±Inf (sent as ClickHouse's `nan`, `inf`),
 * 64-bit counts go as decimal strings, nanosecond times exactly.
 */
import { seriesKey, type MetricRollup, type MetricSample, type MetricType } from '@sextant/contracts';
import { formatDateTime64Nanos } from './otel-logs.table';
import type { OtelMetricTableKind } from './otel-metrics.table';

/** Where a record came from: the Kafka message and its position in the message's envelope (-1: alone). */
export interface MetricRowCoordinates {
  topic: string;
  partition: number;
  offset: string;
  index: number;
}

/** A series row, with what identifies it within one insert (key and UTC day) and its time. */
export interface MetricSeriesRow {
  seriesKey: string;
  day: string;
  timeUnixNano: bigint;
  values: unknown[];
}

export interface MetricSampleRows {
  /** `METRIC_SAMPLE_INSERT_COLUMNS` rows, one per classic series. */
  samples: unknown[][];
  /** `METRIC_SERIES_INSERT_COLUMNS` rows, one per classic series (and the native series of an exponential histogram). */
  series: MetricSeriesRow[];
  /** `NATIVE_HISTOGRAM_INSERT_COLUMNS` row of an exponential histogram, else null. */
  nativeHistogram: unknown[] | null;
  /** The `otel_metrics_*` row when the sample's source is an OTLP one, else null. */
  otel: { kind: OtelMetricTableKind; values: unknown[] } | null;
}

export interface MetricSampleRowsOptions {
  /** Sources whose samples also fill the `otel_metrics_*` tables. */
  otelSources: readonly string[];
}

/** A float as JSONCompactEachRow carries it to ClickHouse: NaN and ±Inf as `nan`, `inf`, `-inf`. */
export function jsonFloat(value: number): number | string {
  // JSON.stringify(-0) is "0": the sign of a negative zero goes as text, as nan and inf do.
  if (Object.is(value, -0)) return '-0';
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/** A bound or quantile as a Prometheus label value: `0.5`, `1`, `+Inf`. */
export function promFloatLabel(value: number): string {
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

/**
 * The Prometheus labels of a sample's series (without `__name__`), sorted: its attributes plus the `job` and
 * `instance` labels derived from the resource, exactly as `metricSeriesKey()` of @sextant/contracts derives
 * them, so `seriesKey(tenant, name, labels)` equals it.
 */
export function metricSeriesLabels(sample: Pick<MetricSample, 'attributes' | 'resource'>): Record<string, string> {
  const { attributes, resource } = sample;
  const labels: Record<string, string> = { ...attributes };
  const service = resource['service.name'];
  const namespace = resource['service.namespace'];
  const instance = resource['service.instance.id'];
  if (service !== undefined && !('job' in attributes)) labels['job'] = namespace ? `${namespace}/${service}` : service;
  if (instance !== undefined && !('instance' in attributes)) labels['instance'] = instance;
  return sortedLabels(labels);
}

function sortedLabels(labels: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(labels).filter((n) => n !== '__name__').sort()) out[name] = labels[name] as string;
  return out;
}

/** Prometheus metadata type of a sample's metric family. */
export function prometheusType(sample: Pick<MetricSample, 'type' | 'isMonotonic'>): string {
  const types: Record<MetricType, string> = { GAUGE: 'gauge', SUM: sample.isMonotonic ? 'counter' : 'gauge', HISTOGRAM: 'histogram', EXPONENTIAL_HISTOGRAM: 'histogram', SUMMARY: 'summary' };
  return types[sample.type];
}

const TEMPORALITY: Record<MetricSample['temporality'], number> = { UNSPECIFIED: 0, DELTA: 1, CUMULATIVE: 2 };

/** One classic series of a sample: its name, labels and value at the sample's time. */
interface ClassicPoint {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function classicPoints(sample: MetricSample, labels: Record<string, string>): ClassicPoint[] {
  const { name } = sample;
  const totals = (sum: number, count: bigint): ClassicPoint[] => [
    { name: `${name}_sum`, labels, value: sum },
    { name: `${name}_count`, labels, value: Number(count) },
  ];
  switch (sample.type) {
    case 'GAUGE':
    case 'SUM':
      return [{ name, labels, value: sample.value }];
    case 'HISTOGRAM': {
      const h = sample.histogram;
      if (h === null) return totals(sample.value, 0n);
      const points: ClassicPoint[] = [];
      if (h.bucketCounts.length > 0) {
        // Buckets are per-bucket counts on Kafka; Prometheus' le-buckets are cumulative and end at +Inf.
        let cumulative = 0n;
        h.explicitBounds.forEach((bound, i) => {
          cumulative += h.bucketCounts[i] ?? 0n;
          points.push({ name: `${name}_bucket`, labels: sortedLabels({ ...labels, le: promFloatLabel(bound) }), value: Number(cumulative) });
        });
        for (let i = h.explicitBounds.length; i < h.bucketCounts.length; i++) cumulative += h.bucketCounts[i] ?? 0n;
        points.push({ name: `${name}_bucket`, labels: sortedLabels({ ...labels, le: '+Inf' }), value: Number(cumulative) });
      }
      return [...points, ...totals(h.sum, h.count)];
    }
    case 'SUMMARY': {
      const s = sample.summary;
      if (s === null) return totals(sample.value, 0n);
      const quantiles = s.quantiles.map((q) => ({ name, labels: sortedLabels({ ...labels, quantile: promFloatLabel(q.quantile) }), value: q.value }));
      return [...quantiles, ...totals(s.sum, s.count)];
    }
    case 'EXPONENTIAL_HISTOGRAM': {
      const e = sample.exponentialHistogram;
      return e === null ? totals(sample.value, 0n) : totals(e.sum, e.count);
    }
  }
}

/** The rows of every metric table for one sample; see the module comment. */
export function metricSampleRows(sample: MetricSample, coordinates: MetricRowCoordinates, options: MetricSampleRowsOptions): MetricSampleRows {
  const labels = metricSeriesLabels(sample);
  const time = formatDateTime64Nanos(sample.timeUnixNano);
  const day = utcDay(sample.timeUnixNano);
  const type = prometheusType(sample);
  const flags = sample.flags >>> 0;
  const samples: unknown[][] = [];
  const series: MetricSeriesRow[] = [];
  const addSeries = (name: string, seriesLabels: Record<string, string>): string => {
    const key = seriesKey(sample.tenant, name, seriesLabels);
    series.push({ seriesKey: key, day, timeUnixNano: sample.timeUnixNano, values: [sample.tenant, name, key, seriesLabels, type, sample.unit, sample.description, sample.serviceName, time] });
    return key;
  };
  for (const point of classicPoints(sample, labels)) {
    const key = addSeries(point.name, point.labels);
    samples.push([sample.tenant, point.name, key, time, jsonFloat(point.value), flags]);
  }
  let nativeHistogram: unknown[] | null = null;
  const e = sample.exponentialHistogram;
  if (sample.type === 'EXPONENTIAL_HISTOGRAM' && e !== null) {
    const key = addSeries(sample.name, labels);
    nativeHistogram = [
      sample.tenant, sample.name, key, formatDateTime64Nanos(sample.startTimeUnixNano), time, TEMPORALITY[sample.temporality], e.count.toString(),
      jsonFloat(e.sum), nullableFloat(e.min), nullableFloat(e.max), e.scale, e.zeroCount.toString(), jsonFloat(e.zeroThreshold), e.positive.offset,
      counts(e.positive.bucketCounts), e.negative.offset, counts(e.negative.bucketCounts), flags,
    ];
  }
  const otel = options.otelSources.includes(sample.source) ? otelRow(sample, coordinates) : null;
  return { samples, series, nativeHistogram, otel };
}

function otelRow(sample: MetricSample, c: MetricRowCoordinates): { kind: OtelMetricTableKind; values: unknown[] } | null {
  const head = [
    sample.resource, '', sample.scopeName, sample.scopeVersion, {}, 0, '', sample.serviceName, sample.name, sample.description, sample.unit,
    sample.attributes, formatDateTime64Nanos(sample.startTimeUnixNano), formatDateTime64Nanos(sample.timeUnixNano),
  ];
  const exemplars = [
    sample.exemplars.map((x) => x.filteredAttributes), sample.exemplars.map((x) => formatDateTime64Nanos(x.timeUnixNano)),
    sample.exemplars.map((x) => jsonFloat(x.value)), sample.exemplars.map((x) => x.spanId), sample.exemplars.map((x) => x.traceId),
  ];
  const tail = [sample.tenant, c.topic, c.partition, c.offset, c.index];
  const flags = sample.flags >>> 0;
  const temporality = TEMPORALITY[sample.temporality];
  switch (sample.type) {
    case 'GAUGE':
      return { kind: 'gauge', values: [...head, jsonFloat(sample.value), flags, ...exemplars, ...tail] };
    case 'SUM':
      return { kind: 'sum', values: [...head, jsonFloat(sample.value), flags, ...exemplars, temporality, sample.isMonotonic, ...tail] };
    case 'HISTOGRAM': {
      const h = sample.histogram;
      if (h === null) return null;
      // The exporter's Min/Max are plain Float64: an unreported one is 0, as the exporter writes it.
      const values = [...head, h.count.toString(), jsonFloat(h.sum), counts(h.bucketCounts), h.explicitBounds.map(jsonFloat), ...exemplars, flags, jsonFloat(h.min ?? 0), jsonFloat(h.max ?? 0), temporality, ...tail];
      return { kind: 'histogram', values };
    }
    case 'EXPONENTIAL_HISTOGRAM': {
      const e = sample.exponentialHistogram;
      if (e === null) return null;
      const values = [
        ...head, e.count.toString(), jsonFloat(e.sum), e.scale, e.zeroCount.toString(), e.positive.offset, counts(e.positive.bucketCounts), e.negative.offset,
        counts(e.negative.bucketCounts), ...exemplars, flags, jsonFloat(e.min ?? 0), jsonFloat(e.max ?? 0), temporality, ...tail,
      ];
      return { kind: 'expHistogram', values };
    }
    case 'SUMMARY': {
      const s = sample.summary;
      if (s === null) return null;
      const values = [...head, s.count.toString(), jsonFloat(s.sum), s.quantiles.map((q) => jsonFloat(q.quantile)), s.quantiles.map((q) => jsonFloat(q.value)), flags, ...tail];
      return { kind: 'summary', values };
    }
  }
}

/** The rollup's row (`METRIC_ROLLUP_INSERT_COLUMNS`) and the window length that picks its table (null: not whole seconds). */
export function metricRollupRow(rollup: MetricRollup, c: MetricRowCoordinates): { resolutionSeconds: number | null; values: unknown[] } {
  const length = rollup.windowEndUnixNano - rollup.windowStartUnixNano;
  const resolutionSeconds = length > 0n && length % NANOS_PER_SECOND === 0n ? Number(length / NANOS_PER_SECOND) : null;
  const h = rollup.histogram;
  const e = rollup.exponentialHistogram;
  const values = [
    rollup.tenant, rollup.name, rollup.seriesKey, sortedLabels(rollup.labels), rollup.serviceName, rollup.unit,
    formatDateTime64Nanos(rollup.windowStartUnixNano), formatDateTime64Nanos(rollup.windowEndUnixNano), rollup.kind, rollup.count.toString(),
    jsonFloat(rollup.sum), nullableFloat(rollup.min), nullableFloat(rollup.max), jsonFloat(rollup.last), nullableFloat(rollup.increase),
    nullableFloat(rollup.rate), rollup.resets, (h?.explicitBounds ?? []).map(jsonFloat), counts(h?.bucketCounts ?? []), e?.scale ?? 0,
    (e?.zeroCount ?? 0n).toString(), jsonFloat(e?.zeroThreshold ?? 0), e?.positive.offset ?? 0, counts(e?.positive.bucketCounts ?? []),
    e?.negative.offset ?? 0, counts(e?.negative.bucketCounts ?? []), rollup.quantiles.map((q) => jsonFloat(q.quantile)),
    rollup.quantiles.map((q) => jsonFloat(q.value)), rollup.overflow, rollup.sourceTopic, rollup.revision, rollup.shard,
    c.topic, c.partition, c.offset, c.index,
  ];
  return { resolutionSeconds, values };
}

const NANOS_PER_SECOND = 1_000_000_000n;
const NANOS_PER_DAY = 86_400n * NANOS_PER_SECOND;

function utcDay(unixNano: bigint): string {
  return (unixNano / NANOS_PER_DAY).toString();
}

function nullableFloat(value: number | null): number | string | null {
  return value === null ? null : jsonFloat(value);
}

function counts(values: readonly bigint[]): string[] {
  return values.map((v) => v.toString());
}

