/**
 * Migration 2: the exactly-once writers' state table, and the record's position inside its Kafka message
 * (`_KafkaIndex`, -1 for a message of one record) on the logs table, so (topic, partition, offset, index)
 * identifies every row. The state table is tiny (two rows per insert into the data table, a week kept) and is
 * only ever read by its primary key prefix (table, topic, partition, epoch).
 */
import type { Migration } from './migration';

export const createSinkStateMigration: Migration = {
  version: 2,
  name: 'create_sink_state',
  up: (ctx) => [
    `CREATE TABLE IF NOT EXISTS ${ctx.tables.sinkState}
(
    TableName LowCardinality(String),
    Topic LowCardinality(String),
    Partition UInt32,
    Epoch LowCardinality(String),
    Version UInt64,
    Writer String,
    Status Enum8('pending' = 1, 'done' = 2),
    FirstOffset UInt64,
    LastOffset UInt64,
    Rows UInt32,
    ReferenceTime DateTime64(9),
    ClaimedAt DateTime64(9) DEFAULT now64(9)
)
ENGINE = MergeTree
ORDER BY (TableName, Topic, Partition, Epoch, Version)
TTL toDateTime(ClaimedAt) + toIntervalDay(7)
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1`,
    `ALTER TABLE ${ctx.tables.logs} ADD COLUMN IF NOT EXISTS _KafkaIndex Int32 DEFAULT -1 CODEC(ZSTD(1)) AFTER _KafkaOffset`,
  ],
};
