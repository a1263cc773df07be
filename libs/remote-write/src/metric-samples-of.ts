/**
 * Turns a decoded remote-write request into the `MetricSample`s of the ingest.metrics contract: one per float
 * sample and one per native histogram, in request order.
 *
 * - Name and attributes: `__name__`, and the other labels as they are (`job` and `instance` included);
 *   `serviceName` is the `job` label. Times: milliseconds become nanoseconds.
 * - Type, from the metric family's metadata (2.0: the series' own; 1.0: the request's metadata list, else the
 *   metadata the caller kept from earlier requests): a counter
 *   is a cumulative monotonic SUM; the `_bucket` and `_count` series of a classic histogram or summary are
 *   cumulative monotonic SUMs and its `_sum` a cumulative SUM; everything else (gauges, summary quantiles,
 *   unknown or absent metadata) is a GAUGE. Help and unit come from the same metadata.
 * - Native histograms with an exponential schema become EXPONENTIAL_HISTOGRAMs (scale = schema; Prometheus's
 *   bucket index i covers (base^(i-1), base^i], OpenTelemetry's offset i covers (base^i, base^(i+1)], so the
 *   offset is the first index minus one); custom-bucket histograms (schema -53) become HISTOGRAMs with their
 *   bounds. Gauge histograms (reset hint `gauge`) have UNSPECIFIED temporality, others CUMULATIVE. Float
 *   histograms' counts are rounded to whole numbers, as the contract's counts are integers.
 * - The staleness marker (NaN 0x7ff0000000000002, as a value or a histogram's sum) sets flags bit 0
 *   (NO_RECORDED_VALUE) and keeps NaN as the value.
 * - Exemplars go with the series' last sample (or histogram); `trace_id` and `span_id` labels become the trace
 *   and span ids when they are hex of the right length, the other labels the filtered attributes.
 */
import type { AggregationTemporality, Exemplar as SampleExemplar, MetricSample, MetricType as SampleType } from '@sextant/contracts';
import { CUSTOM_BUCKETS_SCHEMA, type BucketSpan, type Exemplar, type Label, type MetricMetadata, type NativeHistogram, type RemoteWriteRequest, type RemoteWriteSeries, type Sample } from './remote-write.model';
import { isStaleNaN } from './stale-nan';
import { METRIC_NAME_LABEL } from './validate-series-labels';

/** `MetricSample.source` of what remote write brought. */
export const REMOTE_WRITE_SOURCE = 'remote-write';
/** OpenTelemetry's NO_RECORDED_VALUE data point flag: how the contract carries a staleness marker. */
const NO_RECORDED_VALUE = 1;
const NS_PER_MS = 1_000_000n;
const COMPONENT_SUFFIXES = ['_bucket', '_count', '_sum', '_total', '_created', '_gcount', '_gsum', '_info'] as const;
const TRACE_ID = /^[0-9a-f]{32}$/;
const SPAN_ID = /^[0-9a-f]{16}$/;

interface Kind {
  type: SampleType;
  temporality: AggregationTemporality;
  isMonotonic: boolean;
}

const GAUGE: Kind = { type: 'GAUGE', temporality: 'UNSPECIFIED', isMonotonic: false };
const COUNTER: Kind = { type: 'SUM', temporality: 'CUMULATIVE', isMonotonic: true };

/** The metadata of the family a series belongs to, and the suffix that made it a component of that family. */
function familyOf(name: string, series: RemoteWriteSeries, metadataOf: (family: string) => MetricMetadata | undefined): { meta: MetricMetadata | undefined; suffix: string } {
  if (series.metadata !== undefined) return { meta: series.metadata, suffix: '' };
  const own = metadataOf(name);
  if (own !== undefined) return { meta: own, suffix: '' };
  for (const suffix of COMPONENT_SUFFIXES) {
    if (!name.endsWith(suffix)) continue;
    const meta = metadataOf(name.slice(0, -suffix.length));
    if (meta !== undefined) return { meta, suffix };
  }
  return { meta: undefined, suffix: '' };
}

function kindOf(meta: MetricMetadata | undefined, suffix: string): Kind {
  switch (meta?.type) {
    case 'counter':
      return COUNTER;
    case 'histogram':
    case 'summary':
      if (suffix === '_bucket' || suffix === '_count') return COUNTER;
      if (suffix === '_sum') return { type: 'SUM', temporality: 'CUMULATIVE', isMonotonic: false };
      return GAUGE;
    default:
      return GAUGE;
  }
}

