/**
 * Writes consumed `logs` batches into the ClickHouse logs table, effectively once: records at or below the
 * partition's stored watermark are skipped, the rest are inserted with deduplication tokens derived from their
 * offsets, rows ClickHouse refuses as bad data are dead-lettered, and the batch counts as done (its offsets may
 * commit) only after ClickHouse acknowledged the insert. A storage outage makes the handler throw: the consumer
 * retries the same batch with backoff and commits nothing meanwhile, so nothing acknowledged is ever lost.
 */
import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { BatchInserter, toOtelLogRow, type OtelLogRow, type TaggedRow } from '@sextant/clickhouse';
import type { LogRecord } from '@sextant/contracts';
import type { ConsumedBatch, ConsumedRecord } from '@sextant/kafka';
import { OffsetWatermarks } from './offset-watermarks';
import { LOGS_INSERTER } from './sink.tokens';

@Controller()
export class LogsSink {
  constructor(
    @Inject(LOGS_INSERTER) private readonly inserter: BatchInserter<OtelLogRow>,
    private readonly watermarks: OffsetWatermarks,
  ) {}

  @EventPattern('logs')
  async handle(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    if (batch.records.length === 0) return;
    const stored = await this.watermarks.get(batch.topic, batch.partition);
    const byOffset = new Map<string, ConsumedRecord<LogRecord>>();
    const rows: TaggedRow<OtelLogRow>[] = [];
    for (const rec of batch.records) {
      if (BigInt(rec.offset) <= stored) continue;
      const coords = { topic: rec.topic, partition: rec.partition, offset: rec.offset };
      byOffset.set(rec.offset, rec);
      rows.push({ row: toOtelLogRow(rec.value, coords), coords });
    }
    if (rows.length === 0) return;
    const result = await this.inserter.insert(rows);
    const reason = result.chunks.find((c) => c.outcome === 'rejected')?.error?.message ?? 'bad data';
    for (const bad of result.rejected) {
      const rec = byOffset.get(String(bad.coords.offset));
      if (rec) await batch.deadLetter(rec, `ClickHouse refused the row: ${reason}`, 'rejected');
    }
    const last = batch.records[batch.records.length - 1];
    if (last) this.watermarks.advance(batch.topic, batch.partition, BigInt(last.offset));
  }
}
