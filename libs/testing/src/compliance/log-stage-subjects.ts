/**
 * The compliance subjects of the logs path. The parser's effect is a record on the `logs` topic in a committed
 * transaction (read back read_committed, identified by the id attribute it keeps); the sink's effect is a row
 * in `otel_logs` in the rig's own store (identified by the same attribute, and counted by row identity
 * (topic, partition, offset, index) as well). Both stages are stateless: every record stands alone.
 * Units of work are kept small (sub-batches, envelopes, inserts), so kills and rebalances land inside them.
 */
import type { LogBatch, LogRecord } from '@sextant/contracts';
import { topicName } from '@sextant/contracts';
import { OutputTally } from './output-tally';
import type { ComplianceSubject, IdentityTally } from './compliance-subject';
import { COMPLIANCE_ID_ATTRIBUTE, LogStageRig } from './log-stage-rig';

/** Knobs that make every replica's units of work small and its failures quick to notice. */
export const SMALL_UNITS_ENV: Readonly<Record<string, string>> = {
  SEXTANT_LOG_LEVEL: 'warn',
  SEXTANT_CONSUMER_SUB_BATCH_SIZE: '20',
  SEXTANT_CONSUMER_SESSION_TIMEOUT_MS: '8000',
  SEXTANT_CONSUMER_HEARTBEAT_INTERVAL_MS: '1000',
  SEXTANT_CONSUMER_DRAIN_TIMEOUT_MS: '3000',
  SEXTANT_SHUTDOWN_TIMEOUT_MS: '10000',
  SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS: '20',
  SEXTANT_PRODUCER_SEND_TIMEOUT_MS: '5000',
  SEXTANT_SINK_MAX_BATCH_ROWS: '100',
  SEXTANT_SINK_FLUSH_INTERVAL_MS: '100',
};

class ParserRig extends LogStageRig {
  readonly atomicEffectsAndOffsets = true;
  private readonly output = new OutputTally(this.conn, topicName(this.pipeline.prefix, 'logs'), async (m) => {
    const decoded = await this.serde.decode<LogBatch | LogRecord>(m.value);
    const records = decoded.writerName.endsWith('LogBatch') ? (decoded.value as LogBatch).records : [decoded.value as LogRecord];
    return records.map((r, i) => ({ id: r.attributes[COMPLIANCE_ID_ATTRIBUTE] ?? r.body, at: `${m.partition}:${m.offset}[${i}]` }));
  });

  async startOutput(): Promise<void> {
    await this.output.start();
  }

  effects(): Promise<Map<string, number>> {
    return this.output.effects();
  }

  override async whereIs(ids: string[]): Promise<string> {
    return this.output.whereIs(ids);
  }

  protected override async closeReaders(): Promise<void> {
    await this.output.close();
  }
}

class SinkRig extends LogStageRig {
  readonly atomicEffectsAndOffsets = false;
  async effects(): Promise<Map<string, number>> {
    if (this.pipeline.storePort === 0) return new Map();
    const rows = await this.pipeline.query<{ id: string; n: string }>(
      `SELECT LogAttributes['${COMPLIANCE_ID_ATTRIBUTE}'] AS id, count() AS n FROM sextant.otel_logs WHERE id != '' GROUP BY id`,
    );
    return new Map(rows.map((r) => [r.id, Number(r.n)]));
  }

  override async identities(): Promise<IdentityTally> {
    const rows = await this.pipeline.query<{ rows: string; distinct: string }>(
      `SELECT count() AS rows, uniqExact(_KafkaTopic, _KafkaPartition, _KafkaOffset, _KafkaIndex) AS distinct FROM sextant.otel_logs`,
    );
    return { rows: Number(rows[0]?.rows ?? 0), distinct: Number(rows[0]?.distinct ?? 0) };
  }

  override async whereIs(ids: string[]): Promise<string> {
    const list = ids.map((id) => `'${id.replace(/'/g, "''")}'`).join(',');
    const rows = await this.pipeline.query<{ id: string; at: string }>(
      `SELECT LogAttributes['${COMPLIANCE_ID_ATTRIBUTE}'] AS id, concat(_KafkaTopic, '[', toString(_KafkaPartition), ']:', toString(_KafkaOffset), '[', toString(_KafkaIndex), ']') AS at FROM sextant.otel_logs WHERE id IN (${list})`,
    );
    return rows.map((r) => `${r.id} at ${r.at}`).join('; ');
  }

  /** The store down: inserts fail, so nothing the sink reads meanwhile becomes durable. */
  async withholdDelivery(): Promise<() => Promise<void>> {
    await this.pipeline.stage('store').stop('SIGKILL');
    return async () => {
      await this.pipeline.startStore();
    };
  }
}

const STATELESS = 'stateless: every record is processed on its own, nothing is kept between batches';

export function parserSubject(env: Record<string, string> = {}): ComplianceSubject {
  return {
    stage: 'parser',
    state: { stateless: STATELESS },
    rig: async () => {
      const rig = new ParserRig('parser', 'ingest.logs', { ...SMALL_UNITS_ENV, ...env });
      await rig.open(['logs']);
      await rig.startOutput();
      return rig;
    },
  };
}

export function sinkSubject(env: Record<string, string> = {}): ComplianceSubject {
  return {
    stage: 'sink',
    state: { stateless: STATELESS },
    rig: async () => {
      const rig = new SinkRig('sink', 'logs', { ...SMALL_UNITS_ENV, ...env });
      await rig.open([]);
      await rig.pipeline.startStore();
      return rig;
    },
  };
}
