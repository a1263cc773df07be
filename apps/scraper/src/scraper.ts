/**
 * The scraper's work: discoveries (Sextant's own stages, a scrape config file, Kubernetes) feed one scrape
 * manager; the manager scrapes the targets whose shard this replica holds, and publishes their samples to
 * ingest.metrics. Shards are the partitions of `scraper.shards`, handed out by the consumer group, so the
 * replicas split the targets between them and take over a dead replica's after its session timeout.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { KubeConfig } from '@kubernetes/client-node';
import { GroupMembership } from '@sextant/kafka';
import { AssignedShardsOwnership, KubernetesDiscovery, parseScrapeConfig, ScrapeManager, StaticDiscovery, type Discovery } from '@sextant/scrape';
import { MetricBatchPublisher, type StageRuntime } from '@sextant/stage-runtime';
import type { ScraperStageSettings } from './scraper.config';
import { scraperMetrics } from './scraper.metrics';

/** Job name of Sextant's own stages. */
export const SELF_JOB = 'sextant';

function selfDiscovery(targets: string[], interval: string): Discovery {
  const yaml = `scrape_configs:\n  - job_name: ${SELF_JOB}\n    scrape_interval: ${interval}\n    static_configs:\n      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]\n`;
  return new StaticDiscovery(parseScrapeConfig(yaml), 'self');
}

export class Scraper {
  private readonly manager: ScrapeManager;
  private readonly membership: GroupMembership;
  private readonly ownership: AssignedShardsOwnership;
  private readonly discoveries: Discovery[] = [];

  private constructor(runtime: StageRuntime, settings: ScraperStageSettings, shardCount: number) {
    const publisher = new MetricBatchPublisher(runtime);
    const log = runtime.logger.child({ component: 'scraper' });
    this.ownership = new AssignedShardsOwnership(shardCount);
    this.manager = new ScrapeManager({
      tenant: settings.scraper.tenant,
      ownership: this.ownership,
      maxTargets: settings.scraper.maxTargets,
      offsetSeed: hostname(),
      sink: async (samples, target) => {
        const tooLarge = await publisher.publish(samples);
        if (tooLarge.length > 0) log.warn({ target: target.key, samples: tooLarge.length }, 'samples too large for any envelope were not published');
      },
    });
    this.membership = new GroupMembership(
      runtime.connection,
      { groupId: settings.consumer.groupId, topic: runtime.topic('scraper.shards'), sessionTimeoutMs: settings.consumer.sessionTimeoutMs, heartbeatIntervalMs: settings.consumer.heartbeatIntervalMs },
      log,
      (shards) => this.ownership.assign(shards),
    );
    const s = settings.scraper;
    if (s.selfTargets.length > 0) this.discoveries.push(selfDiscovery(s.selfTargets, s.selfInterval));
    if (s.configFile !== '') this.discoveries.push(new StaticDiscovery(parseScrapeConfig(readFileSync(s.configFile, 'utf8'))));
    if (s.kubernetes) {
      const kubeConfig = new KubeConfig();
      kubeConfig.loadFromDefault();
      this.discoveries.push(
        new KubernetesDiscovery({
          kubeConfig,
          namespaces: s.namespaces,
          annotatedPods: s.annotatedPods,
          serviceMonitors: s.serviceMonitors,
          podMonitors: s.podMonitors,
          onError: (resource, err) => log.warn({ resource, err: err instanceof Error ? err.message : String(err) }, 'kubernetes discovery failed; retrying'),
        }),
      );
    }
    scraperMetrics(runtime.metrics, this.manager, () => this.ownership.shards);
    runtime.liveness.add({ name: 'shard-group', wedged: () => (this.membership.healthy() ? null : 'the scraper left its shard group or stopped heartbeating') });
  }

  /** Joins the shard group and starts every discovery. */
  static async start(runtime: StageRuntime, settings: ScraperStageSettings): Promise<Scraper> {
    const shardCount = await runtime.connection.partitionCount(runtime.topic('scraper.shards'));
    const scraper = new Scraper(runtime, settings, shardCount);
    await scraper.membership.start();
    for (const d of scraper.discoveries) await scraper.manager.attach(d);
    return scraper;
  }

  /** Stops scraping (no staleness markers: the targets are still there, the next owner carries on), leaves the group. */
  async stop(): Promise<void> {
    await this.manager.stop();
    await this.membership.stop();
  }
}
