/**
 * Bad remote-write input, answered side by side by Sextant ingest (stored through the sink into ClickHouse) and
 * by real Prometheus receivers: Prometheus 3 (v0.316.0, the receiver whose rules @sextant/remote-write
 * follows) for 1.0 and 2.0, and Debian's Prometheus 2.42 for 1.0. The corpus (./remote-write-corpus): a body
 * that is not snappy, snappy of bad protobuf, an empty or absent metric name, label names that are not UTF-8,
 * empty, or valid only under UTF-8 rules, duplicate label names, unsorted labels, NaN, ±Inf, -0 and subnormal
 * values, the stale NaN, samples out of order and duplicated within a series, a sample older than an earlier
 * request wrote, and (2.0) label references outside the symbols table. Each request mixes its bad items with a
 * good series of a name of its own.
 *
 * For every request: the same status code as Prometheus 3, and in 2.0 the same `*-Written` headers. For every
 * series of the corpus: the raw samples Prometheus 3 holds (a `[1h]` range selector) equal the samples the
 * sink stored, labels included, values compared by their bits but for NaN payloads. A stale NaN must be stored
 * as a NaN row with Flags = 1 (its payload is not kept, the flag marks it: docs/metrics-storage.md), and
 * Prometheus must end the series at it. Samples out of order or repeated within a request are dropped as
 * Prometheus's head drops them (ingest's orderRequest). Where Sextant's outcome differs from Prometheus's by
 * design (divergenceOf: a sample older than an earlier request wrote, which a stateless receiver cannot know),
 * both outcomes are pinned exactly, with the reason, so that the difference stays visible and a change
 * on either side fails here. Debian's 2.42 is reported alongside for 1.0, not asserted (it predates the
 * v0.316.0 receiver's label validation).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Pipeline } from '@sextant/testing';
import { PrometheusServer, prometheus3Binary } from './prometheus-server';
import { buildCorpus, corpusName, headersOf, protobufOf, snappyLiteralBlock, WRITTEN_HEADERS, type CorpusCase, type CorpusRequest, type SeriesSpec } from './remote-write-corpus';

interface Answer {
  status: number;
  /** The 2.0 `*-Written` headers (empty strings when absent). */
  written: string[];
  body: string;
}

async function send(url: string, r: CorpusRequest): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body: r.body, headers: r.headers });
  return { status: res.status, written: WRITTEN_HEADERS.map((h) => res.headers.get(h) ?? ''), body: (await res.text()).trim() };
}

/** A float as Prometheus's JSON or ClickHouse's toString writes it, back to the number. */
function parseFloatText(s: string): number {
  switch (s.toLowerCase()) {
    case 'nan':
      return Number.NaN;
    case '+inf':
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    default:
      return Number(s);
  }
}

/** The double whose bits are `hex` (16 hex digits, most significant first). */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

