/**
 * The label rules of Prometheus's remote-write receiver (storage/remote/write_handler.go, model/labels), applied
 * to one series' labels in place:
 * 1. sort by name (labels.ScratchBuilder.Sort: unsorted labels are accepted and sorted, never rejected), in
 *    UTF-8 byte order as Go compares strings;
 * 2. `__name__` must be present, every name valid, every value valid UTF-8, and the metric name valid
 *    (Labels.IsValid with model.UTF8Validation, which the receiver uses whatever the server's scrape setting;
 *    names are non-empty UTF-8; `legacy` is the stricter character set, an option here);
 * 3. no name twice (Labels.HasDuplicateLabelNames, checked before empty values are dropped, so `a=""` and
 *    `a="x"` together are a duplicate);
 * 4. labels with an empty value are removed (the TSDB's getOrCreate calls WithoutEmpty: a label with an empty
 *    value is the same as no label).
 * A series failing 2 or 3 is not accepted; the message says exactly why.
 */
import type { NameValidation } from './remote-write.config';
import type { Label } from './remote-write.model';

/** The metric name label. */
export const METRIC_NAME_LABEL = '__name__';

const LEGACY_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LEGACY_LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Where the reader met invalid UTF-8 in a series' labels, if it did: which label (by its lossily decoded name)
 * and whether in the name or the value.
 */
export interface InvalidUtf8Label {
  readonly label: Label;
  readonly inName: boolean;
}

/**
 * Sorts, validates and compacts `labels` (an array the caller owns). Returns undefined when the series is valid,
 * else why not (the label set quoted).
 */
export function normalizeSeriesLabels(labels: Label[], invalidUtf8: InvalidUtf8Label | undefined, validation: NameValidation): string | undefined {
  sortLabels(labels);
  const problem = invalidLabelsReason(labels, invalidUtf8, validation);
  if (problem !== undefined) return `invalid labels ${formatLabels(labels)}: ${problem}`;
  removeEmptyValues(labels);
  return undefined;
}

function invalidLabelsReason(labels: readonly Label[], invalidUtf8: InvalidUtf8Label | undefined, validation: NameValidation): string | undefined {
  if (invalidUtf8 !== undefined) {
    return invalidUtf8.inName ? 'a label name is not valid UTF-8' : `the value of label ${JSON.stringify(invalidUtf8.label.name)} is not valid UTF-8`;
  }
  let hasMetricName = false;
  for (const { name, value } of labels) {
    if (name === '') return 'a label name is empty';
    if (validation === 'legacy' && !LEGACY_LABEL_NAME.test(name)) {
      return `label name ${JSON.stringify(name)} is not a legacy Prometheus name ([a-zA-Z_][a-zA-Z0-9_]*)`;
    }
    if (name === METRIC_NAME_LABEL) {
      hasMetricName = true;
      if (value === '') return 'the metric name (__name__) is empty';
      if (validation === 'legacy' && !LEGACY_METRIC_NAME.test(value)) {
        return `metric name ${JSON.stringify(value)} is not a legacy Prometheus name ([a-zA-Z_:][a-zA-Z0-9_:]*)`;
      }
    }
  }
  if (!hasMetricName) return 'no __name__ label';
  for (let i = 1; i < labels.length; i++) {
    const name = (labels[i] as Label).name;
    if (name === (labels[i - 1] as Label).name) return `duplicate label name ${JSON.stringify(name)}`;
  }
  return undefined;
}

function removeEmptyValues(labels: Label[]): void {
  let kept = 0;
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] as Label;
    if (label.value === '') continue;
    if (kept !== i) labels[kept] = label;
    kept++;
  }
  if (kept !== labels.length) labels.length = kept;
}

/** Sorts labels by name in UTF-8 byte order (stable; already sorted input, the usual case, is only scanned). */
export function sortLabels(labels: Label[]): void {
  for (let i = 1; i < labels.length; i++) {
    if (compareUtf8((labels[i - 1] as Label).name, (labels[i] as Label).name) > 0) {
      labels.sort((a, b) => compareUtf8(a.name, b.name));
      return;
    }
  }
}

/**
 * Compares two strings by the bytes of their UTF-8 encoding (code point order), which differs from JS's UTF-16
 * code unit order only where a surrogate pair meets a character from U+E000 to U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

function codePointRank(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit >= 0xe000 ? unit - 0x800 : unit + 0x2000;
}

/** `{a="1", b="2"}`, as Prometheus prints label sets. */
export function formatLabels(labels: readonly Label[]): string {
  return `{${labels.map((l) => `${l.name}=${JSON.stringify(l.value)}`).join(', ')}}`;
}
