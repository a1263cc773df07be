/**
 * The contract between the body driver (exposition-parser.ts) and the two format parsers, and the sample
 * building they share: labels unescaped, `__name__` added, `le` of histograms and `quantile` of summaries
 * respelled the OpenMetrics way (`1` → `1.0`), sorted, metadata attached.
 */
import type { Exemplar, ExpositionEntry, Label, MetricType, SeriesEntry } from './exposition.model';
import { METRIC_NAME_LABEL } from './exposition.model';
import type { FamilyMetadataTracker } from './family-metadata';
import { sortLabels } from './label-order';
import { formatOpenMetricsFloat, parseFloatText } from './parse-float';
import { unescapeLabelValue } from './record-scanner';
import type { ScannedLabelSet } from './scan-label-set';

/** `done`: record consumed; `next-line`: a quoted string is open, join the next line and retry; `stop`: end of body. */
export type RecordOutcome = 'done' | 'next-line' | 'stop';

export interface RecordParser {
  /**
   * Parses one record (a line, or lines joined by `\n`), appending its entries to `out`. `terminated` is false
   * for a last line without a line break. Throws ExpositionError on malformed input.
   */
  parseRecord(record: string, line: number, terminated: boolean, out: ExpositionEntry[]): RecordOutcome;
  /** Called once after the last record; throws when the body may not end here. */
  end(): void;
}

/** A sample entry from the raw pieces a parser scanned. `rawName` and label names/values are still escaped. */
export function buildSeries(
  line: number,
  rawName: string,
  scanned: ScannedLabelSet | undefined,
  value: number,
  timestampMs: number | undefined,
  exemplar: Exemplar | undefined,
  lastType: MetricType,
  metadata: FamilyMetadataTracker,
): SeriesEntry {
  const name = unescapeLabelValue(rawName);
  const labels: Label[] = [{ name: METRIC_NAME_LABEL, value: name }];
  if (scanned !== undefined) {
    for (let k = 0; k < scanned.names.length; k++) {
      const labelName = unescapeLabelValue(scanned.names[k]!);
      labels.push({ name: labelName, value: normalizeBound(lastType, labelName, unescapeLabelValue(scanned.values[k]!)) });
    }
  }
  sortLabels(labels);
  const entry: { -readonly [K in keyof SeriesEntry]: SeriesEntry[K] } = { kind: 'series', line, name, labels, value };
  if (timestampMs !== undefined) entry.timestampMs = timestampMs;
  if (exemplar !== undefined) entry.exemplar = exemplar;
  const family = metadata.metadataFor(name);
  if (family !== undefined) entry.metadata = family;
  return entry;
}

/** `le` of a histogram and `quantile` of a summary, when they parse as numbers, in OpenMetrics spelling. */
function normalizeBound(type: MetricType, labelName: string, value: string): string {
  if ((type === 'histogram' && labelName === 'le') || (type === 'summary' && labelName === 'quantile')) {
    const n = parseFloatText(value);
    if (typeof n === 'number') return formatOpenMetricsFloat(n);
  }
  return value;
}
