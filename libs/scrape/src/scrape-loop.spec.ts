import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_ACCEPT_HEADER } from '@sextant/exposition';
import { ScrapeLoop } from './scrape-loop';
import type { ScrapeSettings } from './scrape-target';
import { FakeTarget, OPENMETRICS_TEXT } from './testing/fake-target';
import { find, isStale, RecordingSink } from './testing/sample-sink';
import { testTarget } from './testing/targets';

const BODY = ['# HELP http_requests_total Requests.', '# TYPE http_requests_total counter', 'http_requests_total{code="200"} 10', 'http_requests_total{code="500"} 2', '# TYPE temp gauge', 'temp 21.5', ''].join('\n');

describe('ScrapeLoop', () => {
  let target: FakeTarget;
  before(async () => {
    target = await FakeTarget.start();
  });
  after(async () => {
    await target.close();
  });

  function loop(settings: Partial<ScrapeSettings> = {}, labels: Record<string, string> = {}): { loop: ScrapeLoop; sink: RecordingSink } {
    const sink = new RecordingSink();
    return { loop: new ScrapeLoop(testTarget(target.address, settings, labels), { tenant: 't1', sink: sink.sink }), sink };
  }

  it('sends the negotiated headers and reports up and the scrape counts with the target labels', async () => {
    target.serve({ body: BODY });
    const { loop: l, sink } = loop({ timeoutMs: 750 });
    const report = await l.scrapeOnce();
    const req = target.requests[target.requests.length - 1]!;
    assert.equal(req.headers.accept, DEFAULT_ACCEPT_HEADER);
    assert.equal(req.headers['accept-encoding'], 'gzip');
    assert.equal(req.headers['x-prometheus-scrape-timeout-seconds'], '0.75');
    assert.equal(report?.up, true);
    assert.equal(sink.value('up'), 1);
    assert.equal(sink.value('scrape_samples_scraped'), 3);
    assert.equal(sink.value('scrape_samples_post_metric_relabeling'), 3);
    assert.equal(sink.value('scrape_series_added'), 3);
    const duration = sink.value('scrape_duration_seconds')!;
    assert.ok(duration > 0 && duration < 1, `duration ${duration}`);
    for (const s of sink.last) {
      assert.equal(s.attributes.job, 'node');
      assert.equal(s.attributes.instance, target.address);
      assert.equal(s.tenant, 't1');
      assert.equal(s.source, 'scrape');
      assert.equal(s.timeUnixNano, BigInt(report!.startedMs) * 1_000_000n);
    }
    const counter = find(sink.last, 'http_requests_total', { code: '200' })!;
    assert.deepEqual([counter.value, counter.type, counter.temporality, counter.isMonotonic, counter.description], [10, 'SUM', 'CUMULATIVE', true, 'Requests.']);
    assert.equal(find(sink.last, 'temp')?.type, 'GAUGE');
    await l.scrapeOnce();
    assert.equal(sink.value('scrape_series_added'), 0, 'no new series on the second scrape');
  });

  it('reads gzipped OpenMetrics, typing suffixed samples by their family', async () => {
    target.serve({ body: '# TYPE rpc_seconds histogram\n# UNIT rpc_seconds seconds\nrpc_seconds_bucket{le="1.0"} 3\nrpc_seconds_bucket{le="+Inf"} 4\nrpc_seconds_count 4\nrpc_seconds_sum 2.5\n# EOF\n', contentType: OPENMETRICS_TEXT, gzip: true });
    const { loop: l, sink } = loop();
    assert.equal((await l.scrapeOnce())?.up, true);
    const bucket = find(sink.last, 'rpc_seconds_bucket', { le: '1.0' })!;
    assert.deepEqual([bucket.value, bucket.type, bucket.isMonotonic, bucket.unit], [3, 'SUM', true, 'seconds']);
    assert.deepEqual([find(sink.last, 'rpc_seconds_sum')?.type, find(sink.last, 'rpc_seconds_sum')?.isMonotonic], ['SUM', false]);
    assert.equal(sink.value('scrape_samples_scraped'), 4);
  });

  it('fails a scrape slower than its timeout with up 0', async () => {
    target.serve({ body: BODY, delayMs: 400 });
    const { loop: l, sink } = loop({ timeoutMs: 100 });
    const report = await l.scrapeOnce();
    assert.equal(report?.up, false);
    assert.equal(report?.reason, 'timeout');
    assert.match(report?.error ?? '', /context deadline exceeded/);
    assert.ok(report!.durationSeconds < 0.35, `gave up at the deadline, not when the target answered (${report!.durationSeconds}s)`);
    assert.equal(sink.value('up'), 0);
    assert.equal(find(sink.last, 'temp'), undefined);
  });

  it('fails the whole scrape over sample_limit: nothing scraped kept, counts reported, previous series stale', async () => {
    const { loop: l, sink } = loop({ sampleLimit: 2 });
    target.serve({ body: 'a 1\nb 2\n' });
    assert.equal((await l.scrapeOnce())?.up, true);
    target.serve({ body: 'a 1\nb 2\nc 3\n' });
    const report = await l.scrapeOnce();
    assert.equal(report?.up, false);
    assert.equal(report?.error, 'sample limit exceeded');
    assert.equal(report?.samplesDroppedByLimit, 3);
    assert.equal(sink.value('up'), 0);
    assert.equal(sink.value('scrape_samples_scraped'), 3);
    assert.equal(sink.value('scrape_samples_post_metric_relabeling'), 3);
    const scraped = sink.last.filter((s) => ['a', 'b', 'c'].includes(s.name));
    assert.deepEqual(scraped.map((s) => [s.name, isStale(s)]), [['a', true], ['b', true]]);
  });

  it('fails the scrape on label_limit, target labels counted', async () => {
    target.serve({ body: 'm{x="1"} 1\n' });
    const ok = loop({ labelLimit: 4 });
    assert.equal((await ok.loop.scrapeOnce())?.up, true);
    const over = loop({ labelLimit: 3 });
    const report = await over.loop.scrapeOnce();
    assert.equal(report?.up, false);
    assert.equal(report?.reason, 'label_limit');
    assert.match(report?.error ?? '', /^label_limit exceeded \(metric: m, number of labels: 4, limit: 3\)/);
    const long = loop({ labelValueLengthLimit: 2 }, {});
    target.serve({ body: 'm{x="abc"} 1\n' });
    assert.match((await long.loop.scrapeOnce())?.error ?? '', /label_value_length_limit exceeded/);
  });

  it('applies honor_labels both ways', async () => {
    target.serve({ body: 'm{job="scraped",zone="a"} 1\n' });
    const honored = loop({ honorLabels: true });
    await honored.loop.scrapeOnce();
    assert.deepEqual(find(honored.sink.last, 'm')?.attributes, { instance: target.address, job: 'scraped', zone: 'a' });
    const overridden = loop({ honorLabels: false });
    await overridden.loop.scrapeOnce();
    assert.deepEqual(find(overridden.sink.last, 'm')?.attributes, { exported_job: 'scraped', instance: target.address, job: 'node', zone: 'a' });
  });

  it('marks a series stale when it vanishes from the next scrape', async () => {
    const { loop: l, sink } = loop();
    target.serve({ body: 'a 1\nb 2\n' });
    await l.scrapeOnce();
    target.serve({ body: 'a 1\n' });
    const second = await l.scrapeOnce();
    const b = find(sink.last, 'b')!;
    assert.ok(isStale(b) && Number.isNaN(b.value));
    assert.equal(b.timeUnixNano, BigInt(second!.startedMs) * 1_000_000n);
    assert.equal(isStale(find(sink.last, 'a')!), false);
    assert.equal(second?.staleMarkers, 1);
  });

  it('marks every series stale when a scrape fails, and not again after', async () => {
    const { loop: l, sink } = loop();
    target.serve({ body: 'a 1\nb 2\n' });
    await l.scrapeOnce();
    target.serve({ body: 'oops', status: 500 });
    const failed = await l.scrapeOnce();
    assert.equal(failed?.error, 'server returned HTTP status 500 Internal Server Error');
    assert.deepEqual(sink.last.filter(isStale).map((s) => s.name).sort(), ['a', 'b']);
    assert.equal(sink.value('up'), 0);
    await l.scrapeOnce();
    assert.equal(sink.last.filter(isStale).length, 0);
  });

  it('fails with up 0 when the target disappears', async () => {
    const gone = await FakeTarget.start({ body: 'a 1\n' });
    const sink = new RecordingSink();
    const l = new ScrapeLoop(testTarget(gone.address), { tenant: 't1', sink: sink.sink });
    assert.equal((await l.scrapeOnce())?.up, true);
    await gone.close();
    const report = await l.scrapeOnce();
    assert.equal(report?.up, false);
    assert.equal(report?.reason, 'http');
    assert.match(report?.error ?? '', /ECONNREFUSED|ECONNRESET|socket hang up/);
    assert.ok(isStale(find(sink.last, 'a')!));
  });

  it('on removal marks the last series and the report series stale; on a handover stays silent', async () => {
    target.serve({ body: 'a 1\n' });
    const removed = loop();
    await removed.loop.scrapeOnce();
    await removed.loop.stop({ stale: true });
    assert.deepEqual(removed.sink.last.map((s) => [s.name, isStale(s)]).sort(), [
      ['a', true],
      ['scrape_duration_seconds', true],
      ['scrape_samples_post_metric_relabeling', true],
      ['scrape_samples_scraped', true],
      ['scrape_series_added', true],
      ['up', true],
    ]);
    const moved = loop();
    await moved.loop.scrapeOnce();
    await moved.loop.stop({ stale: false });
    assert.equal(moved.sink.calls.length, 1);
  });

  it('keeps exposed timestamps with honor_timestamps, else uses the scrape time; such series get no staleness', async () => {
    const ts = Date.now() - 5000;
    target.serve({ body: `a 1 ${ts}\nb 2\n` });
    const honored = loop({ honorTimestamps: true });
    const report = await honored.loop.scrapeOnce();
    assert.equal(find(honored.sink.last, 'a')?.timeUnixNano, BigInt(ts) * 1_000_000n);
    assert.equal(find(honored.sink.last, 'b')?.timeUnixNano, BigInt(report!.startedMs) * 1_000_000n);
    target.serve({ body: '' });
    await honored.loop.scrapeOnce();
    assert.deepEqual(honored.sink.last.filter(isStale).map((s) => s.name), ['b']);
    target.serve({ body: `a 1 ${ts}\n` });
    const ignored = loop({ honorTimestamps: false });
    const r2 = await ignored.loop.scrapeOnce();
    assert.equal(find(ignored.sink.last, 'a')?.timeUnixNano, BigInt(r2!.startedMs) * 1_000_000n);
  });

  it('fails on the body size limit, a missing Content-Type unless a fallback is set, and a parse error', async () => {
    target.serve({ body: 'a 1\n'.repeat(100) });
    assert.equal((await loop({ bodySizeLimitBytes: 50 }).loop.scrapeOnce())?.reason, 'body_size');
    target.serve({ body: 'a 1\n', contentType: null });
    assert.equal((await loop().loop.scrapeOnce())?.reason, 'content_type');
    assert.equal((await loop({ fallbackProtocol: 'PrometheusText0.0.4' }).loop.scrapeOnce())?.up, true);
    target.serve({ body: 'a{ 1\n' });
    assert.equal((await loop().loop.scrapeOnce())?.reason, 'parse');
  });

  it('drops a repeated series of one scrape and keeps the first', async () => {
    target.serve({ body: 'a 1\na 2\n' });
    const { loop: l, sink } = loop();
    const report = await l.scrapeOnce();
    assert.deepEqual(sink.last.filter((s) => s.name === 'a').map((s) => s.value), [1]);
    assert.equal(report?.samplesStored, 1);
  });

  it('scrapes every interval once started, at the target offset', async () => {
    target.serve({ body: 'a 1\n' });
    const { loop: l, sink } = loop({ intervalMs: 100, timeoutMs: 80 });
    l.start();
    await new Promise((resolve) => setTimeout(resolve, 560));
    await l.stop({ stale: false });
    assert.ok(sink.calls.length >= 4 && sink.calls.length <= 6, `${sink.calls.length} scrapes in 560 ms at 100 ms`);
  });
});