function exemplarOf(e: Exemplar, fallbackMs: number): SampleExemplar {
  let traceId = '';
  let spanId = '';
  const filteredAttributes: Record<string, string> = {};
  for (const { name, value } of e.labels) {
    const v = value.toLowerCase();
    if (name === 'trace_id' && TRACE_ID.test(v)) traceId = v;
    else if (name === 'span_id' && SPAN_ID.test(v)) spanId = v;
    else filteredAttributes[name] = value;
  }
  return { timeUnixNano: BigInt(e.timestampMs !== 0 ? e.timestampMs : fallbackMs) * NS_PER_MS, value: e.value, traceId, spanId, filteredAttributes };
}

/** Absolute bucket counts of one side, dense from its first index: [first index, counts]. */
function denseBuckets(spans: readonly BucketSpan[], counts: readonly number[], deltas: boolean): { first: number; counts: bigint[] } {
  const out: bigint[] = [];
  let first = 0;
  let index = 0;
  let k = 0;
  let running = 0;
  for (const [i, span] of spans.entries()) {
    index += span.offset;
    if (i === 0) first = index;
    else for (let gap = out.length + first; gap < index; gap++) out.push(0n);
    for (let j = 0; j < span.length; j++, k++, index++) {
      const c = counts[k] ?? 0;
      running = deltas ? running + c : c;
      out.push(BigInt(Math.max(0, Math.round(running))));
    }
  }
  return { first, counts: out };
}

function histogramFields(h: NativeHistogram): Pick<MetricSample, 'type' | 'temporality' | 'histogram' | 'exponentialHistogram'> {
  const deltas = h.kind === 'integer';
  const positive = denseBuckets(h.positiveSpans, h.kind === 'integer' ? h.positiveDeltas : h.positiveCounts, deltas);
  const negative = denseBuckets(h.negativeSpans, h.kind === 'integer' ? h.negativeDeltas : h.negativeCounts, deltas);
  const count = BigInt(Math.round(h.count));
  const sum = isStaleNaN(h.sum) ? Number.NaN : h.sum;
  const temporality: AggregationTemporality = h.resetHint === 'gauge' ? 'UNSPECIFIED' : 'CUMULATIVE';
  if (h.schema === CUSTOM_BUCKETS_SCHEMA) {
    const bucketCounts = new Array<bigint>(h.customValues.length + 1).fill(0n);
    positive.counts.forEach((c, i) => {
      const at = positive.first + i;
      if (at >= 0 && at < bucketCounts.length) bucketCounts[at] = c;
    });
    return { type: 'HISTOGRAM', temporality, exponentialHistogram: null, histogram: { count, sum, min: null, max: null, explicitBounds: [...h.customValues], bucketCounts } };
  }
  return {
    type: 'EXPONENTIAL_HISTOGRAM',
    temporality,
    histogram: null,
    exponentialHistogram: {
      count,
      sum,
      min: null,
      max: null,
      scale: h.schema,
      zeroCount: BigInt(Math.round(h.zeroCount)),
      zeroThreshold: h.zeroThreshold,
      positive: { offset: positive.counts.length > 0 ? positive.first - 1 : 0, bucketCounts: positive.counts },
      negative: { offset: negative.counts.length > 0 ? negative.first - 1 : 0, bucketCounts: negative.counts },
    },
  };
}

/** What a series' labels give every sample of it; derived once per label array (see LabelSetCache). */
interface SeriesLabels {
  readonly name: string;
  readonly job: string;
  /** Shared by the series' samples (and, through the label set cache, across requests): frozen. */
  readonly attributes: Readonly<Record<string, string>>;
}

const SERIES_SCRATCH = Symbol('sextant.remote-write.series-scratch');

/**
 * A scratch object of the series whose samples share `attributes`, for what a consumer of the samples derives
 * from a series and would otherwise derive again for every sample and request (a series key, encoded bytes):
 * kept for as long as the series' attributes object lives (across requests while the decoder remembers the
 * label set). It hangs off the frozen attributes object metricSamplesOf gives a series, as a non-enumerable
 * symbol property: Object.keys, JSON, spreads, structuredClone and Avro encoding do not see it. Undefined for
 * any other attributes object. Whatever is kept there must say what it was derived from (tenant, name, ...),
 * since one series' attributes are shared by every tenant that sends that label set.
 */
export function seriesScratchOf(attributes: Readonly<Record<string, string>>): Record<string, unknown> | undefined {
  return (attributes as { [SERIES_SCRATCH]?: Record<string, unknown> })[SERIES_SCRATCH];
}

/** Per label array: a decoder that remembers label sets hands on the same array for the same series. */
const seriesLabelsCache = new WeakMap<readonly Label[], SeriesLabels>();
/** The resource of every remote-write sample: none (frozen, shared). */
const NO_RESOURCE: Record<string, string> = Object.freeze({}) as Record<string, string>;
/** The exemplars of a sample that has none (frozen, shared; a sample with exemplars gets its own array). */
const NO_EXEMPLARS: SampleExemplar[] = Object.freeze([]) as unknown as SampleExemplar[];
const ZERO_NS = 0n;

