import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ScrapeConfigError } from './config-reader';
import { parseDuration, parseSize } from './duration';
import { parseScrapeConfig, staticTargets } from './static-config';
import { StaticDiscovery } from './static-discovery';
import type { TargetSnapshot } from './discovery';

const CONFIG = `
global:
  scrape_interval: 30s
  scrape_timeout: 20s
  sample_limit: 5000
scrape_configs:
  - job_name: node
    scrape_interval: 15s
    static_configs:
      - targets: ['10.0.0.1:9100', '10.0.0.2:9100']
        labels: { env: prod }
  - job_name: api
    metrics_path: /stats/prometheus
    scheme: https
    honor_labels: true
    honor_timestamps: false
    sample_limit: 100
    label_limit: 30
    body_size_limit: 10MB
    params: { module: [http_2xx] }
    static_configs:
      - targets: ['api:8443']
`;

function problemsOf(yaml: string): readonly string[] {
  try {
    parseScrapeConfig(yaml);
  } catch (err) {
    assert.ok(err instanceof ScrapeConfigError, String(err));
    return err.problems;
  }
  assert.fail('expected a ScrapeConfigError');
}

describe('static scrape configuration', () => {
  it('builds targets with global defaults, job overrides, job/instance and static labels', () => {
    const targets = staticTargets(parseScrapeConfig(CONFIG));
    assert.equal(targets.length, 3);
    const [n1, , api] = targets;
    assert.deepEqual(n1!.labels, [
      { name: 'env', value: 'prod' },
      { name: 'instance', value: '10.0.0.1:9100' },
      { name: 'job', value: 'node' },
    ]);
    // A job interval below the global timeout caps the inherited timeout at the interval.
    assert.deepEqual([n1!.intervalMs, n1!.timeoutMs, n1!.sampleLimit, n1!.honorLabels, n1!.honorTimestamps, n1!.metricsPath, n1!.scheme], [15_000, 15_000, 5000, false, true, '/metrics', 'http']);
    assert.deepEqual([api!.intervalMs, api!.timeoutMs, api!.sampleLimit, api!.labelLimit, api!.bodySizeLimitBytes, api!.honorLabels, api!.honorTimestamps], [30_000, 20_000, 100, 30, 10 * 1024 * 1024, true, false]);
    assert.equal(api!.key, 'api|https://api:8443/stats/prometheus?module=http_2xx{instance="api:8443",job="api"}');
  });

  it("uses Prometheus's defaults for an empty file", () => {
    assert.deepEqual(parseScrapeConfig('').scrapeConfigs, []);
    assert.deepEqual([parseScrapeConfig('').global.intervalMs, parseScrapeConfig('').global.timeoutMs], [60_000, 10_000]);
  });

  it('names every invalid field', () => {
    const problems = problemsOf(`
global: { scrape_interval: 10x }
scrape_configs:
  - job_name: a
    scrape_interval: 10s
    scrape_timeout: 20s
    sample_limit: -1
    scheme: ftp
    honor_labels: "yes"
    relabel_configs: []
    static_configs:
      - targets: ['http://host:80', 'host:99999', 'ok:80', 7]
        labels: { __address__: x }
  - job_name: a
  - scrape_interval: 5s
`);
    assert.deepEqual(problems, [
      'global.scrape_interval: not a valid duration string: "10x"',
      'scrape_configs[0].relabel_configs: unknown field (known: job_name, scrape_interval, scrape_timeout, sample_limit, label_limit, label_name_length_limit, label_value_length_limit, body_size_limit, metrics_path, scheme, params, honor_labels, honor_timestamps, fallback_scrape_protocol, static_configs)',
      'scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name "a"',
      'scrape_configs[0].sample_limit: must be an integer ≥ 0, got number -1',
      'scrape_configs[0].honor_labels: must be true or false, got string "yes"',
      'scrape_configs[0].scheme: must be one of http, https, got "ftp"',
      'scrape_configs[0].static_configs[0].targets[3]: must be a string, got number 7',
      'scrape_configs[0].static_configs[0].targets[0]: "http://host:80" is not a valid hostname (host or host:port, no scheme or path)',
      'scrape_configs[0].static_configs[0].targets[1]: "host:99999" has an invalid port',
      'scrape_configs[0].static_configs[0].labels.__address__: names starting with "__" are reserved (relabeling is not supported)',
      'scrape_configs[1].job_name: found multiple scrape configs with job name "a"',
      'scrape_configs[2].job_name: required: a non-empty string',
    ]);
  });

  it('rejects unknown top-level sections, bad YAML and a global timeout over the interval', () => {
    assert.deepEqual(problemsOf('rule_files: []'), ['rule_files: unknown field (known: global, scrape_configs)']);
    assert.match(problemsOf('scrape_configs: [')[0]!, /^not valid YAML/);
    assert.deepEqual(problemsOf('global: { scrape_interval: 5s, scrape_timeout: 6s }'), ['global.scrape_timeout: global scrape timeout greater than scrape interval']);
    assert.deepEqual(problemsOf('scrape_configs: {}'), ['scrape_configs: must be a list, got a mapping']);
  });

  it('parses durations and sizes as Prometheus writes them', () => {
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1m30s500ms'), 90_500);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('1.5s'), undefined);
    assert.equal(parseDuration(''), undefined);
    assert.equal(parseSize('512KB'), 512 * 1024);
    assert.equal(parseSize('100'), 100);
    assert.equal(parseSize('1.5MB'), undefined);
  });

  it('static discovery delivers a snapshot on start and on update', async () => {
    const snapshots: TargetSnapshot[] = [];
    const discovery = new StaticDiscovery(parseScrapeConfig(CONFIG));
    await discovery.start((s) => snapshots.push(s));
    discovery.update(parseScrapeConfig('scrape_configs: [{ job_name: x, static_configs: [{ targets: ["h:1"] }] }]'));
    await discovery.stop();
    discovery.update(parseScrapeConfig(''));
    assert.deepEqual(snapshots.map((s) => [s.source, s.targets.length]), [['static', 3], ['static', 1]]);
  });
});
