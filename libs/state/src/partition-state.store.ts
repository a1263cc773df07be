/**
 * A stage's keyed state, held in memory per input partition and made durable by a compacted changelog topic,
 * in Kafka Streams' model. The stage reads and writes with get/set/delete; flush() turns what changed since
 * the last flush into changelog records (plus a checkpoint record naming the input offset the state covers),
 * which the stage sends in the SAME Kafka transaction as its outputs and its input offset (StatefulOutput
 * does this), so state, outputs and progress move together or not at all. restore() rebuilds a partition
 * from the changelog; drop() forgets it (revocation, or a transaction that failed: memory may then be ahead
 * of what is durable, and the next restore is the truth).
 *
 * Each partition is bounded in keys and bytes. A write that would pass a bound is refused ('overflow'),
 * counted, and left to the stage to route (dead-letter, emit early): state never grows without limit.
 */
import type { KafkaConnection, OutboundMessage, TelemetryDeps } from '@sextant/kafka';
import type { Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import { readChangelog } from './changelog.reader';
import { checkStateKey, checkpointRecord, parseChangelogRecord, tombstoneRecord, valueRecord } from './changelog.format';
import type { StateCodec } from './state.codec';
import { validateStateStoreConfig, type StateStoreConfig } from './state-store.config';
import { stateMetrics, type StateMetrics } from './state.metrics';

export type SetOutcome = 'stored' | 'overflow';

export interface RestoreResult {
  partition: number;
  /** Keys held after the restore. */
  keys: number;
  /** Changelog records read. */
  recordsRead: number;
  /** Input offset the restored state covers (next offset to apply), null when nothing was ever checkpointed. */
  checkpoint: string | null;
  /** Records refused by a bound while restoring (the bounds were lowered below what the changelog holds). */
  overflow: number;
  seconds: number;
}

/** What StatefulOutput needs of a store, whatever its value type. */
export interface CheckpointedStore {
  readonly name: string;
  readonly changelog: string;
  holds(partition: number): boolean;
  checkpoint(partition: number): string | null;
  flush(partition: number, nextOffset: string): OutboundMessage[];
  restore(partition: number): Promise<RestoreResult>;
  drop(partition: number): void;
}

interface Entry<V> {
  value: V;
  bytes: number;
  /** The value's encoding from set(), kept until the next flush writes it (so it is encoded once). */
  encoded?: Buffer;
}

class PartitionState<V> {
  readonly entries = new Map<string, Entry<V>>();
  /** Keys changed since the last flush; absent from `entries` means deleted. */
  readonly dirty = new Set<string>();
  bytes = 0;
  checkpoint: string | null = null;
}

export class PartitionStateStore<V> implements CheckpointedStore {
  readonly name: string;
  private readonly cfg: StateStoreConfig;
  private readonly parts = new Map<number, PartitionState<V>>();
  /** The changelog's partition count, learnt by the first restore (flush needs it to choose keys). */
  private changelogPartitions = 0;
  private readonly metrics: StateMetrics;
  private readonly logger: Logger;

  /** @param changelog the changelog topic (changelogTopic()), provisioned with changelogProvision(). */
  constructor(
    cfg: StateStoreConfig,
    readonly changelog: string,
    private readonly codec: StateCodec<V>,
    private readonly conn: KafkaConnection,
    deps: TelemetryDeps,
  ) {
    this.cfg = validateStateStoreConfig(cfg);
    this.name = cfg.name;
    this.metrics = stateMetrics(deps.metrics);
    this.logger = deps.logger.child({ component: 'state-store', store: cfg.name });
  }

  /** True once restore(partition) ran and drop(partition) did not since. */
  holds(partition: number): boolean {
    return this.parts.has(partition);
  }

  /** Partitions held now. */
  partitions(): number[] {
    return [...this.parts.keys()].sort((a, b) => a - b);
  }

  get(partition: number, key: string): V | undefined {
    return this.held(partition).entries.get(key)?.value;
  }

  /** Every key and value of a partition, in no particular order. */
  *entries(partition: number): IterableIterator<[string, V]> {
    for (const [k, e] of this.held(partition).entries) yield [k, e.value];
  }

  size(partition: number): { keys: number; bytes: number } {
    const s = this.held(partition);
    return { keys: s.entries.size, bytes: s.bytes };
  }

  /** Stores the value unless that would pass a bound of the partition; then nothing changes and 'overflow' is counted. */
  set(partition: number, key: string, value: V): SetOutcome {
    checkStateKey(key);
    const s = this.held(partition);
    const encoded = this.codec.encode(value);
    const outcome = this.put(s, key, value, encoded);
    if (outcome === 'stored') {
      const e = s.entries.get(key);
      if (e) e.encoded = encoded;
      s.dirty.add(key);
      this.report(partition, s);
    }
    return outcome;
  }

  delete(partition: number, key: string): void {
    const s = this.held(partition);
    const e = s.entries.get(key);
    if (!e) return;
    s.entries.delete(key);
    s.bytes -= e.bytes;
    s.dirty.add(key);
    this.report(partition, s);
  }

  /** Input offset the partition's state covers: the nextOffset of the last flush (or of the restored checkpoint). */
  checkpoint(partition: number): string | null {
    return this.held(partition).checkpoint;
  }

  /**
   * The changelog records of what changed since the last flush, plus the checkpoint record, all for
   * changelog partition `partition`. Send them in the transaction that commits input offset `nextOffset`; if
   * that transaction fails, drop(partition): memory is then ahead of the changelog.
   */
  flush(partition: number, nextOffset: string): OutboundMessage[] {
    const s = this.held(partition);
    const out: OutboundMessage[] = [];
    let tombstones = 0;
    for (const key of s.dirty) {
      const e = s.entries.get(key);
      if (e) {
        out.push(valueRecord(partition, key, e.encoded ?? this.codec.encode(e.value), this.changelogPartitions));
        e.encoded = undefined;
      } else {
        out.push(tombstoneRecord(partition, key, this.changelogPartitions));
        tombstones++;
      }
    }
    s.dirty.clear();
    s.checkpoint = nextOffset;
    out.push(checkpointRecord(partition, nextOffset, this.changelogPartitions));
    this.metrics.flushedEntries.inc({ store: this.name, kind: 'value' }, out.length - 1 - tombstones);
    if (tombstones > 0) this.metrics.flushedEntries.inc({ store: this.name, kind: 'tombstone' }, tombstones);
    return out;
  }

  /**
   * Rebuilds the partition's state from changelog partition `partition`, read from its beginning to the
   * end captured at the start (its last stable offset: committed transactions only); replaces whatever was
   * held. Rejects after restoreTimeoutMs. A transaction another member still has open on that partition is
   * not waited for: its writes come after the captured end, and the checkpoint then trails the group's
   * committed offset, which StatefulOutput checks.
   */
  async restore(partition: number): Promise<RestoreResult> {
    const started = performance.now();
    const s = new PartitionState<V>();
    let overflow = 0;
    this.changelogPartitions = (await this.conn.topicOffsets(this.changelog)).length;
    if (partition >= this.changelogPartitions) throw new Error(`changelog ${this.changelog} has ${this.changelogPartitions} partitions: none for input partition ${partition}`);
    const recordsRead = await readChangelog(this.conn, this.changelog, [partition], this.cfg.restoreTimeoutMs, (r) => {
      const entry = parseChangelogRecord(r.key, r.value);
      if (entry === null || entry.partition !== partition) return;
      if (entry.kind === 'checkpoint') {
        s.checkpoint = entry.nextOffset;
      } else if (entry.kind === 'tombstone') {
        const e = s.entries.get(entry.key);
        if (e) {
          s.entries.delete(entry.key);
          s.bytes -= e.bytes;
        }
      } else if (this.put(s, entry.key, this.codec.decode(entry.value), entry.value) === 'overflow') {
        overflow++;
      }
    });
    this.parts.set(partition, s);
    this.report(partition, s);
    const seconds = (performance.now() - started) / 1000;
    this.metrics.restoreSeconds.observe({ store: this.name }, seconds);
    this.metrics.restoredEntries.inc({ store: this.name }, recordsRead);
    const result: RestoreResult = { partition, keys: s.entries.size, recordsRead, checkpoint: s.checkpoint, overflow, seconds };
    if (overflow > 0) this.logger.warn(result, 'restore refused changelog entries over the bounds: that state is lost');
    else this.logger.info(result, 'partition state restored');
    return result;
  }

  /** Forgets the partition (revoked, or its last transaction failed). */
  drop(partition: number): void {
    if (!this.parts.delete(partition)) return;
    this.metrics.keys.remove({ store: this.name, partition: String(partition) });
    this.metrics.bytes.remove({ store: this.name, partition: String(partition) });
  }

  private held(partition: number): PartitionState<V> {
    const s = this.parts.get(partition);
    if (!s) throw new Error(`state store ${this.name} does not hold partition ${partition}: restore it first`);
    return s;
  }

  private put(s: PartitionState<V>, key: string, value: V, encoded: Buffer): SetOutcome {
    const old = s.entries.get(key);
    const bytes = Buffer.byteLength(key, 'utf8') + encoded.length;
    if (!old && s.entries.size >= this.cfg.maxKeysPerPartition) return this.refuse('keys');
    const grown = s.bytes - (old?.bytes ?? 0) + bytes;
    if (grown > this.cfg.maxBytesPerPartition && bytes > (old?.bytes ?? 0)) return this.refuse('bytes');
    s.entries.set(key, { value, bytes });
    s.bytes = grown;
    return 'stored';
  }

  private refuse(bound: 'keys' | 'bytes'): SetOutcome {
    this.metrics.overflow.inc({ store: this.name, bound });
    return 'overflow';
  }

  private report(partition: number, s: PartitionState<V>): void {
    const labels = { store: this.name, partition: String(partition) };
    this.metrics.keys.set(labels, s.entries.size);
    this.metrics.bytes.set(labels, s.bytes);
  }
}
