/**
 * The entry point: a body in, entries out, without holding the body whole. `ExpositionParser` is the push
 * form (feed chunks, take the entries each completes); `parseExposition` wraps it as an async iterable over
 * a stream of chunks, `parseExpositionText` as a plain iterable over a body already in memory.
 *
 * As Prometheus's scrape loop does, an empty body yields nothing and is no error (even for OpenMetrics, which
 * otherwise must end with `# EOF`), and the first error ends the parse: the scrape fails as a whole.
 */
import { resolveExpositionLimits, type ExpositionLimits } from './exposition.config';
import { ExpositionError } from './exposition.error';
import type { ExpositionEntry, ExpositionFormat } from './exposition.model';
import { OpenMetricsTextParser } from './parse-openmetrics-text';
import { PrometheusTextParser } from './parse-prometheus-text';
import type { RecordParser } from './record-parser';
import { LineSplitter, type BodyLine } from './split-lines';

export interface ExpositionParseOptions {
  /** Which parser reads the body; `selectParser` picks it from the response's Content-Type. */
  readonly format: ExpositionFormat;
  /** Body and line limits; defaults in exposition.config.ts. */
  readonly limits?: Partial<ExpositionLimits>;
}

/** Chunks of a body as an HTTP client yields them (Node streams are async iterables of Buffers). */
export type ExpositionBody = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

export class ExpositionParser {
  private readonly splitter: LineSplitter;
  private readonly records: RecordParser;
  /** A record continued over several lines (a quoted string holding a line break). */
  private open: { text: string; line: number } | undefined;
  private stopped = false;
  private ended = false;

  constructor(options: ExpositionParseOptions) {
    const limits = resolveExpositionLimits(options.limits);
    this.splitter = new LineSplitter(limits);
    this.records = options.format === 'openmetrics-text' ? new OpenMetricsTextParser() : new PrometheusTextParser();
  }

  /** Bytes received so far (what Prometheus reports as `scrape_body_size_bytes` once the parse succeeds). */
  get bodyBytes(): number {
    return this.splitter.bytes;
  }

  /** The entries the lines completed by `chunk` hold. Throws ExpositionError. */
  push(chunk: Uint8Array | string): ExpositionEntry[] {
    if (this.ended) throw new Error('ExpositionParser.push after end');
    return this.parseLines(this.splitter.push(chunk));
  }

  /** The entries of the last line, and the end-of-body checks. Throws ExpositionError. */
  end(): ExpositionEntry[] {
    if (this.ended) return [];
    const out = this.parseLines(this.splitter.end());
    this.ended = true;
    if (this.stopped || this.splitter.bytes === 0) return out;
    if (this.open !== undefined) throw new ExpositionError('quoted string not closed before the end of the body', this.open.line);
    this.records.end();
    return out;
  }

  private parseLines(lines: BodyLine[]): ExpositionEntry[] {
    const out: ExpositionEntry[] = [];
    for (const line of lines) {
      if (this.stopped) break;
      const record = this.open === undefined ? line.text : `${this.open.text}\n${line.text}`;
      const number = this.open === undefined ? line.number : this.open.line;
      if (this.open !== undefined) this.splitter.checkLineText(record, number);
      const outcome = this.records.parseRecord(record, number, line.terminated, out);
      this.open = outcome === 'next-line' ? { text: record, line: number } : undefined;
      if (outcome === 'stop') this.stopped = true;
    }
    return out;
  }
}

/** Entries of a body arriving as chunks. Throws (rejects) ExpositionError on the first problem. */
export async function* parseExposition(body: ExpositionBody, options: ExpositionParseOptions): AsyncGenerator<ExpositionEntry, void, undefined> {
  const parser = new ExpositionParser(options);
  for await (const chunk of body) yield* parser.push(chunk);
  yield* parser.end();
}

/** Size of the pieces `parseExpositionText` feeds, so entries come out as the body is read. */
const TEXT_PIECE_BYTES = 64 * 1024;

/** Entries of a body already in memory, lazily. Throws ExpositionError on the first problem. */
export function* parseExpositionText(body: string | Uint8Array, options: ExpositionParseOptions): Generator<ExpositionEntry, void, undefined> {
  const parser = new ExpositionParser(options);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  for (let at = 0; at < bytes.length; at += TEXT_PIECE_BYTES) yield* parser.push(bytes.subarray(at, at + TEXT_PIECE_BYTES));
  yield* parser.end();
}
