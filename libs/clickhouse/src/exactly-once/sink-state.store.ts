/**
 * The exactly-once writers' state table (`sextant_sink_state`): an append-only log of claims and confirmations
 * per (table, topic, partition, epoch), read by its primary key, never by scanning the data table. A writer claims
 * the next range with version = current + 1 BEFORE inserting it, reads the claims of that version back, and
 * goes on only if its claim is the earliest one the server recorded (`ClaimedAt` is the server's clock): two
 * writers racing for one partition (a rebalance, a zombie after a drain timeout) can never both insert
 * different cuts; the loser gets a `PartitionClaimConflictError` and must re-read the state. A claim is
 * confirmed by a `done` row of the same version and range once its rows (and its dead letters) are durable.
 * Each range also keeps the writer's clock at claim time, so a replay clamps timestamps exactly as the first
 * try did. Rows older than a week are dropped by TTL: by then Kafka's committed offsets govern alone.
 */
import type { ClickHouseClient } from '@clickhouse/client';
import { formatDateTime64Nanos } from '../tables/otel-logs.table';
import type { StoredRange } from './range-decision';

export interface PartitionKey {
  /** `db.table` the rows go to. */
  table: string;
  topic: string;
  partition: number;
  /**
   * Which incarnation of the topic the offsets belong to (e.g. the Kafka cluster id), '' when not known.
   * Offsets of another epoch are another partition as far as the state goes, and get other tokens.
   */
  epoch: string;
}

/** The resolved state of a partition: the winning claim of the highest version, and whether it is done. */
export interface PartitionState extends StoredRange {
  version: number;
  /** Writer clock at claim time, Unix nanoseconds: the reference of the range's timestamp window. */
  referenceTimeNs: bigint;
}

/** One row of the state table as read back. */
export interface StateRow {
  version: number;
  writer: string;
  status: 'pending' | 'done';
  first: bigint;
  last: bigint;
  rows: number;
  referenceTimeNs: bigint;
  claimedAt: string;
}

/** Another writer claimed the partition's next range first: this writer's view is stale. */
export class PartitionClaimConflictError extends Error {
  override readonly name = 'PartitionClaimConflictError';
  constructor(
    readonly key: PartitionKey,
    readonly version: number,
  ) {
    super(`another writer claimed ${key.table} ${key.topic}[${key.partition}] version ${version} first; re-read the partition state`);
  }
}

/** Claims read per key: every writer's claim and confirmation of the latest versions, with room to spare. */
const READ_LIMIT = 32;

/**
 * The state from the rows of one key: the highest version's earliest pending claim wins (ties by writer id),
 * and it is done when a `done` row of that version confirms the same range. Exported for unit tests.
 */
export function resolvePartitionState(rows: readonly StateRow[]): PartitionState | null {
  let top = -1;
  for (const r of rows) if (r.version > top) top = r.version;
  const claims = rows.filter((r) => r.version === top && r.status === 'pending').sort(byClaimOrder);
  const winner = claims[0];
  if (winner === undefined) return null;
  const done = rows.some((r) => r.version === top && r.status === 'done' && r.first === winner.first && r.last === winner.last && r.rows === winner.rows);
  return {
    version: top,
    first: winner.first,
    last: winner.last,
    rows: winner.rows,
    status: done ? 'done' : 'pending',
    referenceTimeNs: winner.referenceTimeNs,
  };
}

function byClaimOrder(a: StateRow, b: StateRow): number {
  if (a.claimedAt !== b.claimedAt) return a.claimedAt < b.claimedAt ? -1 : 1;
  return a.writer < b.writer ? -1 : a.writer > b.writer ? 1 : 0;
}

interface RawStateRow {
  v: string;
  w: string;
  s: 'pending' | 'done';
  f: string;
  l: string;
  n: number;
  ref: string;
  at: string;
}

export class SinkStateStore {
  /**
   * @param quotedTable back-quoted `db.table` of the state table.
   */
  constructor(
    private readonly client: ClickHouseClient,
    private readonly quotedTable: string,
  ) {}

  /** The partition's current state, read fresh from the server (never cached). */
  async read(key: PartitionKey, signal?: AbortSignal): Promise<PartitionState | null> {
    return resolvePartitionState(await this.rows(key, null, signal));
  }

  /**
   * Claims `range` as version `version` for `writer` (status pending), then checks the claim won.
   * Throws `PartitionClaimConflictError` when an earlier claim of that version exists.
   */
  async claim(key: PartitionKey, writer: string, version: number, range: Omit<PartitionState, 'version' | 'status'>, signal?: AbortSignal): Promise<void> {
    await this.append(key, writer, version, 'pending', range, signal);
    const claims = (await this.rows(key, version, signal)).filter((r) => r.status === 'pending').sort(byClaimOrder);
    if (claims[0]?.writer !== writer) throw new PartitionClaimConflictError(key, version);
  }

  /** Confirms that version `version` (range `range`) is durable. */
  async confirm(key: PartitionKey, writer: string, version: number, range: Omit<PartitionState, 'version' | 'status'>, signal?: AbortSignal): Promise<void> {
    await this.append(key, writer, version, 'done', range, signal);
  }

  private async append(
    key: PartitionKey,
    writer: string,
    version: number,
    status: 'pending' | 'done',
    range: Omit<PartitionState, 'version' | 'status'>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const row = {
      TableName: key.table,
      Topic: key.topic,
      Partition: key.partition,
      Epoch: key.epoch,
      Version: String(version),
      Writer: writer,
      Status: status,
      FirstOffset: range.first.toString(),
      LastOffset: range.last.toString(),
      Rows: range.rows,
      ReferenceTime: formatDateTime64Nanos(range.referenceTimeNs),
    };
    await this.client.insert({
      table: this.quotedTable,
      values: [row],
      format: 'JSONEachRow',
      // No settings: the table has no deduplication window, so every claim row lands whatever token a chDB
      // session may still carry, and settings sent here would become session SETs on chDB.
      abort_signal: signal,
    });
  }

  private async rows(key: PartitionKey, version: number | null, signal: AbortSignal | undefined): Promise<StateRow[]> {
    const versionFilter = version === null ? '' : 'AND Version = {version:UInt64}';
    const result = await this.client.query({
      // Aliases differ from column names: an alias would otherwise shadow its column in WHERE.
      query: `SELECT toString(Version) AS v, Writer AS w, Status AS s, toString(FirstOffset) AS f, toString(LastOffset) AS l, Rows AS n,
        toString(toUnixTimestamp64Nano(ReferenceTime)) AS ref, toString(toUnixTimestamp64Nano(ClaimedAt)) AS at
        FROM ${this.quotedTable}
        WHERE TableName = {table:String} AND Topic = {topic:String} AND Partition = {partition:UInt32} AND Epoch = {epoch:String} ${versionFilter}
        ORDER BY Version DESC LIMIT ${READ_LIMIT}`,
      query_params: { table: key.table, topic: key.topic, partition: key.partition, epoch: key.epoch, ...(version === null ? {} : { version }) },
      format: 'JSONEachRow',
      abort_signal: signal,
    });
    const raw = await result.json<RawStateRow>();
    return raw.map((r) => ({
      version: Number(r.v),
      writer: r.w,
      status: r.s,
      first: BigInt(r.f),
      last: BigInt(r.l),
      rows: r.n,
      referenceTimeNs: BigInt(r.ref),
      // Fixed-width so that string order is time order.
      claimedAt: r.at.padStart(20, '0'),
    }));
  }
}
