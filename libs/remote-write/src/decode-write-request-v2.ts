/**
 * Remote write 2.0: decoded `io.prometheus.write.v2.Request` bytes → validated model, with Prometheus's 2.0
 * rules (storage/remote/write_handler.go appendV2, prompb/io/prometheus/write/v2 codec.go and symbols.go), which
 * allow partial writes: every problem is listed and the rest is accepted; the answer is 400 when anything was
 * left out. Per series, in Prometheus's order:
 * 1. labels_refs of odd length, or a reference outside the symbols table → series left out;
 * 2. metadata unit_ref / help_ref outside the table → series left out;
 * 3. invalid labels (validate-series-labels.ts) → series left out;
 * 4. neither samples, histograms nor exemplars → series left out; exemplars alone: kept, or left out with
 *    `exemplarOnlySeries: 'reject'` (Prometheus's receiver; see the config for why the default differs);
 * 5. each sample too far in the future → that sample left out;
 * 6. each histogram too far in the future or invalid → that histogram left out;
 * 7. each exemplar with a bad reference → that exemplar left out; one too far in the future is left out
 *    without an error (Prometheus logs it and does not tell the sender).
 * Like Prometheus, the receiver does not require `symbols[0]` to be the empty string (the specification makes
 * it the sender's duty) and accepts a series with both samples and histograms.
 */
import type { RemoteWriteDecodeConfig } from './remote-write.config';
import { metricTypeOf } from './metric-type';
import {
  REMOTE_WRITE_V2,
  type Exemplar,
  type Label,
  type MetricMetadata,
  type RemoteWriteProblem,
  type RemoteWriteRequest,
  type RemoteWriteSeries,
} from './remote-write.model';
import { readWriteRequestV2, type ExemplarV2Data, type MetadataV2Data, type SeriesV2Data } from './read-write-request-v2';
import { anyLaterThan, futureProblem, keepValid, NONE, problem, seriesWhere } from './series-points';
import { nativeHistogramProblem } from './validate-native-histogram';
import { formatLabels, METRIC_NAME_LABEL, normalizeSeriesLabels, sortLabels, type InvalidUtf8Label } from './validate-series-labels';

interface Symbols {
  readonly strings: readonly string[];
  readonly invalid: ReadonlySet<number> | undefined;
}

interface ResolvedLabels {
  readonly labels: Label[];
  readonly invalidUtf8: InvalidUtf8Label | undefined;
}

/** Decodes and validates uncompressed Request bytes at clock `nowMs`. Throws WireError on malformed bytes. */
export function decodeWriteRequestV2(bytes: Uint8Array, config: RemoteWriteDecodeConfig, nowMs: number): RemoteWriteRequest {
  const data = readWriteRequestV2(bytes);
  const latestMs = nowMs + config.maxAheadMs;
  const symbols: Symbols = { strings: data.symbols, invalid: data.invalidSymbols };
  const series: RemoteWriteSeries[] = [];
  const problems: RemoteWriteProblem[] = [];
  const metadata = new Map<string, MetricMetadata>();
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (let i = 0; i < data.timeseries.length; i++) {
    const ts = data.timeseries[i] as SeriesV2Data;
    const resolved = resolveLabels(ts.labelsRefs, symbols);
    if (typeof resolved === 'string') {
      problems.push(seriesProblem(i, ts, resolved));
      continue;
    }
    const meta = resolveMetadata(ts.metadata, symbols);
    if (typeof meta === 'string') {
      problems.push(seriesProblem(i, ts, meta));
      continue;
    }
    const { labels } = resolved;
    const invalid = normalizeSeriesLabels(labels, resolved.invalidUtf8, config.nameValidation);
    if (invalid !== undefined) {
      problems.push(seriesProblem(i, ts, invalid));
      continue;
    }
    if (ts.samples.length === 0 && ts.histograms.length === 0 && (ts.exemplars.length === 0 || config.exemplarOnlySeries === 'reject')) {
      const what = config.exemplarOnlySeries === 'reject' ? 'one sample or histogram' : 'one sample, histogram or exemplar';
      problems.push(seriesProblem(i, ts, `${formatLabels(labels)} must contain at least ${what}`));
      continue;
    }
    // The filters (and their closures) run only when something may be refused: rarely, on the hot path.
    const keptSamples = !anyLaterThan(ts.samples, latestMs)
      ? ts.samples
      : keepValid(
          ts.samples,
          (p) => futureProblem(p.timestampMs, latestMs),
          (_p, _j, why) => problems.push(problem(i, `${seriesWhere(i, labels)}: sample ${why}`, true, 1, 0, 0)),
        );
    const keptHistograms =
      ts.histograms.length === 0
        ? ts.histograms
        : keepValid(
            ts.histograms,
            (h) => futureProblem(h.timestampMs, latestMs) ?? nativeHistogramProblem(h),
            (h, _j, why) => problems.push(problem(i, `${seriesWhere(i, labels)}: invalid native histogram at ${h.timestampMs}: ${why}`, true, 0, 1, 0)),
          );
    const seriesExemplars = ts.exemplars.length === 0 ? NONE : acceptExemplars(i, labels, ts.exemplars, symbols, latestMs, problems);
    series.push({ labels, samples: keptSamples, histograms: keptHistograms, exemplars: seriesExemplars, metadata: meta });
    samples += keptSamples.length;
    histograms += keptHistograms.length;
    exemplars += seriesExemplars.length;
    if (meta !== undefined) metadata.set(metricNameOf(labels), meta);
  }
  return { message: REMOTE_WRITE_V2, series, metadata, counts: { samples, histograms, exemplars }, problems };
}

