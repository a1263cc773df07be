/**
 * Brings topics to at least what a stage declares: creates the missing ones, raises partition counts that
 * are lower (never lowers them: that would remap keys to partitions and lose ordering), and reports config
 * drift on existing topics without changing it (retention or cleanup policy changes are an operator's call).
 * Several replicas starting at once race on the same topics, so "already exists" and "already has that many
 * partitions" are outcomes to re-check, not errors.
 * Created topics get min.insync.replicas = replicationFactor − 1 when the factor is 2 or more (unless the
 * spec sets it): acks=all then means "on at least two brokers" from RF 3, and one broker down still leaves
 * the topic writable. The value is never allowed above RF − 1, where one lost broker would stop all writes.
 */
import type { Admin } from 'kafkajs';
import { ConfigResourceTypes } from './kafkajs';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';

export interface TopicProvision {
  /** Full topic name (prefix included). */
  topic: string;
  /** Partitions to create with, and the minimum an existing topic is raised to. */
  partitions: number;
  /** Replication factor of a created topic (ignored for existing ones). */
  replicationFactor: number;
  /** Topic configs of a created topic (retention.ms, cleanup.policy, compression.type, ...); drift on existing ones is logged. */
  configs: Record<string, string>;
}

const MIN_ISR = 'min.insync.replicas';

/** The configs a topic is created with: the spec's, plus min.insync.replicas from the rule in the module header. */
export function creationConfigs(spec: TopicProvision): Record<string, string> {
  if (spec.configs[MIN_ISR] !== undefined || spec.replicationFactor < 2) return { ...spec.configs };
  return { ...spec.configs, [MIN_ISR]: String(spec.replicationFactor - 1) };
}

function validate(specs: TopicProvision[]): void {
  const seen = new Set<string>();
  for (const s of specs) {
    if (s.topic === '') throw new Error('topic name must not be empty');
    if (seen.has(s.topic)) throw new Error(`topic ${s.topic} is declared twice`);
    seen.add(s.topic);
    if (!Number.isInteger(s.partitions) || s.partitions < 1) throw new Error(`topic ${s.topic}: partitions must be at least 1`);
    if (!Number.isInteger(s.replicationFactor) || s.replicationFactor < 1) throw new Error(`topic ${s.topic}: replicationFactor must be at least 1`);
    const minIsr = s.configs[MIN_ISR];
    if (minIsr !== undefined && !(Number(minIsr) >= 1 && Number(minIsr) <= Math.max(1, s.replicationFactor - 1))) {
      throw new Error(`topic ${s.topic}: ${MIN_ISR} ${minIsr} must be between 1 and replicationFactor − 1 (${Math.max(1, s.replicationFactor - 1)})`);
    }
  }
}

async function partitionCounts(admin: Admin, topics: string[]): Promise<Map<string, number>> {
  const { topics: meta } = await admin.fetchTopicMetadata({ topics });
  return new Map(meta.map((t) => [t.name, t.partitions.length]));
}

export async function provisionTopics(admin: Admin, specs: TopicProvision[], logger: Logger): Promise<void> {
  validate(specs);
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((s) => !existing.has(s.topic));
  if (missing.length > 0) {
    const created = await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: s.replicationFactor,
        configEntries: Object.entries(creationConfigs(s)).map(([name, value]) => ({ name, value })),
      })),
    });
    logger.info({ topics: missing.map((s) => s.topic), createdHere: created }, 'topics created');
  }

  const names = specs.map((s) => s.topic);
  const counts = await partitionCounts(admin, names);
  for (const s of specs) {
    const have = counts.get(s.topic) ?? 0;
    if (have >= s.partitions) continue;
    try {
      await admin.createPartitions({ topicPartitions: [{ topic: s.topic, count: s.partitions }] });
      logger.info({ topic: s.topic, from: have, to: s.partitions }, 'topic partitions raised');
    } catch (err) {
      // Another replica may have raised it first; only a count still too low is a failure. The broker's
      // metadata may lag the raise it just refused as redundant for a moment, so look a few times.
      let now = 0;
      for (let look = 0; look < 10; look++) {
        now = (await partitionCounts(admin, [s.topic])).get(s.topic) ?? 0;
        if (now >= s.partitions) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      if (now < s.partitions) throw new Error(`could not raise ${s.topic} to ${s.partitions} partitions: ${errorMessage(err)}`, { cause: err });
    }
  }

  const withConfigs = specs.filter((s) => existing.has(s.topic) && Object.keys(s.configs).length > 0);
  if (withConfigs.length === 0) return;
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: withConfigs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.topic, configNames: Object.keys(s.configs) })),
  });
  for (const r of described.resources) {
    const spec = withConfigs.find((s) => s.topic === r.resourceName);
    if (!spec) continue;
    for (const [name, expected] of Object.entries(spec.configs)) {
      const actual = r.configEntries.find((e) => e.configName === name)?.configValue;
      if (actual !== expected) logger.warn({ topic: spec.topic, config: name, expected, actual: actual ?? null }, 'topic config differs from the declared value; left unchanged');
    }
  }
}
