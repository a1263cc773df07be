/** Limits and credentials of the ingest stage's HTTP endpoints. */
import { boolVar, intVar, textVar } from '../env-var';
import { defineSection } from '../config-section';

const MiB = 1024 * 1024;

export interface IngestSettings {
  maxBodyBytes: number;
  maxDecompressedBytes: number;
  maxRecordsPerRequest: number;
  tokensFile: string;
  anonymous: boolean;
  defaultTenant: string;
  kafkaTenant: string;
  retryAfterSeconds: number;
  metadataCacheEntries: number;
  grpcPort: number;
}

export const ingestSection = defineSection({
  title: 'Ingest',
  vars: {
    maxBodyBytes: intVar('SEXTANT_INGEST_MAX_BODY_BYTES', 'Largest request body as sent (compressed); larger gets 413.', 16 * MiB, 1024, 1024 * MiB, 'bytes'),
    maxDecompressedBytes: intVar('SEXTANT_INGEST_MAX_DECOMPRESSED_BYTES', 'Largest request body after decompression; larger gets 413.', 64 * MiB, 1024, 4096 * MiB, 'bytes'),
    maxRecordsPerRequest: intVar('SEXTANT_INGEST_MAX_RECORDS', 'Most records (log records, metric data points) in one request; more gets 413.', 100000, 1, 10000000, 'records'),
    tokensFile: textVar('SEXTANT_AUTH_TOKENS_FILE', 'File of bearer tokens, one `token tenant` pair per line. Empty: no tokens.', ''),
    anonymous: boolVar('SEXTANT_AUTH_ANONYMOUS', 'Accept requests without a token; the tenant is X-Scope-OrgID or SEXTANT_TENANT_DEFAULT.', false),
    defaultTenant: textVar('SEXTANT_TENANT_DEFAULT', 'Tenant of anonymous requests without X-Scope-OrgID.', 'default'),
    kafkaTenant: textVar('SEXTANT_INGEST_KAFKA_TENANT', 'Tenant of messages on the Collector topics (otlp_logs, otlp_metrics) without an X-Scope-OrgID header.', 'default'),
    grpcPort: intVar('SEXTANT_INGEST_GRPC_PORT', 'Port of the OTLP/gRPC receiver (logs and metrics), on the HTTP host; 0 turns it off.', 4317, 0, 65535, 'port'),
    metadataCacheEntries: intVar('SEXTANT_INGEST_METADATA_CACHE_ENTRIES', 'Metric families whose remote-write metadata (type, help, unit) each ingest replica keeps for typing later samples (Prometheus sends metadata in requests of its own); least recently used out first, evictions counted.', 100000, 1, 10000000, 'families'),
    retryAfterSeconds: intVar('SEXTANT_INGEST_RETRY_AFTER_SECONDS', 'Retry-After of 503 answers, and of 429 answers when the producer cannot estimate when its buffer drains.', 5, 1, 3600, 's'),
  },
  build: (f): { value: IngestSettings; problems: string[] } => {
    const problems: string[] = [];
    if (f.maxDecompressedBytes < f.maxBodyBytes) problems.push('SEXTANT_INGEST_MAX_DECOMPRESSED_BYTES must be >= SEXTANT_INGEST_MAX_BODY_BYTES');
    if (!f.anonymous && f.tokensFile === '') problems.push('set SEXTANT_AUTH_TOKENS_FILE, or SEXTANT_AUTH_ANONYMOUS=true to accept anonymous requests');
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(f.defaultTenant)) problems.push('SEXTANT_TENANT_DEFAULT must be 1-128 letters, digits, ".", "_" or "-"');
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(f.kafkaTenant)) problems.push('SEXTANT_INGEST_KAFKA_TENANT must be 1-128 letters, digits, ".", "_" or "-"');
    return { value: f, problems };
  },
});

export const parserSection = defineSection({
  title: 'Parser',
  vars: {
    maxBodyBytes: intVar('SEXTANT_PARSER_MAX_BODY_BYTES', 'Bodies longer than this are truncated (flag truncated).', 65536, 256, 16 * MiB, 'bytes'),
    maxAttributes: intVar('SEXTANT_PARSER_MAX_ATTRIBUTES', 'Most attributes promoted from a JSON body (flag attributes_truncated beyond).', 128, 1, 10000, 'attributes'),
    transactionalId: textVar('SEXTANT_PARSER_TRANSACTIONAL_ID', 'Base of the Kafka transactional ids: one id per input partition, <base>.<topic>.<partition>, the same on every replica, so a partition\'s new owner fences its old one. Empty: the consumer group.', ''),
  },
  build: (f) => ({ value: f, problems: [] }),
});
