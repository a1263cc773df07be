/**
 * Where a row came from in Kafka. Rows carry these into the table (`_KafkaTopic`, `_KafkaPartition`,
 * `_KafkaOffset`) and the batch inserter derives its deduplication tokens from them, so a batch re-read after a
 * crash is recognised as the one already written.
 */

export interface KafkaCoordinates {
  topic: string;
  partition: number;
  /** Message offset; kafkajs hands offsets over as decimal strings. */
  offset: string | bigint;
}

/** The offset as a bigint; throws on anything but a non-negative integer. */
export function offsetOf(coords: KafkaCoordinates): bigint {
  const value = typeof coords.offset === 'bigint' ? coords.offset : /^\d+$/.test(coords.offset) ? BigInt(coords.offset) : -1n;
  if (value < 0n) throw new Error(`Kafka offset must be a non-negative integer, got ${String(coords.offset)}`);
  return value;
}
