/**
 * The scraper stage: where its targets come from (a Prometheus-style file, Kubernetes discovery, Sextant's own
 * stages), the tenant it writes as, and its bounds. Targets are shared between the replicas by the shards of
 * the `scraper.shards` topic the consumer group hands out.
 */
import { boolVar, intVar, textVar } from '../env-var';
import { defineSection } from '../config-section';

export interface ScraperSettings {
  configFile: string;
  selfTargets: string[];
  selfInterval: string;
  kubernetes: boolean;
  namespaces: string[];
  annotatedPods: boolean;
  serviceMonitors: boolean;
  podMonitors: boolean;
  tenant: string;
  maxTargets: number;
}

export const scraperSection = defineSection({
  title: 'Scraper',
  vars: {
    configFile: textVar('SEXTANT_SCRAPER_CONFIG_FILE', 'Prometheus-style YAML of static scrape jobs (global, scrape_configs with static_configs; see libs/scrape/README.md). Empty: none.', ''),
    selfTargets: textVar('SEXTANT_SCRAPER_SELF_TARGETS', 'host:port of Sextant\'s own stages, scraped as job "sextant" (their /metrics), comma separated; none: no such job (on Kubernetes the stages are found as annotated pods).', '127.0.0.1:4318,127.0.0.1:8301,127.0.0.1:8302,127.0.0.1:8303,127.0.0.1:8304'),
    selfInterval: textVar('SEXTANT_SCRAPER_SELF_INTERVAL', 'Scrape interval of the "sextant" job (Prometheus duration).', '15s'),
    kubernetes: boolVar('SEXTANT_SCRAPER_KUBERNETES', 'Discover targets in Kubernetes (in-cluster service account, or KUBECONFIG): annotated pods, ServiceMonitors and PodMonitors as enabled below.', false),
    namespaces: textVar('SEXTANT_SCRAPER_NAMESPACES', 'Namespaces watched by discovery, comma separated. Empty: all (needs a ClusterRole).', ''),
    annotatedPods: boolVar('SEXTANT_SCRAPER_ANNOTATED_PODS', 'Scrape pods annotated prometheus.io/scrape: "true" (port, path, scheme from their annotations).', true),
    serviceMonitors: boolVar('SEXTANT_SCRAPER_SERVICE_MONITORS', 'Scrape the Prometheus Operator\'s ServiceMonitors (monitoring.coreos.com/v1).', true),
    podMonitors: boolVar('SEXTANT_SCRAPER_POD_MONITORS', 'Scrape the Prometheus Operator\'s PodMonitors (monitoring.coreos.com/v1).', true),
    tenant: textVar('SEXTANT_SCRAPER_TENANT', 'Tenant of every scraped sample.', 'default'),
    maxTargets: intVar('SEXTANT_SCRAPER_MAX_TARGETS', 'Targets one replica scrapes at most; beyond it targets are not scraped, counted and flagged (sextant_scraper_targets{state="over_limit"}).', 10000, 1, 1000000, 'targets'),
  },
  build: (f): { value: ScraperSettings; problems: string[] } => {
    const problems: string[] = [];
    const list = (text: string): string[] => text.split(',').map((x) => x.trim()).filter((x) => x !== '');
    const selfTargets = f.selfTargets.trim() === 'none' ? [] : list(f.selfTargets);
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(f.tenant)) problems.push('SEXTANT_SCRAPER_TENANT must be 1-128 letters, digits, ".", "_" or "-"');
    for (const t of selfTargets) if (!/^[^\s/:]+:\d{1,5}$/.test(t)) problems.push(`SEXTANT_SCRAPER_SELF_TARGETS entry ${JSON.stringify(t)} is not host:port`);
    return { value: { ...f, selfTargets, namespaces: list(f.namespaces) }, problems };
  },
});
