/**
 * Remote write 1.0: decoded `prometheus.WriteRequest` bytes → validated model, with Prometheus's 1.0 rules
 * (storage/remote/write_handler.go, writeHandler.write): a series with invalid labels is left out and the rest is
 * written (the answer stays 204; `v1InvalidSeries: 'reject'` makes it a 400 instead); an invalid native
 * histogram fails the whole request (400), because the 1.0 handler rolls back on it; metadata is passed through
 * by family name (Prometheus itself ignores it); exemplars are not validated.
 */
import { RemoteWriteDecodeError } from './remote-write.error';
import type { RemoteWriteDecodeConfig } from './remote-write.config';
import type { MetricMetadata, RemoteWriteProblem, RemoteWriteRequest, RemoteWriteSeries } from './remote-write.model';
import { REMOTE_WRITE_V1 } from './remote-write.model';
import { readWriteRequestV1 } from './read-write-request-v1';
import { nativeHistogramProblem } from './validate-native-histogram';
import { formatLabels, normalizeSeriesLabels } from './validate-series-labels';

/** Decodes and validates uncompressed WriteRequest bytes. Throws WireError on malformed bytes. */
export function decodeWriteRequestV1(bytes: Uint8Array, config: RemoteWriteDecodeConfig): RemoteWriteRequest {
  const data = readWriteRequestV1(bytes);
  const series: RemoteWriteSeries[] = [];
  const problems: RemoteWriteProblem[] = [];
  let samples = 0;
  let histograms = 0;
  let exemplars = 0;
  for (let i = 0; i < data.timeseries.length; i++) {
    const ts = data.timeseries[i] as (typeof data.timeseries)[number];
    const invalid = normalizeSeriesLabels(ts.labels, ts.invalidUtf8, config.nameValidation);
    if (invalid !== undefined) {
      problems.push({
        seriesIndex: i,
        message: `series ${i}: ${invalid}`,
        dropped: { samples: ts.samples.length, histograms: ts.histograms.length, exemplars: ts.exemplars.length },
      });
      continue;
    }
    for (const h of ts.histograms) {
      const problem = nativeHistogramProblem(h);
      if (problem !== undefined) {
        throw new RemoteWriteDecodeError(`series ${i} ${formatLabels(ts.labels)}: invalid native histogram at ${h.timestampMs}: ${problem}`, REMOTE_WRITE_V1);
      }
    }
    series.push({ labels: ts.labels, samples: ts.samples, histograms: ts.histograms, exemplars: ts.exemplars, metadata: undefined });
    samples += ts.samples.length;
    histograms += ts.histograms.length;
    exemplars += ts.exemplars.length;
  }
  if (config.v1InvalidSeries === 'reject' && problems.length > 0) {
    throw new RemoteWriteDecodeError(problems.map((p) => p.message).join('\n'), REMOTE_WRITE_V1);
  }
  const metadata = new Map<string, MetricMetadata>();
  for (const entry of data.metadata) {
    if (entry.metricFamilyName !== '') metadata.set(entry.metricFamilyName, entry.metadata);
  }
  return { message: REMOTE_WRITE_V1, series, metadata, counts: { samples, histograms, exemplars }, problems };
}
