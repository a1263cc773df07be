/**
 * Turns a batch of rows tagged with Kafka coordinates into INSERT chunks, each carrying a deduplication token.
 * Rows are grouped per (topic, partition), ordered by offset and cut into chunks of at most `maxRows` rows and
 * `maxBytes` JSON bytes. The plan depends only on the rows, never on arrival order across partitions or the
 * clock, so a batch re-read after a crash with the same offset ranges yields the same chunks, the same blocks
 * and the same tokens, and ClickHouse drops the repeat.
 */
import { offsetOf, type KafkaCoordinates } from '../kafka-coordinates';

/** A row for table `R` with the Kafka message it came from. */
export interface TaggedRow<R> {
  row: R;
  coords: KafkaCoordinates;
}

/** One INSERT: rows of a single topic-partition, ascending offsets. */
export interface InsertChunk<R> {
  topic: string;
  partition: number;
  firstOffset: bigint;
  lastOffset: bigint;
  rows: Array<TaggedRow<R>>;
  /** JSON size of the rows (one line each), the measure `maxBytes` bounds. */
  bytes: number;
  token: string;
}

export interface ChunkLimits {
  maxRows: number;
  maxBytes: number;
}

/**
 * The insert deduplication token of a chunk: `<table>|<topic>|<partition>|<first>-<last>|<rows>`. The row
 * count guards against two different selections of the same offset range (rows filtered out upstream).
 */
export function deriveInsertToken(table: string, topic: string, partition: number, firstOffset: bigint, lastOffset: bigint, rows: number): string {
  return `${table}|${topic}|${partition}|${firstOffset}-${lastOffset}|${rows}`;
}

/**
 * Estimated JSON bytes of a row as JSONEachRow sends it (plus its newline): string lengths plus quotes and
 * separators, without serializing. Batch byte limits bound memory, so an estimate is enough, and it keeps the
 * row from being turned into JSON twice (the client serializes it when it sends).
 */
export function rowBytes(row: unknown): number {
  return jsonSize(row) + 1;
}

function jsonSize(v: unknown): number {
  switch (typeof v) {
    case 'string':
      return v.length + 2;
    case 'number':
    case 'bigint':
      return 20;
    case 'boolean':
      return 5;
    case 'object': {
      if (v === null) return 4;
      let n = 2;
      if (Array.isArray(v)) {
        for (const x of v) n += jsonSize(x) + 1;
        return n;
      }
      for (const k in v as Record<string, unknown>) n += k.length + 4 + jsonSize((v as Record<string, unknown>)[k]);
      return n;
    }
    default:
      return 0;
  }
}

/** Builds a chunk (with its token) from rows already in offset order. */
export function makeChunk<R>(table: string, rows: Array<TaggedRow<R>>, bytes: number): InsertChunk<R> {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) throw new Error('an insert chunk needs at least one row');
  const firstOffset = offsetOf(first.coords);
  const lastOffset = offsetOf(last.coords);
  const { topic, partition } = first.coords;
  return { topic, partition, firstOffset, lastOffset, rows, bytes, token: deriveInsertToken(table, topic, partition, firstOffset, lastOffset, rows.length) };
}

function comparePartitions(a: KafkaCoordinates, b: KafkaCoordinates): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/** Splits `rows` into deterministic chunks; see the module comment. `table` is the plain `db.table` name. */
export function planInsertChunks<R>(table: string, rows: ReadonlyArray<TaggedRow<R>>, limits: ChunkLimits): Array<InsertChunk<R>> {
  // Stable sort keeps several rows of one message in their given (deterministic) order.
  const withOffsets = rows.map((r) => ({ r, offset: offsetOf(r.coords) }));
  withOffsets.sort((a, b) => comparePartitions(a.r.coords, b.r.coords) || (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0));
  const chunks: Array<InsertChunk<R>> = [];
  let current: Array<TaggedRow<R>> = [];
  let currentBytes = 0;
  const flush = (): void => {
    if (current.length > 0) chunks.push(makeChunk(table, current, currentBytes));
    current = [];
    currentBytes = 0;
  };
  for (const { r } of withOffsets) {
    const size = rowBytes(r.row);
    const head = current[0];
    const samePartition = head !== undefined && comparePartitions(head.coords, r.coords) === 0;
    if (!samePartition || current.length >= limits.maxRows || (current.length > 0 && currentBytes + size > limits.maxBytes)) flush();
    current.push(r);
    currentBytes += size;
  }
  flush();
  return chunks;
}
