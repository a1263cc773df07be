/**
 * The parser stage's work on one consumed batch of ingest.logs: parse every record's body (JSON, plain text
 * for now), validate it, and publish the result to logs keyed by stream. The outputs and the consumer
 * group's offset are committed in one Kafka transaction, so a crash or rebalance mid-batch neither loses a
 * record nor publishes one twice. Records that break the contract (no tenant, malformed ids) go to the
 * dead-letter topic (at least once) and do not hold up the rest.
 */
import { Controller, Inject } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { logStreamKey, type LogRecord } from '@sextant/contracts';
import { TransactionalOutput, type ConsumedBatch } from '@sextant/kafka';
import { parseLogRecord, type ParseOptions } from '@sextant/parsing';
import { StageRuntime } from '@sextant/stage-runtime';
import { PARSE_OPTIONS } from './parser.tokens';

@Controller()
export class ParseLogsHandler {
  private readonly outTopic: string;
  private readonly outSchemaId: number;

  constructor(
    @Inject(StageRuntime) private readonly runtime: StageRuntime,
    @Inject(PARSE_OPTIONS) private readonly options: ParseOptions,
    private readonly output: TransactionalOutput,
  ) {
    this.outTopic = runtime.topic('logs');
    this.outSchemaId = runtime.schemaId('logs');
  }

  @EventPattern('ingest.logs')
  async handle(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    const messages: { key: string; value: Buffer }[] = [];
    for (const rec of batch.records) {
      const invalid = validate(rec.value);
      if (invalid !== null) {
        await batch.deadLetter(rec, invalid, 'invalid');
        continue;
      }
      const parsed = parseLogRecord(rec.value, this.options);
      messages.push({ key: logStreamKey(parsed), value: await this.runtime.serde.encode(this.outSchemaId, parsed) });
    }
    await this.output.commit([{ topic: this.outTopic, messages }], { groupId: batch.groupId, topic: batch.topic, partition: batch.partition, offset: batch.nextOffset });
  }
}

export function validate(r: LogRecord): string | null {
  if (typeof r.tenant !== 'string' || r.tenant === '') return 'record has no tenant';
  if (r.traceId !== '' && !/^[0-9a-f]{32}$/.test(r.traceId)) return `traceId ${JSON.stringify(r.traceId)} is not 32 lowercase hex digits`;
  if (r.spanId !== '' && !/^[0-9a-f]{16}$/.test(r.spanId)) return `spanId ${JSON.stringify(r.spanId)} is not 16 lowercase hex digits`;
  return null;
}
