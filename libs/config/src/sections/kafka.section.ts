/** How a stage reaches Kafka and the schema registry, and the topic naming and provisioning it uses. */
import { boolVar, enumVar, intVar, listVar, textVar, urlVar } from '../env-var';
import { defineSection, type SectionValue } from '../config-section';

export function kafkaSection(stage: string) {
  return defineSection({
    title: 'Kafka',
    vars: {
      brokers: listVar('SEXTANT_KAFKA_BROKERS', 'Bootstrap brokers, comma separated host:port.', '127.0.0.1:9092'),
      clientId: textVar('SEXTANT_KAFKA_CLIENT_ID', 'Kafka client id (shows in broker logs and quotas).', `sextant-${stage}`, { docDefault: 'sextant-<stage>' }),
      ssl: boolVar('SEXTANT_KAFKA_SSL', 'Connect to the brokers with TLS.', false),
      saslMechanism: enumVar('SEXTANT_KAFKA_SASL_MECHANISM', 'SASL mechanism, or none.', 'none', ['none', 'plain', 'scram-sha-256', 'scram-sha-512']),
      saslUsername: textVar('SEXTANT_KAFKA_SASL_USERNAME', 'SASL user name.', ''),
      saslPassword: textVar('SEXTANT_KAFKA_SASL_PASSWORD', 'SASL password.', '', { secret: true }),
      connectionTimeoutMs: intVar('SEXTANT_KAFKA_CONNECTION_TIMEOUT_MS', 'Timeout of one broker connection attempt.', 3000, 100, 120000, 'ms'),
      requestTimeoutMs: intVar('SEXTANT_KAFKA_REQUEST_TIMEOUT_MS', 'Timeout of one Kafka request.', 30000, 1000, 300000, 'ms'),
    },
    build: (f) => {
      const problems: string[] = [];
      if (f.saslMechanism !== 'none' && (f.saslUsername === '' || f.saslPassword === '')) {
        problems.push('SEXTANT_KAFKA_SASL_USERNAME and SEXTANT_KAFKA_SASL_PASSWORD are required when SEXTANT_KAFKA_SASL_MECHANISM is set');
      }
      const value = {
        brokers: f.brokers,
        clientId: f.clientId,
        ssl: f.ssl,
        sasl: f.saslMechanism === 'none' ? null : { mechanism: f.saslMechanism, username: f.saslUsername, password: f.saslPassword },
        connectionTimeoutMs: f.connectionTimeoutMs,
        requestTimeoutMs: f.requestTimeoutMs,
      };
      return { value, problems };
    },
  });
}

export const registrySection = defineSection({
  title: 'Schema registry',
  vars: {
    url: urlVar('SEXTANT_SCHEMA_REGISTRY_URL', 'Confluent-compatible schema registry API (Confluent: the root URL; Apicurio: .../apis/ccompat/v7).', 'http://127.0.0.1:8081/apis/ccompat/v7'),
    username: textVar('SEXTANT_SCHEMA_REGISTRY_USERNAME', 'Basic-auth user of the registry.', ''),
    password: textVar('SEXTANT_SCHEMA_REGISTRY_PASSWORD', 'Basic-auth password of the registry.', '', { secret: true }),
  },
  build: (f) => ({ value: f, problems: [] }),
});

export interface TopicSettings {
  /** Prefix of every Sextant topic name (not of the OTLP topics otlp_logs, otlp_spans, otlp_metrics). */
  prefix: string;
  /** Prefix of the OTLP topics (otlp_logs, otlp_spans, otlp_metrics); empty: the Collector's default names. */
  otlpPrefix: string;
  /** Create missing topics and raise partition counts at start. */
  provision: boolean;
  /** Replication factor of topics this stage creates. */
  replicationFactor: number;
  /** Partitions of topics this stage creates; 0 uses each topic's default. */
  partitions: number;
}

export const topicsSection = defineSection({
  title: 'Topics',
  vars: {
    prefix: textVar('SEXTANT_TOPIC_PREFIX', 'Prefix of every Sextant topic name.', 'sextant.'),
    otlpPrefix: textVar('SEXTANT_TOPIC_OTLP_PREFIX', 'Prefix of the OpenTelemetry Collector topics otlp_logs, otlp_spans and otlp_metrics; empty keeps the Kafka exporter\'s default names.', ''),
    provision: boolVar('SEXTANT_TOPIC_PROVISION', 'Create missing topics (and raise partition counts) at start.', true),
    replicationFactor: intVar('SEXTANT_TOPIC_REPLICATION_FACTOR', 'Replication factor of topics created at start.', 1, 1, 7),
    partitions: intVar('SEXTANT_TOPIC_PARTITIONS', 'Partitions of topics created at start; 0 keeps each topic\'s default.', 0, 0, 1024),
  },
  build: (f): { value: TopicSettings; problems: string[] } => {
    const problems: string[] = [];
    if (!/^[A-Za-z0-9._-]*$/.test(f.prefix)) problems.push('SEXTANT_TOPIC_PREFIX may hold only letters, digits, ".", "_" and "-"');
    if (!/^[A-Za-z0-9._-]*$/.test(f.otlpPrefix)) problems.push('SEXTANT_TOPIC_OTLP_PREFIX may hold only letters, digits, ".", "_" and "-"');
    return { value: f, problems };
  },
});

/** How a stage reaches Kafka (the fields of the Kafka section). */
export type KafkaSettings = SectionValue<ReturnType<typeof kafkaSection>>;

/** How a stage reaches the schema registry (the fields of the Schema registry section). */
export type RegistrySettings = SectionValue<typeof registrySection>;