function seriesLabelsOf(labels: readonly Label[]): SeriesLabels {
  const known = seriesLabelsCache.get(labels);
  if (known !== undefined) return known;
  let name = '';
  let job = '';
  const attributes: Record<string, string> = {};
  for (const { name: label, value } of labels) {
    if (label === METRIC_NAME_LABEL) name = value;
    else attributes[label] = value;
    if (label === 'job') job = value;
  }
  Object.defineProperty(attributes, SERIES_SCRATCH, { value: {}, enumerable: false });
  const derived: SeriesLabels = { name, job, attributes: Object.freeze(attributes) };
  seriesLabelsCache.set(labels, derived);
  return derived;
}

/**
 * The contract's samples of a decoded request, for `tenant`. Family metadata is the request's own, else what
 * `knownMetadata` returns: Prometheus 1.0 senders send metadata in requests of their own, on their own schedule,
 * so a receiver keeps what it was sent (bounded) and looks it up here (once per family and request).
 *
 * Samples of one series share their `attributes` and `resource` objects (frozen), samples without exemplars
 * one frozen empty `exemplars` array, and equal timestamps one bigint: the samples are for encoding, not for
 * changing in place.
 */
export function metricSamplesOf(request: RemoteWriteRequest, tenant: string, knownMetadata?: (family: string) => MetricMetadata | undefined): MetricSample[] {
  const metadataOf = (family: string): MetricMetadata | undefined => request.metadata.get(family) ?? knownMetadata?.(family);
  const families = new Map<string, { meta: MetricMetadata | undefined; suffix: string }>();
  const out: MetricSample[] = new Array<MetricSample>(request.counts.samples + request.counts.histograms);
  let n = 0;
  let lastMs = Number.NaN;
  let lastNs = ZERO_NS;
  const nanosOf = (ms: number): bigint => {
    if (ms !== lastMs) {
      lastMs = ms;
      lastNs = BigInt(ms) * NS_PER_MS;
    }
    return lastNs;
  };
  for (const series of request.series) {
    const { name, job, attributes } = seriesLabelsOf(series.labels);
    let family = series.metadata === undefined ? families.get(name) : undefined;
    if (family === undefined) {
      family = familyOf(name, series, metadataOf);
      if (series.metadata === undefined) families.set(name, family);
    }
    const { meta, suffix } = family;
    const kind = kindOf(meta, suffix);
    const description = meta?.help ?? '';
    const unit = meta?.unit ?? '';
    const first = n;
    const samples = series.samples;
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as Sample;
      const stale = isStaleNaN(s.value);
      out[n++] = {
        tenant,
        name,
        description,
        unit,
        type: kind.type,
        temporality: kind.temporality,
        isMonotonic: kind.isMonotonic,
        attributes,
        resource: NO_RESOURCE,
        serviceName: job,
        scopeName: '',
        scopeVersion: '',
        startTimeUnixNano: s.startTimestampMs === 0 ? ZERO_NS : BigInt(s.startTimestampMs) * NS_PER_MS,
        timeUnixNano: nanosOf(s.timestampMs),
        value: stale ? Number.NaN : s.value,
        histogram: null,
        exponentialHistogram: null,
        summary: null,
        exemplars: NO_EXEMPLARS,
        flags: stale ? NO_RECORDED_VALUE : 0,
        source: REMOTE_WRITE_SOURCE,
      };
    }
    for (const h of series.histograms) {
      out[n++] = {
        tenant,
        name,
        description,
        unit,
        ...kind,
        attributes,
        resource: NO_RESOURCE,
        serviceName: job,
        scopeName: '',
        scopeVersion: '',
        startTimeUnixNano: h.startTimestampMs === 0 ? ZERO_NS : BigInt(h.startTimestampMs) * NS_PER_MS,
        timeUnixNano: nanosOf(h.timestampMs),
        value: 0,
        summary: null,
        exemplars: NO_EXEMPLARS,
        flags: isStaleNaN(h.sum) ? NO_RECORDED_VALUE : 0,
        source: REMOTE_WRITE_SOURCE,
        isMonotonic: false,
        ...histogramFields(h),
      };
    }
    const last = out[n - 1];
    if (last !== undefined && n > first && series.exemplars.length > 0) {
      const fallbackMs = Number(last.timeUnixNano / NS_PER_MS);
      last.exemplars = series.exemplars.map((e) => exemplarOf(e, fallbackMs));
    }
  }
  out.length = n;
  return out;
}
