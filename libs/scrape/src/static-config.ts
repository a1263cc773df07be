/**
 * The scrape configuration file, in Prometheus's shape (the subset Sextant's scraper implements):
 *
 * ```yaml
 * global: { scrape_interval: 1m, scrape_timeout: 10s, sample_limit: 0, label_limit: 0, ... }
 * scrape_configs:
 *   - job_name: node
 *     scrape_interval: 15s
 *     static_configs: [{ targets: ['10.0.0.1:9100'], labels: { env: prod } }]
 * ```
 *
 * Validation follows Prometheus's where it has a rule (unknown fields, duplicate job names, a timeout longer
 * than the interval) and reports every problem with the path of its field.
 */
import { parse as parseYaml } from 'yaml';
import { SCRAPE_PROTOCOL_MEDIA_TYPES, type ScrapeProtocol } from '@sextant/exposition';
import { ConfigReader, ScrapeConfigError } from './config-reader';
import { DEFAULT_SCRAPE_SETTINGS, makeTarget, type ScrapeScheme, type ScrapeSettings, type ScrapeTarget } from './scrape-target';

/** One `static_configs` entry. */
export interface StaticTargetGroup {
  readonly targets: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/** One `scrape_configs` entry. */
export interface ScrapeJobConfig {
  readonly jobName: string;
  readonly scheme: ScrapeScheme;
  readonly metricsPath: string;
  readonly params: Readonly<Record<string, readonly string[]>>;
  readonly settings: ScrapeSettings;
  readonly staticConfigs: readonly StaticTargetGroup[];
}

/** A validated configuration file. */
export interface ScrapeConfigFile {
  /** The `global` section over Prometheus's defaults: what jobs (and discoveries) inherit. */
  readonly global: ScrapeSettings;
  readonly scrapeConfigs: readonly ScrapeJobConfig[];
}

const TOP_LEVEL = ['global', 'scrape_configs'];
const GLOBAL_FIELDS = ['scrape_interval', 'scrape_timeout', 'sample_limit', 'label_limit', 'label_name_length_limit', 'label_value_length_limit', 'body_size_limit'];
const JOB_FIELDS = [
  'job_name',
  ...GLOBAL_FIELDS,
  'metrics_path',
  'scheme',
  'params',
  'honor_labels',
  'honor_timestamps',
  'fallback_scrape_protocol',
  'static_configs',
];
const PROTOCOLS = Object.keys(SCRAPE_PROTOCOL_MEDIA_TYPES) as ScrapeProtocol[];

/** Parses and validates a configuration file's text. Throws ScrapeConfigError naming every bad field. */
export function parseScrapeConfig(yamlText: string): ScrapeConfigFile {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (err) {
    throw new ScrapeConfigError([`not valid YAML: ${err instanceof Error ? err.message : String(err)}`]);
  }
  const problems: string[] = [];
  const root = ConfigReader.root(doc, problems);
  root.onlyKnown(TOP_LEVEL);
  const global = readGlobal(root.mapping('global'));
  const jobNames = new Set<string>();
  const scrapeConfigs = root.mappings('scrape_configs').flatMap((job) => {
    const parsed = readJob(job, global);
    if (parsed === undefined) return [];
    if (jobNames.has(parsed.jobName)) job.problem('job_name', `found multiple scrape configs with job name ${JSON.stringify(parsed.jobName)}`);
    jobNames.add(parsed.jobName);
    return [parsed];
  });
  if (problems.length > 0) throw new ScrapeConfigError(problems);
  return Object.freeze({ global, scrapeConfigs: Object.freeze(scrapeConfigs) });
}

/** The targets of every job's `static_configs`, in file order (a target listed twice counts once). */
export function staticTargets(config: ScrapeConfigFile): ScrapeTarget[] {
  const byKey = new Map<string, ScrapeTarget>();
  for (const job of config.scrapeConfigs) {
    for (const group of job.staticConfigs) {
      for (const address of group.targets) {
        const target = makeTarget({ job: job.jobName, scheme: job.scheme, address, metricsPath: job.metricsPath, params: job.params, labels: group.labels, settings: job.settings });
        if (!byKey.has(target.key)) byKey.set(target.key, target);
      }
    }
  }
  return [...byKey.values()];
}

/** The `global` section over Prometheus's defaults. */
function readGlobal(section: ConfigReader | undefined): ScrapeSettings {
  if (section === undefined) return DEFAULT_SCRAPE_SETTINGS;
  section.onlyKnown(GLOBAL_FIELDS);
  const settings = readLimits(section, DEFAULT_SCRAPE_SETTINGS);
  const intervalMs = positiveDuration(section, 'scrape_interval') ?? DEFAULT_SCRAPE_SETTINGS.intervalMs;
  const timeoutMs = positiveDuration(section, 'scrape_timeout') ?? Math.min(DEFAULT_SCRAPE_SETTINGS.timeoutMs, intervalMs);
  if (timeoutMs > intervalMs) section.problem('scrape_timeout', 'global scrape timeout greater than scrape interval');
  return Object.freeze({ ...settings, intervalMs, timeoutMs });
}

function readJob(job: ConfigReader, global: ScrapeSettings): ScrapeJobConfig | undefined {
  job.onlyKnown(JOB_FIELDS);
  const jobName = job.string('job_name');
  if (jobName === undefined || jobName === '') {
    job.problem('job_name', 'required: a non-empty string');
    return undefined;
  }
  const intervalMs = positiveDuration(job, 'scrape_interval') ?? global.intervalMs;
  let timeoutMs = positiveDuration(job, 'scrape_timeout');
  if (timeoutMs === undefined) timeoutMs = Math.min(global.timeoutMs, intervalMs);
  else if (timeoutMs > intervalMs) job.problem('scrape_timeout', `scrape timeout greater than scrape interval for scrape config with job name ${JSON.stringify(jobName)}`);
  const metricsPath = job.string('metrics_path') ?? '/metrics';
  if (!metricsPath.startsWith('/')) job.problem('metrics_path', `must start with "/", got ${JSON.stringify(metricsPath)}`);
  const fallbackProtocol = job.oneOf('fallback_scrape_protocol', PROTOCOLS) ?? global.fallbackProtocol;
  const settings: ScrapeSettings = {
    ...readLimits(job, global),
    intervalMs,
    timeoutMs,
    honorLabels: job.boolean('honor_labels') ?? false,
    honorTimestamps: job.boolean('honor_timestamps') ?? true,
    ...(fallbackProtocol === undefined ? {} : { fallbackProtocol }),
  };
  return {
    jobName,
    scheme: job.oneOf('scheme', ['http', 'https'] as const) ?? 'http',
    metricsPath,
    params: job.stringListMap('params'),
    settings: Object.freeze(settings),
    staticConfigs: job.mappings('static_configs').map(readStaticGroup),
  };
}

function readStaticGroup(group: ConfigReader): StaticTargetGroup {
  group.onlyKnown(['targets', 'labels']);
  const targets = group.strings('targets');
  targets.forEach((address, i) => {
    const problem = addressProblem(address);
    if (problem !== undefined) group.problem(`targets[${i}]`, problem);
  });
  const labels = group.stringMap('labels');
  for (const name of Object.keys(labels)) {
    if (name === '') group.problem('labels', 'label names must not be empty');
    else if (name.startsWith('__')) group.problem(`labels.${name}`, 'names starting with "__" are reserved (relabeling is not supported)');
  }
  return { targets, labels };
}

function readLimits(r: ConfigReader, base: ScrapeSettings): Omit<ScrapeSettings, 'intervalMs' | 'timeoutMs'> {
  return {
    ...base,
    sampleLimit: r.count('sample_limit') ?? base.sampleLimit,
    labelLimit: r.count('label_limit') ?? base.labelLimit,
    labelNameLengthLimit: r.count('label_name_length_limit') ?? base.labelNameLengthLimit,
    labelValueLengthLimit: r.count('label_value_length_limit') ?? base.labelValueLengthLimit,
    bodySizeLimitBytes: r.size('body_size_limit') ?? base.bodySizeLimitBytes,
  };
}

function positiveDuration(r: ConfigReader, name: string): number | undefined {
  const ms = r.duration(name);
  if (ms === 0) {
    r.problem(name, 'must be greater than 0');
    return undefined;
  }
  return ms;
}

/** Why `address` is not a `host[:port]`, or undefined. */
export function addressProblem(address: string): string | undefined {
  if (address === '') return 'a target address must not be empty';
  if (/[\s/]/.test(address) || address.includes('://')) return `${JSON.stringify(address)} is not a valid hostname (host or host:port, no scheme or path)`;
  const hostPort = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d+))?$/.exec(address);
  if (hostPort === null) return `${JSON.stringify(address)} is not a valid host:port (bracket IPv6 addresses)`;
  if (hostPort[2] !== undefined && Number(hostPort[2]) > 65535) return `${JSON.stringify(address)} has an invalid port`;
  return undefined;
}
