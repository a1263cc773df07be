/**
 * Remote write 1.0: decoded `prometheus.WriteRequest` bytes → validated model, with Prometheus's 1.0 rules
 * (storage/remote/write_handler.go, writeHandler.write): a series with invalid labels is left out and the rest is
 * written (the answer stays 204; `v1InvalidSeries: 'reject'` makes it a 400 instead); a sample or histogram too
 * far in the future, or an invalid native histogram, fails the whole request (400), because the 1.0 handler rolls
 * back on any append error; an exemplar too far in the future is dropped without an error; metadata is passed
 * through by family name (Prometheus itself ignores it); exemplars are not otherwise validated.
 */
import { RemoteWriteDecodeError } from './remote-write.error';
import type { RemoteWriteDecodeConfig } from './remote-write.config';
import type { MetricMetadata, RemoteWriteProblem, RemoteWriteRequest, RemoteWriteSeries } from './remote-write.model';
import { REMOTE_WRITE_V1 } from './remote-write.model';
import { LabelSetCache } from './label-set-cache';
import { readWriteRequestV1 } from './read-write-request-v1';
import { anyLaterThan, futureProblem, keepValid, problem, seriesWhere } from './series-points';
import { nativeHistogramProblem } from './validate-native-histogram';
import { normalizeSeriesLabels } from './validate-series-labels';

/**
 * Label sets remembered between requests, per configuration (validation depends on its `nameValidation`): a
 * decoder keeps one configuration object for its life, so its series' labels are decoded and validated once.
 */
const labelSetsByConfig = new WeakMap<RemoteWriteDecodeConfig, LabelSetCache>();

function labelSetsOf(config: RemoteWriteDecodeConfig): LabelSetCache {
  let cache = labelSetsByConfig.get(config);
  if (cache === undefined) {
    cache = new LabelSetCache();
    labelSetsByConfig.set(config, cache);
  }
  return cache;
}

/** Decodes and validates uncompressed WriteRequest bytes at clock `nowMs`. Throws WireError on malformed bytes. */
export function decodeWriteRequestV1(bytes: Uint8Array, config: RemoteWriteDecodeConfig, nowMs: number): RemoteWriteRequest {
  const data = readWriteRequestV1(bytes, labelSetsOf(config));
  const latestMs = nowMs + config.maxAheadMs;
  const series: RemoteWriteSeries[] = [];
  const problems: RemoteWriteProblem[] = [];
  const invalidSeries: string[] = [];
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (let i = 0; i < data.timeseries.length; i++) {
    const ts = data.timeseries[i] as (typeof data.timeseries)[number];
    const set = ts.labelSet;
    let invalid: string | undefined;
    if (set === undefined) invalid = normalizeSeriesLabels(ts.labels, ts.invalidUtf8, config.nameValidation);
    else if (set.checked) invalid = set.problem;
    else {
      invalid = normalizeSeriesLabels(set.labels, set.invalidUtf8, config.nameValidation);
      set.problem = invalid;
      set.checked = true;
    }
    if (invalid !== undefined) {
      invalidSeries.push(`series ${i}: ${invalid}`);
      problems.push(problem(i, `series ${i}: ${invalid}`, false, ts.samples.length, ts.histograms.length, ts.exemplars.length));
      continue;
    }
    for (const s of ts.samples) {
      const future = futureProblem(s.timestampMs, latestMs);
      if (future !== undefined) throw new RemoteWriteDecodeError(`${seriesWhere(i, ts.labels)}: sample ${future}`, REMOTE_WRITE_V1);
    }
    for (const h of ts.histograms) {
      const bad = futureProblem(h.timestampMs, latestMs) ?? nativeHistogramProblem(h);
      if (bad !== undefined) {
        throw new RemoteWriteDecodeError(`${seriesWhere(i, ts.labels)}: invalid native histogram at ${h.timestampMs}: ${bad}`, REMOTE_WRITE_V1);
      }
    }
    const keptExemplars = !anyLaterThan(ts.exemplars, latestMs)
      ? ts.exemplars
      : keepValid(
          ts.exemplars,
          (e) => futureProblem(e.timestampMs, latestMs),
          (_e, j, why) => problems.push(problem(i, `${seriesWhere(i, ts.labels)}: exemplar ${j} dropped: ${why}`, false, 0, 0, 1)),
        );
    series.push({ labels: ts.labels, samples: ts.samples, histograms: ts.histograms, exemplars: keptExemplars, metadata: undefined });
    samples += ts.samples.length;
    histograms += ts.histograms.length;
    exemplars += keptExemplars.length;
  }
  if (config.v1InvalidSeries === 'reject' && invalidSeries.length > 0) {
    throw new RemoteWriteDecodeError(invalidSeries.join('\n'), REMOTE_WRITE_V1);
  }
  const metadata = new Map<string, MetricMetadata>();
  for (const entry of data.metadata) {
    if (entry.metricFamilyName !== '') metadata.set(entry.metricFamilyName, entry.metadata);
  }
  return { message: REMOTE_WRITE_V1, series, metadata, counts: { samples, histograms, exemplars }, problems };
}
