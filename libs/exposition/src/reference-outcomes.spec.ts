// Conformance: generated bodies with the outcome Prometheus v0.316.0's parsers give them (entries, or failure).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExpositionEntry, ExpositionFormat } from './exposition.model';
import { parseAll } from './testdata/parse-body';

interface ReferenceCase {
  readonly format: ExpositionFormat;
  readonly body: string;
  readonly error: boolean;
  /** Entries in the reference's shape; non-finite numbers as strings. */
  readonly entries?: unknown[];
}

const cases = JSON.parse(readFileSync(join(__dirname, '..', 'src', 'testdata', 'reference-outcomes.json'), 'utf8')) as ReferenceCase[];

function referenceShape(e: ExpositionEntry): unknown {
  const num = (n: number) => (Number.isFinite(n) ? n : String(n));
  if (e.kind === 'series') {
    const exemplar = e.exemplar && { labels: e.exemplar.labels.map((l) => [l.name, l.value]), v: num(e.exemplar.value), ts: e.exemplar.timestampMs };
    return JSON.parse(JSON.stringify({ k: 'series', labels: e.labels.map((l) => [l.name, l.value]), v: num(e.value), ts: e.timestampMs, ex: exemplar }));
  }
  if (e.kind === 'comment') return { k: 'comment', name: '', text: e.text };
  return { k: e.kind, name: e.family, text: e.kind === 'help' ? e.help : e.kind === 'type' ? e.type : e.unit };
}

describe('reference outcomes', () => {
  it(`match Prometheus on ${cases.length} generated bodies`, () => {
    assert.ok(cases.some((c) => c.error) && cases.some((c) => !c.error));
    for (const c of cases) {
      let got: unknown[] | 'error';
      try {
        got = parseAll(c.body, c.format).map(referenceShape);
      } catch {
        got = 'error';
      }
      assert.deepEqual(got, c.error ? 'error' : c.entries, `${c.format} ${JSON.stringify(c.body)}`);
    }
  });
});
