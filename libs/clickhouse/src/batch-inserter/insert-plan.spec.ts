import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deriveInsertToken, planInsertChunks, rowBytes, type TaggedRow } from './insert-plan';

type Row = { n: number };
const tagged = (topic: string, partition: number, offset: number | string): TaggedRow<Row> => ({
  row: { n: Number(offset) },
  coords: { topic, partition, offset: String(offset) },
});
const unlimited = { maxRows: 1000, maxBytes: 1 << 30 };
const summary = (chunks: ReturnType<typeof planInsertChunks<Row>>): string[] => chunks.map((c) => `${c.token} [${c.rows.map((r) => r.row.n).join(',')}]`);

describe('deriveInsertToken', () => {
  it('names table, topic, partition, offset range and row count', () => {
    assert.equal(deriveInsertToken('sextant.otel_logs', 'sextant.logs', 2, 100n, 199n, 100), 'sextant.otel_logs|sextant.logs|2|100-199|100');
  });

  it('differs when any part differs', () => {
    const base = deriveInsertToken('d.t', 'topic', 0, 1n, 5n, 5);
    const variants = [
      deriveInsertToken('d.u', 'topic', 0, 1n, 5n, 5),
      deriveInsertToken('d.t', 'topic2', 0, 1n, 5n, 5),
      deriveInsertToken('d.t', 'topic', 1, 1n, 5n, 5),
      deriveInsertToken('d.t', 'topic', 0, 2n, 5n, 5),
      deriveInsertToken('d.t', 'topic', 0, 1n, 6n, 5),
      deriveInsertToken('d.t', 'topic', 0, 1n, 5n, 4),
    ];
    assert.equal(new Set([base, ...variants]).size, 7);
  });
});

describe('planInsertChunks', () => {
  it('makes one chunk per topic-partition, offsets ascending', () => {
    const rows = [tagged('a', 1, 11), tagged('a', 0, 5), tagged('a', 1, 10), tagged('b', 0, 3), tagged('a', 0, 4)];
    assert.deepEqual(summary(planInsertChunks('d.t', rows, unlimited)), ['d.t|a|0|4-5|2 [4,5]', 'd.t|a|1|10-11|2 [10,11]', 'd.t|b|0|3-3|1 [3]']);
  });

  it('yields the same chunks and tokens whatever order the batch arrives in', () => {
    const rows = Array.from({ length: 50 }, (_, i) => tagged('t', i % 3, 1000 + i));
    const shuffled = [...rows].reverse();
    const limits = { maxRows: 7, maxBytes: 1 << 30 };
    assert.deepEqual(summary(planInsertChunks('d.t', shuffled, limits)), summary(planInsertChunks('d.t', rows, limits)));
  });

  it('compares offsets numerically, not as text', () => {
    const chunks = planInsertChunks('d.t', [tagged('t', 0, 10), tagged('t', 0, 9), tagged('t', 0, 100)], unlimited);
    assert.deepEqual(summary(chunks), ['d.t|t|0|9-100|3 [9,10,100]']);
  });

  it('splits by row count', () => {
    const rows = Array.from({ length: 5 }, (_, i) => tagged('t', 0, i));
    assert.deepEqual(summary(planInsertChunks('d.t', rows, { maxRows: 2, maxBytes: 1 << 30 })), [
      'd.t|t|0|0-1|2 [0,1]',
      'd.t|t|0|2-3|2 [2,3]',
      'd.t|t|0|4-4|1 [4]',
    ]);
  });

  it('splits by JSON bytes, and lets a single oversized row through alone', () => {
    const rows = Array.from({ length: 4 }, (_, i) => tagged('t', 0, i));
    const one = rowBytes(rows[0]?.row);
    assert.deepEqual(summary(planInsertChunks('d.t', rows, { maxRows: 100, maxBytes: one * 2 })), ['d.t|t|0|0-1|2 [0,1]', 'd.t|t|0|2-3|2 [2,3]']);
    const chunks = planInsertChunks('d.t', rows, { maxRows: 100, maxBytes: 1 });
    assert.equal(chunks.length, 4);
    assert.equal(chunks[0]?.bytes, one);
  });

  it('keeps several rows of one offset in their given order', () => {
    const rows: Array<TaggedRow<Row>> = [
      { row: { n: 1 }, coords: { topic: 't', partition: 0, offset: '8' } },
      { row: { n: 2 }, coords: { topic: 't', partition: 0, offset: '7' } },
      { row: { n: 3 }, coords: { topic: 't', partition: 0, offset: '8' } },
    ];
    assert.deepEqual(summary(planInsertChunks('d.t', rows, unlimited)), ['d.t|t|0|7-8|3 [2,1,3]']);
  });

  it('returns nothing for an empty batch and refuses bad offsets', () => {
    assert.deepEqual(planInsertChunks('d.t', [], unlimited), []);
    assert.throws(() => planInsertChunks('d.t', [tagged('t', 0, 'x')], unlimited), /non-negative integer/);
  });
});
