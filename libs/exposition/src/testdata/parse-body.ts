// Test helpers: parse a whole body and return its entries, or the error it fails with.
import { ExpositionError } from '../exposition.error';
import type { ExpositionEntry, ExpositionFormat, SeriesEntry } from '../exposition.model';
import { parseExpositionText } from '../exposition-parser';

export function parseAll(body: string | Uint8Array, format: ExpositionFormat): ExpositionEntry[] {
  return [...parseExpositionText(body, { format })];
}

export function seriesOf(body: string | Uint8Array, format: ExpositionFormat): SeriesEntry[] {
  return parseAll(body, format).filter((e): e is SeriesEntry => e.kind === 'series');
}

/** Labels of a series as a `name=value` list, for compact assertions. */
export function labelsOf(entry: SeriesEntry): string[] {
  return entry.labels.map((l) => `${l.name}=${l.value}`);
}

export function parseFailure(body: string | Uint8Array, format: ExpositionFormat): ExpositionError {
  try {
    parseAll(body, format);
  } catch (err) {
    if (err instanceof ExpositionError) return err;
    throw err;
  }
  throw new Error(`expected ${JSON.stringify(String(body))} to fail`);
}
