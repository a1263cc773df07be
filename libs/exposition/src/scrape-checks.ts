/**
 * The checks Prometheus's scrape loop applies to each parsed sample after target labels are merged, with
 * its outcomes: a series without a name, with an invalid name or label, with a repeated label name, or over
 * a `label_limit` / `label_name_length_limit` / `label_value_length_limit` fails the whole scrape; more
 * samples than `sample_limit` fail it too (after the whole body is read, so the count is reported), and the
 * target's `up` is 0. An exemplar over the 128-character label budget or with a repeated name is dropped
 * alone; its sample is kept.
 */
import { isValidUtf8Text } from './decode-utf8';
import { goQuote } from './go-quote';
import type { Exemplar, Label } from './exposition.model';
import { METRIC_NAME_LABEL } from './exposition.model';

/** Per-scrape label limits; 0 means no limit (Prometheus's defaults). */
export interface LabelLimits {
  /** Most labels a series may have, `__name__` included (`label_limit`). */
  readonly labelLimit: number;
  /** Longest label name, in bytes of UTF-8 (`label_name_length_limit`). */
  readonly labelNameLengthLimit: number;
  /** Longest label value, in bytes of UTF-8 (`label_value_length_limit`). */
  readonly labelValueLengthLimit: number;
}

export const NO_LABEL_LIMITS: LabelLimits = Object.freeze({ labelLimit: 0, labelNameLengthLimit: 0, labelValueLengthLimit: 0 });

/** Most characters (runes) the names and values of an exemplar's labels may have together. */
export const EXEMPLAR_MAX_LABEL_SET_LENGTH = 128;

/**
 * Why a series (labels after `mergeTargetLabels`) fails the scrape, or undefined when it may be stored. The
 * checks run in Prometheus's order: name present, names and values valid UTF-8 (and non-empty names), the
 * label limits, then unique label names. Messages are Prometheus's.
 */
export function checkSeriesLabels(labels: readonly Label[], limits: LabelLimits = NO_LABEL_LIMITS): string | undefined {
  const name = labels.find((l) => l.name === METRIC_NAME_LABEL);
  if (name === undefined) return `missing metric name (${METRIC_NAME_LABEL} label)`;
  if (!labels.every((l) => l.name !== '' && isValidUtf8Text(l.name) && isValidUtf8Text(l.value) && (l.name !== METRIC_NAME_LABEL || l.value !== ''))) {
    return `invalid metric name or label names: ${formatLabels(labels)}`;
  }
  const limitProblem = verifyLabelLimits(labels, limits);
  if (limitProblem !== undefined) return limitProblem;
  for (let i = 1; i < labels.length; i++) {
    if (labels[i]!.name === labels[i - 1]!.name) return `label name ${goQuote(labels[i]!.name)} is not unique: invalid sample`;
  }
  return undefined;
}

/** Prometheus's `verifyLabelLimits`: the first limit a series exceeds, worded as Prometheus words it. */
export function verifyLabelLimits(labels: readonly Label[], limits: LabelLimits): string | undefined {
  const metric = truncateRunes(labels.find((l) => l.name === METRIC_NAME_LABEL)?.value ?? '', 50);
  if (limits.labelLimit > 0 && labels.length > limits.labelLimit) {
    return `label_limit exceeded (metric: ${metric}, number of labels: ${labels.length}, limit: ${limits.labelLimit})`;
  }
  for (const l of labels) {
    const nameLength = utf8Length(l.name);
    if (limits.labelNameLengthLimit > 0 && nameLength > limits.labelNameLengthLimit) {
      return `label_name_length_limit exceeded (metric: ${metric}, label name: ${truncateRunes(l.name, 50)}, length: ${nameLength}, limit: ${limits.labelNameLengthLimit})`;
    }
    const valueLength = utf8Length(l.value);
    if (limits.labelValueLengthLimit > 0 && valueLength > limits.labelValueLengthLimit) {
      return `label_value_length_limit exceeded (metric: ${metric}, label name: ${truncateRunes(l.name, 50)}, value: ${goQuote(truncateRunes(l.value, 50))}, length: ${valueLength}, limit: ${limits.labelValueLengthLimit})`;
    }
  }
  return undefined;
}

/**
 * Counts the samples a scrape appends against `sample_limit` (0 = none). Count every sample that is stored —
 * after relabeling dropped what it drops, not the ones the checks above rejected. Once `exceeded`, the scrape
 * fails with `error` when the body ends; Prometheus reads on to report the full count.
 */
export class SampleLimiter {
  private count = 0;

  constructor(readonly limit: number) {}

  /** Counts one sample; false when it is over the limit (Prometheus does not store it). */
  add(): boolean {
    this.count++;
    return this.limit <= 0 || this.count <= this.limit;
  }

  get samples(): number {
    return this.count;
  }

  get exceeded(): boolean {
    return this.limit > 0 && this.count > this.limit;
  }

  /** The scrape's error once exceeded. */
  readonly error = 'sample limit exceeded';
}

/** Why Prometheus's exemplar storage rejects `exemplar` (the sample stays), or undefined when it keeps it. */
export function checkExemplar(exemplar: Exemplar): string | undefined {
  for (let i = 1; i < exemplar.labels.length; i++) {
    if (exemplar.labels[i]!.name === exemplar.labels[i - 1]!.name) return `label name ${goQuote(exemplar.labels[i]!.name)} is not unique: invalid exemplar`;
  }
  let length = 0;
  for (const l of exemplar.labels) {
    length += runeCount(l.name) + runeCount(l.value);
    if (length > EXEMPLAR_MAX_LABEL_SET_LENGTH) return `label length for exemplar exceeds maximum of ${EXEMPLAR_MAX_LABEL_SET_LENGTH} UTF-8 characters`;
  }
  return undefined;
}

/** `{__name__="x", a="b"}` as Prometheus prints a label set (names quoted when not legacy names). */
export function formatLabels(labels: readonly Label[]): string {
  return `{${labels.map((l) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(l.name) ? l.name : goQuote(l.name)}=${goQuote(l.value)}`).join(', ')}}`;
}

function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

function runeCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Go's `%.Ns`: at most `n` runes. */
function truncateRunes(text: string, n: number): string {
  if (text.length <= n) return text;
  return Array.from(text).slice(0, n).join('');
}
