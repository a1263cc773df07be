/**
 * What parsing a scrape body yields: one entry per metadata line, comment or sample, in body order. Shapes
 * follow what Prometheus's text parsers hand its scrape loop, so a scraper built on them behaves the same.
 */

/** One label. Label sets are arrays sorted by name in UTF-8 byte order (Prometheus's order), `__name__` included. */
export interface Label {
  readonly name: string;
  readonly value: string;
}

/** The metric name label. */
export const METRIC_NAME_LABEL = '__name__';

/**
 * Metric family types. The Prometheus text format knows `counter`, `gauge`, `histogram`, `summary` and
 * `untyped` (reported as `unknown`, as Prometheus does); OpenMetrics adds `gaugehistogram`, `info`, `stateset`.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'unknown';

/** Which text parser reads a body. */
export type ExpositionFormat = 'prometheus-text' | 'openmetrics-text';

/** Metadata of a metric family as collected from its `# TYPE`, `# HELP` and `# UNIT` lines. */
export interface FamilyMetadata {
  /** Family name as written on the metadata line (quotes of a quoted name removed, escapes kept as written). */
  readonly family: string;
  /** `unknown` until a `# TYPE` line for the family is seen. */
  readonly type: MetricType;
  /** Help text, unescaped; `''` when none. */
  readonly help: string;
  /** Unit (OpenMetrics only); `''` when none. */
  readonly unit: string;
}

/** An OpenMetrics exemplar attached to a sample. */
export interface Exemplar {
  /** Sorted by name. Values are kept exactly as written, escapes included (the reference parser does not unescape them). */
  readonly labels: readonly Label[];
  readonly value: number;
  /** Milliseconds since the epoch (seconds in the text, times 1000, truncated), when the exemplar has one. */
  readonly timestampMs?: number;
}

/** A float sample of one series. */
export interface SeriesEntry {
  readonly kind: 'series';
  /** Line of the body (1-based) the sample starts on. */
  readonly line: number;
  /** The metric name (also the `__name__` label). */
  readonly name: string;
  readonly labels: readonly Label[];
  /** The sample value; NaN, +Inf and -Inf are possible. */
  readonly value: number;
  /**
   * Milliseconds since the epoch when the sample carries a timestamp (Prometheus text: integer milliseconds;
   * OpenMetrics: float seconds × 1000, truncated). Absent: the scraper uses the scrape time.
   */
  readonly timestampMs?: number;
  readonly exemplar?: Exemplar;
  /**
   * Metadata of the family the sample belongs to: the family of the latest metadata line, when the sample's
   * name is that family's name or a suffixed name of its type (`_total`, `_bucket`, `_sum`, `_count`, `_gsum`,
   * `_gcount`, `_info`). Absent otherwise, as Prometheus attaches none then.
   */
  readonly metadata?: FamilyMetadata;
}

export interface HelpEntry {
  readonly kind: 'help';
  readonly line: number;
  readonly family: string;
  readonly help: string;
}

export interface TypeEntry {
  readonly kind: 'type';
  readonly line: number;
  readonly family: string;
  readonly type: MetricType;
}

export interface UnitEntry {
  readonly kind: 'unit';
  readonly line: number;
  readonly family: string;
  readonly unit: string;
}

/** A plain comment (Prometheus text format only; OpenMetrics has none). `text` is the whole line from `#`. */
export interface CommentEntry {
  readonly kind: 'comment';
  readonly line: number;
  readonly text: string;
}

export type ExpositionEntry = SeriesEntry | HelpEntry | TypeEntry | UnitEntry | CommentEntry;
