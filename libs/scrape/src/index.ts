/**
 * @sextant/scrape: Prometheus-compatible scraping as a library: targets from a static configuration file or
 * from Kubernetes (annotated pods, ServiceMonitors, PodMonitors), one scrape loop per target with
 * Prometheus's semantics (report series, limits, honor_labels, staleness, jitter), a manager that diffs target
 * snapshots into running loops, and sharding of targets across replicas.
 */
export { DEFAULT_SCRAPE_SETTINGS, makeTarget, sameTargetSettings, targetKey, targetUrl, type ScrapeScheme, type ScrapeSettings, type ScrapeTarget, type TargetSpec } from './scrape-target';
export type { Discovery, TargetSnapshot } from './discovery';
export { ScrapeConfigError } from './config-reader';
export { parseDuration, parseSize } from './duration';
export { addressProblem, parseScrapeConfig, staticTargets, type ScrapeConfigFile, type ScrapeJobConfig, type StaticTargetGroup } from './static-config';
export { loadScrapeConfigFile, STATIC_SOURCE, StaticDiscovery } from './static-discovery';
export { fnv1a64, hashMod } from './target-hash';
export { delayToNextScrapeMs, scrapeOffsetMs } from './jitter';
export { AssignedShardsOwnership, HashModOwnership, OWN_ALL_TARGETS, shardOf, type ShardOwnership } from './sharding/shard-ownership';
export { fetchTarget, SCRAPE_USER_AGENT, ScrapeFetchError, type FetchOptions, type ScrapeResponse } from './fetch-target';
export type { FamilyMeta, ScrapedSeries, ScrapeFailureReason, ScrapeOutcome } from './scrape-outcome';
export { MAX_AHEAD_MS, readScrape } from './read-scrape';
export { REPORT_SERIES_NAMES, reportPoints, staleReportPoints, type ScrapeReportValues } from './report-series';
export { StalenessTracker } from './staleness-tracker';
export { SCRAPE_SOURCE, toMetricSamples, type OutputPoint } from './to-metric-samples';
export { ScrapeLoop, type ScrapeLoopOptions, type ScrapeReport, type ScrapeSink } from './scrape-loop';
export { DEFAULT_MAX_TARGETS, ScrapeManager, type ScrapeManagerOptions, type ScrapeManagerStats } from './scrape-manager';
export { KUBERNETES_SOURCE, KubernetesDiscovery, type WatchStatus } from './kubernetes/kubernetes-discovery';
export { DEFAULT_KUBERNETES_DISCOVERY_OPTIONS, resolveKubernetesDiscoveryOptions, type EndpointsApi, type KubernetesDiscoveryOptions } from './kubernetes/kubernetes-discovery.config';
export { ANNOTATED_PODS_JOB, annotatedPodTargets, PARAM_ANNOTATION_PREFIX, PATH_ANNOTATION, PORT_ANNOTATION, SCHEME_ANNOTATION, SCRAPE_ANNOTATION } from './kubernetes/annotated-pod-targets';
export { serviceMonitorTargets, type BackendsOf } from './kubernetes/service-monitor-targets';
export { podMonitorTargets } from './kubernetes/pod-monitor-targets';
export { backendsOfEndpoints, backendsOfSlice, SERVICE_NAME_LABEL, type BackendPort, type ServiceBackend } from './kubernetes/service-endpoints';
export { labelsMatch } from './kubernetes/label-selector';
export { namespaceSelected, type NamespaceSelector, type PodMetricsEndpoint, type PodMonitor, type ServiceMonitor, type ServiceMonitorEndpoint } from './kubernetes/monitor-resources';
export { ResilientInformer, type BackoffOptions, type InformerEvents, type WatchedResource } from './kubernetes/resilient-informer';
export { MONITORING_GROUP, MONITORING_VERSION, resourceCatalog, type ResourceCatalog } from './kubernetes/watched-resources';
export { FakeTarget, OPENMETRICS_TEXT, PROMETHEUS_TEXT, type FakeTargetRequest, type FakeTargetResponse } from './testing/fake-target';
export { RecordedApiServer, readRecording, TESTDATA_DIR, type RecordedRequest, type RecordedResource, type WatchEventType } from './testing/recorded-api-server';
