/**
 * Cuts a body arriving in chunks into lines, enforcing the body and line limits as bytes arrive, so a
 * scrape of tens of megabytes is never held whole. Lines are split at `\n` only (a `\r` stays in the line,
 * where the parsers reject it, as Prometheus does). Runs of complete lines that are valid UTF-8 — nearly
 * always the whole body — are decoded in one call; a run holding invalid bytes is decoded line by line with
 * the invalid bytes kept visible (decode-utf8.ts).
 */
import { isUtf8 } from 'node:buffer';
import { decodeUtf8Escaped } from './decode-utf8';
import type { ExpositionLimits } from './exposition.config';
import { ExpositionError } from './exposition.error';

export interface BodyLine {
  /** The line without its `\n`. */
  readonly text: string;
  /** 1-based line number. */
  readonly number: number;
  /** False only for a last line that the body ends without a `\n`. */
  readonly terminated: boolean;
}

const NEWLINE = 0x0a;

export class LineSplitter {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private lineNumber = 0;
  private bodyBytes = 0;

  constructor(private readonly limits: ExpositionLimits) {}

  /** Bytes received so far. */
  get bytes(): number {
    return this.bodyBytes;
  }

  /** The lines that `chunk` completes. Throws ExpositionError when a limit is exceeded. */
  push(chunk: Uint8Array | string): BodyLine[] {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bodyBytes += bytes.length;
    if (this.limits.maxBodyBytes > 0 && this.bodyBytes >= this.limits.maxBodyBytes) {
      throw new ExpositionError('body size limit exceeded');
    }
    const lastNewline = bytes.lastIndexOf(NEWLINE);
    if (lastNewline < 0) {
      this.keepPending(Uint8Array.prototype.slice.call(bytes));
      return [];
    }
    const head = bytes.subarray(0, lastNewline + 1);
    const run = this.pendingBytes > 0 ? Buffer.concat([...this.pending, head]) : head;
    this.pending = [];
    this.pendingBytes = 0;
    const lines = this.splitRun(run);
    if (lastNewline + 1 < bytes.length) this.keepPending(Uint8Array.prototype.slice.call(bytes, lastNewline + 1));
    return lines;
  }

  /** The last line, when the body does not end with `\n`. */
  end(): BodyLine[] {
    if (this.pendingBytes === 0) return [];
    const rest = Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    return [{ text: decodeUtf8Escaped(rest), number: ++this.lineNumber, terminated: false }];
  }

  private keepPending(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    this.checkLineBytes(this.pendingBytes, this.lineNumber + 1);
  }

  /** Splits a run of complete lines (it ends with `\n`). */
  private splitRun(run: Uint8Array): BodyLine[] {
    const lines: BodyLine[] = [];
    if (isUtf8(run)) {
      const text = Buffer.from(run.buffer, run.byteOffset, run.length).toString('utf8');
      for (let start = 0; start < text.length; ) {
        const end = text.indexOf('\n', start);
        const line = text.slice(start, end);
        this.checkLineText(line, this.lineNumber + 1);
        lines.push({ text: line, number: ++this.lineNumber, terminated: true });
        start = end + 1;
      }
      return lines;
    }
    for (let start = 0; start < run.length; ) {
      const end = run.indexOf(NEWLINE, start);
      this.checkLineBytes(end - start, this.lineNumber + 1);
      lines.push({ text: decodeUtf8Escaped(run, start, end), number: ++this.lineNumber, terminated: true });
      start = end + 1;
    }
    return lines;
  }

  /** Checks a decoded line: its UTF-8 size is between its length and three times its length. */
  checkLineText(text: string, lineNumber: number): void {
    const max = this.limits.maxLineBytes;
    if (max === 0 || text.length * 3 <= max) return;
    this.checkLineBytes(text.length > max ? text.length : Buffer.byteLength(text, 'utf8'), lineNumber);
  }

  private checkLineBytes(size: number, lineNumber: number): void {
    const max = this.limits.maxLineBytes;
    if (max > 0 && size > max) {
      throw new ExpositionError(`line longer than the limit of ${max} bytes`, lineNumber);
    }
  }
}