/** A value as text that tells -0 from 0 (JSON and String() do not); every NaN is `NaN`. */
function valueText(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** One series' stored samples: its labels (with `__name__`) and [ms, value] pairs in time order. */
interface StoredSeries {
  labels: Record<string, string>;
  samples: [number, string][];
}

function sortSeries(list: StoredSeries[]): StoredSeries[] {
  return list.sort((a, b) => JSON.stringify(a.labels).localeCompare(JSON.stringify(b.labels)));
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function promStored(p: PrometheusServer, name: string): Promise<StoredSeries[]> {
  const result = await p.rawSamples(`{__name__=${JSON.stringify(name)}}`, '1h');
  return sortSeries(result.map((r) => ({ labels: sortedLabels(r.metric), samples: r.values.map(([t, v]) => [Math.round(t * 1000), valueText(parseFloatText(v))] as [number, string]) })));
}

/** Status and, in 2.0, the `*-Written` headers of an answer: `204`, `400 [4/0/0]`. */
function answerText(a: Answer | undefined): string {
  return a === undefined ? '—' : `${a.status}${a.written[0] ? ` [${a.written.join('/')}]` : ''}`;
}

/**
 * Where Sextant's rule differs from Prometheus's, by case (`<wire>:<id>`, or `<id>` for both protocols): both
 * sides' outcomes, pinned. Answers not listed must equal Prometheus 3's, and so must the stored samples of every
 * series not listed.
 */
interface Divergence {
  why: string;
  answers?: { prometheus: string[]; sextant: string[] };
  /** By series (the `what` of corpusName): [ms, value text] stored by each; a stale marker is not a sample here. */
  stored: Record<string, { prometheus: [number, string][]; sextant: [number, string][] }>;
}

function divergenceOf(c: CorpusCase, t0: number): Divergence | undefined {
  const samples = (...list: [number, number][]): [number, string][] => list.map(([dt, v]) => [t0 + dt, valueText(v)]);
  switch (c.id) {
    case 'older':
      // Ingest is stateless: it cannot know what an earlier request wrote for a series, so it accepts a sample
      // older than that and stores it (the store keeps every row). Prometheus answers 400 "out of order sample":
      // in 1.0 for the whole request, which it rolls back (the good series and the newer sample are lost too), in
      // 2.0 for that sample alone (the rest is written, and counted).
      return c.wire === 'v1'
        ? {
            why: 'a sample older than an earlier request wrote: Prometheus 1.0 answers 400 and writes nothing of the request; ingest cannot know and writes all of it',
            answers: { prometheus: ['204', '400'], sextant: ['204', '204'] },
            stored: { good: { prometheus: [], sextant: samples([0, 1], [1000, 2], [2000, 3]) }, series: { prometheus: samples([5000, 85]), sextant: samples([3000, 83], [5000, 85], [6000, 86]) } },
          }
        : {
            why: 'a sample older than an earlier request wrote: Prometheus 2.0 answers 400 and writes the rest; ingest cannot know, writes all of it and answers 204',
            answers: { prometheus: ['204 [1/0/0]', '400 [4/0/0]'], sextant: ['204 [1/0/0]', '204 [5/0/0]'] },
            stored: { series: { prometheus: samples([5000, 85], [6000, 86]), sextant: samples([3000, 83], [5000, 85], [6000, 86]) } },
          };
    default:
      return undefined;
  }
}

describe('remote write: a bad-input corpus answered by Sextant ingest and by Prometheus', () => {
  const pipeline = new Pipeline();
  let prom3: PrometheusServer | undefined;
  let prom2: PrometheusServer | undefined;
  let sextantUrl = '';
  const t0 = Date.now() - 10 * 60_000;
  const corpus: CorpusCase[] = buildCorpus(t0, pipeline.id);
  const answers = new Map<CorpusCase, { sextant: Answer; prom3: Answer; prom2?: Answer }[]>();
  const table: string[] = [];

  before(async () => {
    const binary3 = prometheus3Binary();
    const config = 'global: { scrape_interval: 1m, evaluation_interval: 1m }\nscrape_configs: []\n';
    await pipeline.start('sink');
    await (await pipeline.add('ingest')).waitReady();
    sextantUrl = `http://127.0.0.1:${pipeline.stage('ingest').httpPort}/api/v1/write`;
    [prom3, prom2] = await Promise.all([
      PrometheusServer.start(binary3, join(pipeline.dir, 'prom3'), config, [
        '--web.enable-remote-write-receiver',
        '--web.remote-write-receiver.accepted-protobuf-messages=prometheus.WriteRequest',
        '--web.remote-write-receiver.accepted-protobuf-messages=io.prometheus.write.v2.Request',
      ]),
      PrometheusServer.start('prometheus', join(pipeline.dir, 'prom2'), config, ['--web.enable-remote-write-receiver']),
    ]);
    for (const c of corpus) {
      const list: { sextant: Answer; prom3: Answer; prom2?: Answer }[] = [];
      for (const r of c.requests) {
        const [sextant, p3, p2] = await Promise.all([send(sextantUrl, r), send(`${prom3.url}/api/v1/write`, r), c.wire === 'v1' ? send(`${prom2.url}/api/v1/write`, r) : Promise.resolve(undefined)]);
        list.push({ sextant, prom3: p3, ...(p2 ? { prom2: p2 } : {}) });
      }
      answers.set(c, list);
    }
    // The sink lags ingest's acknowledgements. Sentinel series sent last, over every partition of ingest.metrics
    // (30 series keys on 3 partitions): once all of them are stored, so is everything sent before them.
    const sentinels = Array.from({ length: 30 }, (_, i): SeriesSpec => ({ labels: [['__name__', `rwc_${pipeline.id}_sentinel`], ['i', String(i)]], samples: [[t0, i]] }));
    const last = await send(sextantUrl, { body: snappyLiteralBlock(protobufOf('v1', sentinels)), headers: headersOf('v1') });
    assert.equal(last.status, 204, last.body);
    await pipeline.eventually(
      async () => Number((await pipeline.query<{ c: string }>(`SELECT count() AS c FROM sextant.sextant_metric_samples WHERE MetricName = 'rwc_${pipeline.id}_sentinel'`))[0]?.c),
      (n) => n === sentinels.length,
      60_000,
      'the sink stored the sentinels',
    );
  });

  after(async () => {
    if (table.length > 0) console.log(['case | Prometheus 3 | Prometheus 2.42 | Sextant | stored equal', ...table].join('\n'));
    await Promise.all([prom3?.stop(), prom2?.stop()]);
    await pipeline.stopAll();
    pipeline.cleanup();
  });

  async function sextantStored(name: string): Promise<{ series: StoredSeries[]; stale: [string, number, string][] }> {
    const series = await pipeline.query<{ SeriesId: string; labels: Record<string, string> }>(
      `SELECT toString(SeriesId) AS SeriesId, any(Labels) AS labels FROM sextant.sextant_metric_series WHERE MetricName = ${sqlString(name)} GROUP BY SeriesId`,
    );
    const rows = await pipeline.query<{ SeriesId: string; ms: string; v: string; Flags: number; bits: string }>(
      `SELECT toString(SeriesId) AS SeriesId, toUnixTimestamp64Milli(TimeUnix) AS ms, toString(Value) AS v, Flags, hex(reinterpretAsUInt64(Value)) AS bits
         FROM sextant.sextant_metric_samples WHERE MetricName = ${sqlString(name)} ORDER BY SeriesId, TimeUnix, v`,
    );
    const labelsOf = new Map(series.map((s) => [s.SeriesId, sortedLabels({ ...s.labels, __name__: name })]));
    const bySeries = new Map<string, StoredSeries>();
    const stale: [string, number, string][] = [];
    for (const r of rows) {
      if ((Number(r.Flags) & 1) === 1) {
        stale.push([name, Number(r.ms), r.bits]);
        continue;
      }
      let s = bySeries.get(r.SeriesId);
      if (!s) bySeries.set(r.SeriesId, (s = { labels: labelsOf.get(r.SeriesId) ?? { __name__: name, '?': `series ${r.SeriesId} has no series row` }, samples: [] }));
      s.samples.push([Number(r.ms), valueText(fromBits(r.bits))]);
    }
    return { series: sortSeries([...bySeries.values()]), stale };
  }

  for (const c of corpus) {
    it(`${c.wire} ${c.id}: ${c.title}`, async () => {
      assert.ok(prom3 && prom2);
      const list = answers.get(c);
      assert.ok(list, 'the requests were sent');
      const divergence = divergenceOf(c, t0);
      const problems: string[] = [];
      const promAnswers = list.map((a) => answerText(a.prom3));
      const sextantAnswers = list.map((a) => answerText(a.sextant));
      if (divergence?.answers) {
        if (promAnswers.join() !== divergence.answers.prometheus.join()) problems.push(`Prometheus 3 answered ${promAnswers.join(', ')}, pinned ${divergence.answers.prometheus.join(', ')}`);
        if (sextantAnswers.join() !== divergence.answers.sextant.join()) problems.push(`Sextant answered ${sextantAnswers.join(', ')}, expected ${divergence.answers.sextant.join(', ')}`);
      } else if (sextantAnswers.join() !== promAnswers.join()) {
        problems.push(`Sextant answered ${sextantAnswers.join(', ')} (${list.map((a) => a.sextant.body).join(' | ')}), Prometheus 3 ${promAnswers.join(', ')} (${list.map((a) => a.prom3.body).join(' | ')})`);
      }
      let prom2Stored = true;
      for (const name of c.compared) {
        const ref = await promStored(prom3, name);
        const got = await sextantStored(name);
        if (c.wire === 'v1') {
          // Debian's 2.42 is reported, not asserted: Sextant follows the v0.316.0 receiver's rules.
          const old = await promStored(prom2, name);
          if (JSON.stringify(old) !== JSON.stringify(ref)) {
            prom2Stored = false;
            console.log(`${c.wire} ${c.id}: Prometheus 2.42 stored ${JSON.stringify(old)} for ${name}, Prometheus 3 ${JSON.stringify(ref)}`);
          }
        }
        const pinned = Object.entries(divergence?.stored ?? {}).find(([what]) => corpusName(pipeline.id, c.wire, c.id, what) === name)?.[1];
        if (pinned) {
          const flat = (l: StoredSeries[]): [number, string][] => l.flatMap((s) => s.samples);
          if (JSON.stringify(flat(ref)) !== JSON.stringify(pinned.prometheus)) problems.push(`${name}: Prometheus 3 stored ${JSON.stringify(flat(ref))}, pinned ${JSON.stringify(pinned.prometheus)}`);
          if (JSON.stringify(flat(got.series)) !== JSON.stringify(pinned.sextant)) problems.push(`${name}: Sextant stored ${JSON.stringify(flat(got.series))}, expected ${JSON.stringify(pinned.sextant)}`);
        } else {
          try {
            assert.deepStrictEqual(got.series, ref);
          } catch {
            problems.push(`${name}: Sextant stored ${JSON.stringify(got.series)}, Prometheus 3 ${JSON.stringify(ref)}`);
          }
        }
        // A staleness marker: flagged (Flags = 1) with a NaN value. Its NaN payload is not kept: the sink sends
        // every NaN as ClickHouse's `nan` (metric-rows.ts jsonFloat); the flag is what marks it (docs/metrics-storage.md).
        const sentStale = c.staleMarkers.filter(([n]) => n === name).map(([, t]) => t);
        const gotStale = got.stale.filter(([, , bits]) => Number.isNaN(fromBits(bits))).map(([, t]) => t);
        if (JSON.stringify(gotStale) !== JSON.stringify(sentStale) || got.stale.length !== sentStale.length) problems.push(`${name}: Sextant's flagged samples ${JSON.stringify(got.stale)}, stale markers sent at ${JSON.stringify(sentStale)}`);
        for (const t of sentStale) {
          // Prometheus holds the marker: the series has its value just before it and ends at it.
          const before = await prom3.query(`{__name__=${JSON.stringify(name)}}`, (t - 1) / 1000);
          const at = await prom3.query(`{__name__=${JSON.stringify(name)}}`, (t + 1) / 1000);
          if (before.length !== 1 || at.length !== 0) problems.push(`${name}: Prometheus 3 does not end the series at its stale marker (before: ${JSON.stringify(before)}, after: ${JSON.stringify(at)})`);
        }
      }
      const prom2Answers = list.map((a) => answerText(a.prom2)).join(', ');
      table.push(
        `${c.wire} ${c.id} | ${promAnswers.join(', ')} | ${c.wire === 'v1' ? `${prom2Answers}${prom2Stored ? '' : ' (stores otherwise)'}` : '—'} | ${sextantAnswers.join(', ')} | ${divergence ? `differs as pinned: ${divergence.why}` : 'yes'}`,
      );
      if (problems.length > 0) console.log(`${c.wire} ${c.id}:\n  ${problems.join('\n  ')}\n  Prometheus 3 said: ${list.map((a) => a.prom3.body).join(' | ')}`);
      assert.deepEqual(problems, [], divergence ? `Sextant and Prometheus 3 differ as pinned (${divergence.why})` : 'Sextant answers and stores what Prometheus 3 does');
    });
  }
});

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
