/**
 * What Sextant's deployment artefacts must provide, in one place: the stages and their ports (from the stage
 * declarations in @sextant/contracts), the environment the config lib reads, the image's uid,
 * and the infrastructure of the compose file. The specs check the real files against these.
 */
import { STAGE_NAMES, STAGES as DECLARED_STAGES } from '@sextant/contracts';
import type { ComposeExpectations } from './compose-rules';
import type { DockerfileExpectations } from './dockerfile-rules';
import type { K8sExpectations, StageExpectation } from './k8s-rules';

/** uid:gid of the runtime image (deploy/Dockerfile USER, Kubernetes runAsUser). */
export const IMAGE_UID = 10001;

/** The declared stages (libs/contracts/src/stages.ts), with the port of their HTTP server and client ports. */
export const STAGES: readonly StageExpectation[] = STAGE_NAMES.map((name) => {
  const spec = DECLARED_STAGES[name];
  return spec.clientPorts.length > 0 ? { stage: name, adminPort: spec.httpPort, clientPorts: spec.clientPorts } : { stage: name, adminPort: spec.httpPort };
});

/** Settings every service reads (names owned by libs/config). */
export const SERVICE_ENV = [
  'SEXTANT_KAFKA_BROKERS',
  'SEXTANT_SCHEMA_REGISTRY_URL',
  'SEXTANT_REDIS_URL',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'SEXTANT_TOPIC_PREFIX',
  'SEXTANT_HTTP_PORT',
  'SEXTANT_LOG_LEVEL',
] as const;

/** Credentials: in Kubernetes they come from the Secret, not the ConfigMap. */
const CREDENTIAL_ENV = new Set<string>(['CLICKHOUSE_USER', 'CLICKHOUSE_PASSWORD']);

/** Set per Deployment (one port per stage), not in the shared ConfigMap. */
const PER_STAGE_ENV = new Set<string>(['SEXTANT_HTTP_PORT']);

export const COMPOSE_EXPECTATIONS: ComposeExpectations = {
  apps: STAGES.map((s) => s.stage),
  stateful: ['kafka', 'redis', 'clickhouse'],
  // OTLP/HTTP, ClickHouse HTTP for queries, the schema registry, Kafka for host clients.
  hostPorts: [4318, 8123, 8081, 9092],
  appEnv: [...SERVICE_ENV],
};

export const K8S_EXPECTATIONS: K8sExpectations = {
  stages: STAGES,
  runAsUser: IMAGE_UID,
  configMapName: 'sextant-config',
  secretName: 'sextant-credentials',
  configKeys: SERVICE_ENV.filter((k) => !CREDENTIAL_ENV.has(k) && !PER_STAGE_ENV.has(k)),
};

export const DOCKERFILE_EXPECTATIONS: DockerfileExpectations = {
  // Node 20 on Debian bookworm, slim variant, optionally patch-pinned and digest-pinned.
  runtimeBase: /^node:20(\.\d+){0,2}-bookworm-slim(@sha256:[0-9a-f]{64})?$/,
  uid: IMAGE_UID,
};

/** The Dockerfile, relative to the repository root. */
export const DOCKERFILE_PATH = 'deploy/Dockerfile';
