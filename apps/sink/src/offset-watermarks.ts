/**
 * The highest Kafka offset of each topic-partition already stored in a table, read from the rows themselves
 * (`_KafkaTopic`, `_KafkaPartition`, `_KafkaOffset`). The sink inserts a partition's rows in offset order, one
 * atomic insert at a time, so every offset at or below the watermark is stored: records redelivered after a
 * crash or a rebalance are skipped instead of written twice. Insert deduplication tokens are the second line
 * of defence for a batch cut differently on redelivery. Read once per partition per process; values only grow.
 */
import type { ClickHouseClient } from '@clickhouse/client';

export class OffsetWatermarks {
  private readonly known = new Map<string, bigint>();

  constructor(
    private readonly client: ClickHouseClient,
    private readonly qualifiedTable: string,
  ) {}

  /** Highest stored offset of the partition, -1 when none. */
  async get(topic: string, partition: number): Promise<bigint> {
    const key = `${topic}\u0000${partition}`;
    const cached = this.known.get(key);
    if (cached !== undefined) return cached;
    const res = await this.client.query({
      query: `SELECT toString(max(_KafkaOffset)) AS m, count() AS c FROM ${this.qualifiedTable} WHERE _KafkaTopic = {topic:String} AND _KafkaPartition = {partition:UInt32}`,
      query_params: { topic, partition },
      format: 'JSONEachRow',
    });
    const rows = await res.json<{ m: string; c: string | number }>();
    const first = rows[0];
    const value = first && Number(first.c) > 0 ? BigInt(first.m) : -1n;
    this.known.set(key, value);
    return value;
  }

  advance(topic: string, partition: number, offset: bigint): void {
    const key = `${topic}\u0000${partition}`;
    const cur = this.known.get(key);
    if (cur === undefined || offset > cur) this.known.set(key, offset);
  }
}
