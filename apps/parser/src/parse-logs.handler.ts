/**
 * The parser stage's work on one consumed batch of ingest.logs: parse every record's body (JSON, plain text
 * for now), check the LogRecord contract, and publish the results to logs as LogBatch envelopes, one per stream
 * key (within the envelope bounds). The outputs and the consumer group's offset are committed in one Kafka
 * transaction, so a crash or rebalance mid-batch neither loses a record nor publishes one twice. Records that
 * break the contract (no tenant, malformed ids), or that parsing grew past the largest envelope, go to the
 * dead-letter topic (at least once) and do not hold up the rest.
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import { logRecordContractViolation, logStreamKey, type LogBatch, type LogRecord } from '@sextant/contracts';
import { EnvelopePacker, TransactionalOutput, type ConsumedBatch, type ConsumedRecord } from '@sextant/kafka';
import { parseLogRecord, type ParseOptions } from '@sextant/parsing';
import { RethrowErrorsFilter, StageRuntime } from '@sextant/stage-runtime';
import { PARSE_OPTIONS } from './parser.tokens';

// The transport acts on the class of a thrown error (re-read on RefetchRequiredError): it must arrive intact.
@Controller()
@UseFilters(new RethrowErrorsFilter())
export class ParseLogsHandler {
  private readonly outTopic: string;
  private readonly packer: EnvelopePacker<LogRecord>;

  constructor(
    @Inject(StageRuntime) runtime: StageRuntime,
    @Inject(PARSE_OPTIONS) private readonly options: ParseOptions,
    private readonly output: TransactionalOutput,
  ) {
    this.outTopic = runtime.topic('logs');
    const { envelopeMaxRecords, envelopeMaxBytes } = runtime.settings.producer;
    this.packer = new EnvelopePacker<LogRecord>(runtime.serde, runtime.envelopeSchemaId('logs'), { maxRecords: envelopeMaxRecords, maxBytes: envelopeMaxBytes }, (records): LogBatch => ({ records }));
  }

  @EventPattern('ingest.logs')
  async handle(@Payload() batch: ConsumedBatch<LogRecord>): Promise<void> {
    // Records arrive flat: envelopes are unpacked by the transport, each record with its index.
    const parsed: LogRecord[] = [];
    const sources: ConsumedRecord<LogRecord>[] = [];
    const letters: Promise<void>[] = [];
    for (const rec of batch.records) {
      const violation = logRecordContractViolation(rec.value);
      if (violation !== null) {
        letters.push(batch.deadLetter(rec, violation, 'invalid', rec.value.tenant || undefined));
        continue;
      }
      parsed.push(parseLogRecord(rec.value, this.options));
      sources.push(rec);
    }
    const packed = await this.packer.pack(parsed, logStreamKey);
    for (const t of packed.tooLarge) {
      const source = sources[t.index];
      if (source) letters.push(batch.deadLetter(source, `parsed record encodes to ${t.bytes} bytes, more than an envelope may hold (${this.packer.maxBytes})`, 'too_large', t.record.tenant));
    }
    await Promise.all(letters);
    // Aborted (partition revoked, drain deadline) before the commit: the transaction aborts and the next owner redoes it.
    await this.output.commit([{ topic: this.outTopic, messages: packed.messages }], { groupId: batch.groupId, topic: batch.topic, partition: batch.partition, offset: batch.nextOffset }, batch.signal);
  }
}
