// Real exposition output: a prom-client registry holding every metric type, rendered in both of its content
// types, parsed back through the Content-Type the registry announces.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Gauge, Histogram, Registry, Summary, type RegistryContentType } from 'prom-client';
import { selectParser } from './content-negotiation';
import type { SeriesEntry } from './exposition.model';
import { parseAll } from './testdata/parse-body';

function registry(contentType: RegistryContentType): Registry<RegistryContentType> {
  const r = new Registry<RegistryContentType>();
  r.setContentType(contentType);
  const om = contentType === Registry.OPENMETRICS_CONTENT_TYPE;
  const jobs: Counter<string> = new Counter({ name: 'jobs', help: 'Jobs "done"\nand \\ more', labelNames: ['queue'], registers: [r], enableExemplars: om });
  if (om) jobs.inc({ labels: { queue: 'a"b\\c\nd' }, value: 2, exemplarLabels: { trace_id: 'abc' } });
  else jobs.inc({ queue: 'a"b\\c\nd' }, 2);
  const latency = new Histogram({ name: 'latency_seconds', help: 'Latency', buckets: [0.1, 1], registers: [r] });
  latency.observe(0.5);
  latency.observe(3);
  const size = new Summary({ name: 'size_bytes', help: 'Size', percentiles: [0.5, 0.9], registers: [r] });
  size.observe(3);
  new Gauge({ name: 'temperature', help: 'Temperature', registers: [r] }).set(-Infinity);
  new Gauge({ name: 'ratio', help: 'Ratio', registers: [r] }).set(NaN);
  return r;
}

async function scrape(contentType: RegistryContentType): Promise<Map<string, SeriesEntry>> {
  const r = registry(contentType);
  const selection = selectParser(r.contentType);
  assert.ok(selection.ok, 'the registry announces a Content-Type Prometheus accepts');
  const entries = parseAll(await r.metrics(), selection.format);
  const series = entries.filter((e): e is SeriesEntry => e.kind === 'series');
  return new Map(series.map((s) => [s.labels.map((l) => `${l.name}=${l.value}`).join(','), s]));
}

for (const [format, contentType] of [
  ['Prometheus text', Registry.PROMETHEUS_CONTENT_TYPE],
  ['OpenMetrics', Registry.OPENMETRICS_CONTENT_TYPE],
] as const) {
  describe(`prom-client ${format} output`, () => {
    it('parses back with values, labels and family types', async () => {
      const series = await scrape(contentType);
      const counterName = contentType === Registry.OPENMETRICS_CONTENT_TYPE ? 'jobs_total' : 'jobs';
      const jobs = series.get(`__name__=${counterName},queue=a"b\\c\nd`);
      assert.ok(jobs, `counter sample in ${[...series.keys()].join(' | ')}`);
      assert.equal(jobs.value, 2);
      assert.equal(jobs.metadata?.type, 'counter');
      assert.equal(jobs.metadata?.help, 'Jobs "done"\nand \\ more');
      assert.equal(series.get('__name__=latency_seconds_bucket,le=0.1')?.value, 0);
      assert.equal(series.get('__name__=latency_seconds_bucket,le=1.0')?.value, 1);
      assert.equal(series.get('__name__=latency_seconds_bucket,le=+Inf')?.value, 2);
      assert.equal(series.get('__name__=latency_seconds_sum')?.value, 3.5);
      assert.equal(series.get('__name__=latency_seconds_count')?.metadata?.type, 'histogram');
      assert.equal(series.get('__name__=size_bytes,quantile=0.9')?.value, 3);
      assert.equal(series.get('__name__=size_bytes_count')?.metadata?.type, 'summary');
      assert.equal(series.get('__name__=temperature')?.value, -Infinity);
      assert.ok(Number.isNaN(series.get('__name__=ratio')?.value));
      assert.equal(series.get('__name__=ratio')?.metadata?.type, 'gauge');
    });
  });
}

describe('prom-client OpenMetrics exemplars', () => {
  it('come back with their labels, value and timestamp in milliseconds', async () => {
    const before = Date.now();
    const series = await scrape(Registry.OPENMETRICS_CONTENT_TYPE);
    const exemplar = series.get('__name__=jobs_total,queue=a"b\\c\nd')?.exemplar;
    assert.deepEqual(exemplar?.labels, [{ name: 'trace_id', value: 'abc' }]);
    assert.equal(exemplar?.value, 2);
    assert.ok(exemplar?.timestampMs !== undefined && Math.abs(exemplar.timestampMs - before) < 60_000, 'prom-client writes seconds; they are read as milliseconds');
  });
});
