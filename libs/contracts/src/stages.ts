// The stages of Sextant as data: one entry per stage, with its HTTP port, the topics it reads and writes, the
// state it owns and how it scales. Everything that has to know the list of stages reads it from here: the stage
// runtime (topics to provision, schemas to register), configuration defaults (ports), the local run scripts, the
// test harness, and the deployment checks, which insist that `apps/`, the compose services, the Kubernetes
// Deployments and the lint scopes name exactly these stages. Adding a stage is one folder under apps/ plus one
// entry here (and its deployment files, which the checks then demand).
import type { LogicalTopic } from './topics';

/** Every stage, in pipeline order. */
export const STAGE_NAMES = ['scraper', 'ingest', 'parser', 'aggregator', 'sink'] as const;

export type StageName = (typeof STAGE_NAMES)[number];

/** What a stage keeps between batches, and so how it may be scaled and restarted. */
export type StageState =
  /** Nothing: any replica may take any record; restart at will. */
  | 'none'
  /** Per assigned partition (windows, buffers, traces in flight): checkpointed with offsets, handed over on rebalance. */
  | 'per-partition';

export interface StageScaling {
  /** Replicas a deployment starts with (and the autoscaler's floor). */
  readonly minReplicas: number;
  /** Autoscaler ceiling; for consumers, at most the partitions of what they read. */
  readonly maxReplicas: number;
  /**
   * Consumer lag per replica above which KEDA adds a replica, in Kafka messages (batch envelopes of up to
   * SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS records each); 0 for stages not scaled on lag: those that consume
   * nothing, and ingest, which scales on its HTTP load (its consumer of the Collector topics rides along).
   */
  readonly lagThreshold: number;
}

export interface StageSpec {
  readonly name: StageName;
  /** Port of the stage's HTTP server: /healthz, /readyz, /metrics (and the receivers, for ingest). */
  readonly httpPort: number;
  /** Ports clients send data to (ingest's receivers: its HTTP port, later OTLP/gRPC); empty for internal stages. */
  readonly clientPorts: readonly number[];
  /** Topics it reads. */
  readonly consumes: readonly LogicalTopic[];
  /** Topics it writes (besides the dead-letter topic, which every stage writes). */
  readonly produces: readonly LogicalTopic[];
  readonly state: StageState;
  readonly scaling: StageScaling;
  /**
   * V8's young-generation semi-space, MiB (`--max-semi-space-size`; the young generation takes up to three
   * of them). A batch's records live for its round trip to Kafka or ClickHouse; with V8's default most of them
   * outlive two scavenges and are copied into the old generation, and garbage collection takes a large share
   * of a stage's CPU. Larger semi-spaces let them die young. Every way of running a stage sets it (see
   * nodeOptionsOf).
   */
  readonly semiSpaceMiB: number;
}

export const STAGES: Readonly<Record<StageName, StageSpec>> = {
  scraper: {
    name: 'scraper',
    httpPort: 8304,
    clientPorts: [],
    // Not a stream: the group's assignment of scraper.shards' partitions says which targets a replica scrapes.
    consumes: ['scraper.shards'],
    produces: ['ingest.metrics'],
    state: 'none',
    // Scaled by targets, not lag; at most one replica per shard does work.
    scaling: { minReplicas: 2, maxReplicas: 12, lagThreshold: 0 },
    semiSpaceMiB: 16,
  },
  ingest: {
    name: 'ingest',
    httpPort: 4318,
    clientPorts: [4318, 4317],
    consumes: ['otlp_logs', 'otlp_metrics'],
    produces: ['ingest.logs', 'ingest.metrics'],
    state: 'none',
    scaling: { minReplicas: 2, maxReplicas: 10, lagThreshold: 0 },
    semiSpaceMiB: 32,
  },
  parser: {
    name: 'parser',
    httpPort: 8301,
    clientPorts: [],
    consumes: ['ingest.logs'],
    produces: ['logs'],
    state: 'none',
    scaling: { minReplicas: 2, maxReplicas: 12, lagThreshold: 200 },
    semiSpaceMiB: 64,
  },
  aggregator: {
    name: 'aggregator',
    httpPort: 8303,
    clientPorts: [],
    consumes: ['ingest.metrics', 'logs'],
    produces: ['metrics.rollups'],
    state: 'per-partition',
    scaling: { minReplicas: 2, maxReplicas: 6, lagThreshold: 200 },
    semiSpaceMiB: 64,
  },
  sink: {
    name: 'sink',
    httpPort: 8302,
    clientPorts: [],
    consumes: ['logs', 'ingest.metrics', 'metrics.rollups'],
    produces: [],
    state: 'none',
    scaling: { minReplicas: 2, maxReplicas: 12, lagThreshold: 400 },
    semiSpaceMiB: 64,
  },
};

/** The spec of a stage by name; throws on a name that is not a stage. */
export function stageSpec(name: string): StageSpec {
  const spec = (STAGES as Record<string, StageSpec | undefined>)[name];
  if (!spec) throw new Error(`unknown stage ${JSON.stringify(name)}; stages are ${STAGE_NAMES.join(', ')}`);
  return spec;
}

/**
 * The Node options a stage runs with wherever it runs (Kubernetes and compose set NODE_OPTIONS to include
 * them, the local scripts and the test harness pass them): its garbage-collector sizing.
 */
export function nodeOptionsOf(name: StageName): string {
  return `--max-semi-space-size=${STAGES[name].semiSpaceMiB}`;
}
