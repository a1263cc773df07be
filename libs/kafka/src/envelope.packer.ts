/**
 * Packs records into batch envelopes: one Kafka message per stream key holding that key's records in order,
 * bounded in records and encoded bytes (`maxRecords`, `maxBytes`), so the Kafka client's per-message cost is
 * paid once per envelope instead of once per record, and no message exceeds what the broker accepts. A key's
 * records are cut into as many envelopes as the bounds need, in order; a record that alone encodes larger
 * than `maxBytes` is handed back (`tooLarge`) for the caller to refuse or dead-letter, never sent.
 *
 * Encoding is done once: each envelope is encoded whole and, only when it overflows `maxBytes`, split in two
 * and re-encoded (rare: the record cap keeps most envelopes well inside the byte cap).
 */
import type { AvroSerde } from './avro.serde';
import type { OutboundMessage } from './record.producer';

export interface EnvelopeLimits {
  /** Records in one envelope at most. */
  maxRecords: number;
  /** Encoded bytes of one envelope (Confluent header included) at most. */
  maxBytes: number;
}

/** A record that cannot be sent: alone it encodes larger than maxBytes. */
export interface OversizedRecord<R> {
  /** Position of the record in the list given to pack(). */
  index: number;
  record: R;
  /** Its envelope's encoded size, in bytes. */
  bytes: number;
}

export interface PackedEnvelopes<R> {
  /** One per envelope; never tombstones. */
  messages: Array<OutboundMessage & { value: Buffer }>;
  /** Records per message, parallel to messages (what each envelope holds, for callers that must know). */
  contents: R[][];
  tooLarge: OversizedRecord<R>[];
}

export class EnvelopePacker<R> {
  /**
   * @param schemaId registry id of the envelope schema (its own subject, see envelopeSubjectName).
   * @param wrap builds the envelope value from records, e.g. `(records) => ({ records })`.
   */
  constructor(
    private readonly serde: AvroSerde,
    private readonly schemaId: number,
    private readonly limits: EnvelopeLimits,
    private readonly wrap: (records: R[]) => unknown,
  ) {
    if (!Number.isInteger(limits.maxRecords) || limits.maxRecords < 1) throw new Error(`maxRecords must be a positive integer, got ${limits.maxRecords}`);
    if (!Number.isInteger(limits.maxBytes) || limits.maxBytes < 64) throw new Error(`maxBytes must be an integer >= 64, got ${limits.maxBytes}`);
  }

  /** The byte bound of one envelope. */
  get maxBytes(): number {
    return this.limits.maxBytes;
  }

  /**
   * Groups `records` by `keyOf` (first-seen key order, record order kept within a key) and encodes envelopes.
   * Each message's key is its group's key, or `messageKeyOf(first record of the envelope)` when given: for
   * groups that are not one key but one partition (samples of many series whose keys map to one partition).
   */
  async pack(records: readonly R[], keyOf: (r: R) => string, messageKeyOf?: (first: R) => string): Promise<PackedEnvelopes<R>> {
    const byKey = new Map<string, { record: R; index: number }[]>();
    records.forEach((record, index) => {
      const key = keyOf(record);
      let group = byKey.get(key);
      if (!group) {
        group = [];
        byKey.set(key, group);
      }
      group.push({ record, index });
    });
    const out: PackedEnvelopes<R> = { messages: [], contents: [], tooLarge: [] };
    for (const [key, group] of byKey) {
      for (let start = 0; start < group.length; start += this.limits.maxRecords) {
        await this.encodeBounded(key, group.slice(start, start + this.limits.maxRecords), out, messageKeyOf);
      }
    }
    return out;
  }

  private async encodeBounded(key: string, group: { record: R; index: number }[], out: PackedEnvelopes<R>, messageKeyOf?: (first: R) => string): Promise<void> {
    const records = group.map((g) => g.record);
    const wrapped = this.wrap(records);
    const value = this.serde.encodeSync(this.schemaId, wrapped) ?? (await this.serde.encode(this.schemaId, wrapped));
    if (value.length <= this.limits.maxBytes) {
      const first = records[0];
      out.messages.push({ key: messageKeyOf && first !== undefined ? messageKeyOf(first) : key, value });
      out.contents.push(records);
      return;
    }
    if (group.length === 1) {
      const only = group[0];
      if (only) out.tooLarge.push({ index: only.index, record: only.record, bytes: value.length });
      return;
    }
    const middle = Math.ceil(group.length / 2);
    await this.encodeBounded(key, group.slice(0, middle), out, messageKeyOf);
    await this.encodeBounded(key, group.slice(middle), out, messageKeyOf);
  }
}
