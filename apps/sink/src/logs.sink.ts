/**
 * Writes consumed `logs` batches into the ClickHouse logs table exactly once (see log-partition-writer.ts and
 * libs/clickhouse's ExactlyOnceLogWriter): the batch counts as done, and its offsets may commit, only once
 * ClickHouse holds its rows and Kafka holds the dead letters of the rows ClickHouse refused. A storage outage
 * makes the handler throw: the consumer retries the same batch with backoff and commits nothing meanwhile.
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { RethrowErrorsFilter } from '@sextant/stage-runtime';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { LogRecord } from '@sextant/contracts';
import type { ConsumedBatch } from '@sextant/kafka';
import { LogPartitionWriter } from './log-partition-writer';

@Controller()
@UseFilters(new RethrowErrorsFilter())
export class LogsSink {
  constructor(@Inject(LogPartitionWriter) private readonly writer: LogPartitionWriter) {}

  @EventPattern('logs')
  async handle(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    await this.writer.write(batch);
  }
}
