/**
 * The OpenTelemetry Collector's Kafka exporter topics, consumed directly: `otlp_logs` and `otlp_metrics` carry
 * one OTLP protobuf ExportLogsServiceRequest / ExportMetricsServiceRequest per message (the exporter's default
 * `otlp_proto` encoding). Each message becomes the same records an OTLP/HTTP request would, packed into
 * envelopes on ingest.logs / ingest.metrics; outputs and the consumer group's offset go in one Kafka
 * transaction per sub-batch, so a crash or a rebalance neither loses a message nor publishes it twice.
 *
 * A message that does not decode goes to the dead-letter topic whole. One whose items are partly invalid
 * (the points an OTLP/HTTP receiver would reject in its partial success) publishes the valid ones and
 * dead-letters the original message, naming how many were rejected and why, so nothing is dropped unseen.
 *
 * The tenant is the message's `X-Scope-OrgID` header when present (the Collector's `include_metadata_keys`
 * can forward it), else SEXTANT_INGEST_KAFKA_TENANT: whoever may write to these topics chooses the tenant,
 * so guard them with Kafka ACLs. A record's receive time is the message's Kafka timestamp, so a replay gives
 * the same records.
 */
import { Controller, Inject, UseFilters } from '@nestjs/common';
import { EventPattern, Payload } from '@nestjs/microservices';
import type { LogRecord, MetricSample } from '@sextant/contracts';
import { TransactionalOutput, type ConsumedBatch, type ConsumedRecord, type OutboundMessage } from '@sextant/kafka';
import { decodeOtlpLogsProtobuf, decodeOtlpMetricsProtobuf, metricSampleOf } from '@sextant/otlp';
import { RethrowErrorsFilter } from '@sextant/stage-runtime';
import type { IngestStageSettings } from '../ingest.config';
import { IngestMetrics } from '../ingest.metrics';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { LogPublisher, type PackedForTopic } from '../logs/log-publisher.service';
import { MetricPublisher } from '../metrics/metric-publisher.service';

/** `source` of the records that came through the Collector's Kafka topics. */
export const KAFKA_OTLP_SOURCE = 'kafka-otlp';
/** Header naming a message's tenant. */
export const TENANT_HEADER = 'x-scope-orgid';
const TENANT_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
/** How many rejection reasons a dead letter names. */
const NAMED_REASONS = 5;

interface Decoded<R> {
  records: R[];
  rejected: number;
  errors: string[];
}

// The transport acts on the class of a thrown error (re-read on RefetchRequiredError): it must arrive intact.
@Controller()
@UseFilters(new RethrowErrorsFilter())
export class OtlpTopicsHandler {
  constructor(
    private readonly logs: LogPublisher,
    private readonly metricPublisher: MetricPublisher,
    private readonly output: TransactionalOutput,
    private readonly metrics: IngestMetrics,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {}

  @EventPattern('otlp_logs')
  async handleLogs(@Payload() batch: ConsumedBatch<Buffer>): Promise<void> {
    await this.handle(batch, 'kafka-otlp-logs', (value, tenant, receivedNs) => decodeOtlpLogsProtobuf(value, { tenant, observedTimeUnixNano: receivedNs, maxRecords: this.settings.ingest.maxRecordsPerRequest }), (records) => this.logs.pack(records.map((r) => ({ ...r, source: KAFKA_OTLP_SOURCE }))));
  }

  @EventPattern('otlp_metrics')
  async handleMetrics(@Payload() batch: ConsumedBatch<Buffer>): Promise<void> {
    await this.handle(
      batch,
      'kafka-otlp-metrics',
      (value, tenant) => {
        const decoded = decodeOtlpMetricsProtobuf(value, { tenant, maxDataPoints: this.settings.ingest.maxRecordsPerRequest });
        return { records: decoded.points.map((p) => metricSampleOf(p, KAFKA_OTLP_SOURCE)), rejected: decoded.rejected, errors: decoded.errors };
      },
      (samples) => this.metricPublisher.pack(samples),
    );
  }

  private async handle<R extends LogRecord | MetricSample>(
    batch: ConsumedBatch<Buffer>,
    protocol: string,
    decode: (value: Buffer, tenant: string, receivedNs: bigint) => Decoded<R>,
    pack: (records: R[]) => Promise<PackedForTopic<R>>,
  ): Promise<void> {
    const letters: Promise<void>[] = [];
    const records: R[] = [];
    const origins: ConsumedRecord<Buffer>[] = [];
    let rejected = 0;
    for (const rec of batch.records) {
      const tenant = this.tenantOf(rec);
      if (typeof tenant !== 'string') {
        letters.push(batch.deadLetter(rec, tenant.problem, 'invalid'));
        continue;
      }
      let decoded: Decoded<R>;
      try {
        decoded = decode(rec.value, tenant, BigInt(rec.timestamp) * 1_000_000n);
      } catch (err) {
        letters.push(batch.deadLetter(rec, `not an OTLP protobuf export request: ${err instanceof Error ? err.message : String(err)}`, 'undecodable', tenant));
        continue;
      }
      for (const r of decoded.records) {
        records.push(r);
        origins.push(rec);
      }
      if (decoded.rejected > 0) {
        rejected += decoded.rejected;
        const reasons = decoded.errors.slice(0, NAMED_REASONS).join('; ');
        letters.push(batch.deadLetter(rec, `${decoded.rejected} of ${decoded.rejected + decoded.records.length} items rejected (the others were accepted): ${reasons}`, 'invalid', tenant));
      }
    }
    const packed = await pack(records);
    for (const t of packed.tooLarge) {
      const origin = origins[t.index];
      if (origin) letters.push(batch.deadLetter(origin, `item ${t.index} encodes to ${t.bytes} bytes, more than an envelope may hold (${this.settings.producer.envelopeMaxBytes})`, 'too_large', t.record.tenant));
    }
    await Promise.all(letters);
    const outputs: { topic: string; messages: OutboundMessage[] }[] = packed.messages.length > 0 ? [{ topic: packed.topic, messages: packed.messages }] : [];
    // Aborted (partition revoked, drain deadline) before the commit: the transaction aborts and the next owner redoes it.
    await this.output.commit(outputs, { groupId: batch.groupId, topic: batch.topic, partition: batch.partition, offset: batch.nextOffset }, batch.signal);
    this.metrics.records(protocol, records.length - packed.tooLarge.length, rejected + packed.tooLarge.length);
  }

  /** The message's tenant; a header that names no valid tenant is refused rather than guessed. */
  private tenantOf(rec: ConsumedRecord<Buffer>): string | { problem: string } {
    const header = Object.entries(rec.headers).find(([name]) => name.toLowerCase() === TENANT_HEADER)?.[1];
    if (header === undefined) return this.settings.ingest.kafkaTenant;
    const tenant = header.toString('utf8');
    return TENANT_PATTERN.test(tenant) ? tenant : { problem: `header ${TENANT_HEADER} must be 1-128 letters, digits, ".", "_" or "-" (got ${JSON.stringify(tenant.slice(0, 140))})` };
  }
}