/** The exemplars whose references resolve and whose time is not too far ahead; the others become problems. */
function acceptExemplars(
  i: number,
  labels: readonly Label[],
  exemplars: readonly ExemplarV2Data[],
  symbols: Symbols,
  latestMs: number,
  problems: RemoteWriteProblem[],
): Exemplar[] {
  const accepted: Exemplar[] = [];
  for (let j = 0; j < exemplars.length; j++) {
    const exemplar = resolveExemplar(exemplars[j] as ExemplarV2Data, symbols);
    if (typeof exemplar === 'string') {
      problems.push(problem(i, `${seriesWhere(i, labels)}: exemplar ${j}: ${exemplar}`, true, 0, 0, 1));
      continue;
    }
    const future = futureProblem(exemplar.timestampMs, latestMs);
    if (future !== undefined) problems.push(problem(i, `${seriesWhere(i, labels)}: exemplar ${j} dropped: ${future}`, false, 0, 0, 1));
    else accepted.push(exemplar);
  }
  return accepted;
}

function seriesProblem(i: number, ts: SeriesV2Data, message: string): RemoteWriteProblem {
  return problem(i, `series ${i}: ${message}`, true, ts.samples.length, ts.histograms.length, ts.exemplars.length);
}

function resolveLabels(refs: readonly number[], symbols: Symbols): ResolvedLabels | string {
  if (refs.length % 2 !== 0) return `labels_refs has odd length ${refs.length}`;
  const { strings, invalid } = symbols;
  const labels: Label[] = new Array(refs.length / 2);
  let invalidUtf8: InvalidUtf8Label | undefined;
  for (let i = 0; i < refs.length; i += 2) {
    const nameRef = refs[i] as number;
    const valueRef = refs[i + 1] as number;
    if (nameRef >= strings.length || valueRef >= strings.length) {
      return `labels_refs ${nameRef} (name) = ${valueRef} (value) outside of symbols table (size ${strings.length})`;
    }
    const label: Label = { name: strings[nameRef] as string, value: strings[valueRef] as string };
    labels[i / 2] = label;
    if (invalid !== undefined && invalidUtf8 === undefined && (invalid.has(nameRef) || invalid.has(valueRef))) {
      invalidUtf8 = { label, inName: invalid.has(nameRef) };
    }
  }
  return { labels, invalidUtf8 };
}

/** The series' metadata, undefined when empty (unknown type, no help, no unit), or why a reference is bad. */
function resolveMetadata(m: MetadataV2Data, symbols: Symbols): MetricMetadata | undefined | string {
  const size = symbols.strings.length;
  if (m.unitRef >= size) return `metadata unit_ref ${m.unitRef} outside of symbols table (size ${size})`;
  if (m.helpRef >= size) return `metadata help_ref ${m.helpRef} outside of symbols table (size ${size})`;
  const type = metricTypeOf(m.type);
  const help = symbols.strings[m.helpRef] as string;
  const unit = symbols.strings[m.unitRef] as string;
  if (type === 'unknown' && help === '' && unit === '') return undefined;
  return { type, help, unit };
}

function resolveExemplar(e: ExemplarV2Data, symbols: Symbols): Exemplar | string {
  const resolved = resolveLabels(e.labelsRefs, symbols);
  if (typeof resolved === 'string') return resolved;
  sortLabels(resolved.labels);
  return { labels: resolved.labels, value: e.value, timestampMs: e.timestampMs };
}

function metricNameOf(labels: readonly Label[]): string {
  for (const l of labels) if (l.name === METRIC_NAME_LABEL) return l.value;
  return '';
}
