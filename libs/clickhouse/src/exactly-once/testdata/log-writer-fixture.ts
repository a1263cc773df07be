/**
 * Shared setup of the writer's integration tests: an embedded chDB store in a temp directory, migrated,
 * with builders for envelope-shaped batches (several records per offset) and the counts the tests assert on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import type { LogRecord } from '@sextant/contracts';
import { Registry } from 'prom-client';
import { resolveClickHouseConfig, type ClickHouseConfig } from '../../clickhouse.config';
import { createClickHouseClient } from '../../clickhouse-client.factory';
import { migrate } from '../../migrations/migrate';
import { ExactlyOnceLogWriter } from '../exactly-once-log-writer';
import type { SinkLogRecord } from '../log-write-lease';

export const TOPIC = 'sextant.logs';
export const SECOND_NS = 1_000_000_000n;
export const DAY_NS = 86_400n * SECOND_NS;
export const NOW_NS = BigInt(Date.now()) * 1_000_000n;

export function logRecord(body: string, changes: Partial<LogRecord> = {}): LogRecord {
  return {
    tenant: 'acme', timeUnixNano: NOW_NS - 60n * SECOND_NS, observedTimeUnixNano: NOW_NS - 30n * SECOND_NS, severityNumber: 9,
    severityText: 'INFO', body, attributes: {}, resource: { 'service.name': 'checkout' }, scopeName: '', scopeVersion: '', traceId: '',
    spanId: '', traceFlags: 0, serviceName: 'checkout', source: 'otlp', stream: '', k8s: null, parseFlags: [], ...changes,
  };
}

/** Messages at offsets `from..to`, `perMessage` records each (an envelope), bodies naming their coordinates. */
export function messages(partition: number, from: number, to: number, perMessage = 3, change?: (offset: number, index: number) => Partial<LogRecord>): SinkLogRecord[] {
  const out: SinkLogRecord[] = [];
  for (let o = from; o <= to; o++) {
    for (let i = 0; i < perMessage; i++) out.push({ offset: String(o), index: i, value: logRecord(`p${partition} o${o} i${i}`, change?.(o, i)) });
  }
  return out;
}

export interface WriterFixture {
  config: ClickHouseConfig;
  client: ClickHouseClient;
  registry: Registry;
  warnings: Array<{ message: string; fields: Record<string, unknown> }>;
  writer(): ExactlyOnceLogWriter;
  /** Rows stored for a partition, and distinct (offset, index) among them. */
  stored(partition: number): Promise<{ rows: number; distinct: number }>;
  close(): Promise<void>;
}

export async function writerFixture(name: string): Promise<WriterFixture> {
  const dir = mkdtempSync(join(tmpdir(), `sextant-eo-${name}-`));
  const config = resolveClickHouseConfig({ path: join(dir, 'store'), database: 'sextant_eo', insertRetryBaseMs: 1, insertRetryMaxMs: 2, insertMaxAttempts: 2 });
  const client = createClickHouseClient(config);
  await migrate(client, config);
  const registry = new Registry();
  const warnings: WriterFixture['warnings'] = [];
  return {
    config,
    client,
    registry,
    warnings,
    writer: () => new ExactlyOnceLogWriter({ client, config, registry, warn: (message, fields) => warnings.push({ message, fields }) }),
    async stored(partition) {
      const result = await client.query({
        query: `SELECT toString(count()) AS rows, toString(uniqExact(_KafkaOffset, _KafkaIndex)) AS distinct FROM sextant_eo.otel_logs WHERE _KafkaPartition = {p:UInt32}`,
        query_params: { p: partition },
        format: 'JSONEachRow',
      });
      const [row] = await result.json<{ rows: string; distinct: string }>();
      return { rows: Number(row?.rows), distinct: Number(row?.distinct) };
    },
    async close() {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An `onRejected` that records what it got. */
export function collectRejected(): { rows: string[]; onRejected: (rows: Array<{ source: { offset: string; index: number } }>) => Promise<void> } {
  const rows: string[] = [];
  return { rows, onRejected: async (rejected) => void rows.push(...rejected.map((r) => `${r.source.offset}/${r.source.index}`)) };
}
