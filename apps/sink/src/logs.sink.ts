/**
 * Writes consumed `logs` batches into the ClickHouse logs table exactly once (see partition-writer.ts and
 * libs/clickhouse's ExactlyOnceLogWriter): the batch counts as done, and its offsets may commit, only once
 * ClickHouse holds its rows and Kafka holds the dead letters of the rows ClickHouse refused. A storage outage
 * makes the handler throw: the consumer retries the same batch with backoff and commits nothing meanwhile.
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { RethrowErrorsFilter } from '@sextant/stage-runtime';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { LogRecord } from '@sextant/contracts';
import type { ConsumedBatch } from '@sextant/kafka';
import type { SinkResources } from './sink-resources';
import { SINK_RESOURCES } from './sink.tokens';

@Controller()
@UseFilters(new RethrowErrorsFilter())
export class LogsSink {
  constructor(@Inject(SINK_RESOURCES) private readonly resources: SinkResources) {}

  @EventPattern('logs')
  async handle(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    await this.resources.logs.write(batch);
  }
}
