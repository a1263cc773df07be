/**
 * In-process remote-write benchmark: the CPU ingest spends per sample of a `POST /api/v1/write` minus HTTP and
 * the Kafka round trip, per phase, on the bodies remote-write.bench.ts sends (RemoteWriteLoad: remote write 1.0,
 * 2,000 samples a request, per-worker series shards). Each request goes through what RemoteWriteController does
 * with the real classes: the decoder (negotiation, snappy, protobuf, validation: "decode"), the metadata cache
 * and metricSamplesOf ("samples"), and MetricPublisher.publish with a real AvroSerde (the envelope schema cached
 * as register() caches it) and a producer that only captures what it is given ("pack"). CPU is
 * process.cpuUsage() (user + system, all threads, as the side-by-side benchmark counts a server's CPU), taken
 * around each phase of each request; the best of `--rounds` measured passes is printed after `--warmup` passes.
 * No Kafka, no registry, no ports. Needs a build.
 *
 *   node bench/dist/remote-write-inprocess.bench.js [--series 32000] [--shards 8] [--requests 160] [--rounds 5] [--warmup 3]
 *   node --cpu-prof bench/dist/remote-write-inprocess.bench.js   (then open the .cpuprofile)
 */
import { join } from 'node:path';
import { avroType, avroTypeOptions, DEFAULT_HIGH_VOLUME_PARTITIONS, METRIC_BATCH_SCHEMA, type MetricSample } from '@sextant/contracts';
import { AvroSerde, type OutboundMessage } from '@sextant/kafka';
import { createRemoteWriteDecoder, metricSamplesOf, type MetricMetadata } from '@sextant/remote-write';
import pino from 'pino';
import { Registry } from 'prom-client';
import { numberArg } from './bench-args';
import { RemoteWriteLoad } from './remote-write-load';

const SERIES = numberArg('series', 32_000);
const SHARDS = numberArg('shards', 8);
const REQUESTS = numberArg('requests', 160);
const ROUNDS = numberArg('rounds', 5);
const WARMUP = numberArg('warmup', 3);
/** Ingest's defaults (SEXTANT_PRODUCER_ENVELOPE_MAX_RECORDS / _BYTES, SEXTANT_INGEST_METADATA_CACHE_ENTRIES). */
const ENVELOPE_MAX_RECORDS = 2000;
const ENVELOPE_MAX_BYTES = 900_000;
const METADATA_CACHE_ENTRIES = 100_000;
const SCHEMA_ID = 1;
const TENANT = 'bench';

// The ingest app's own classes, loaded from its build as the other benchmarks start its build (apps are not
// imported by benchmarks, see eslint.config.mjs); the shapes below are the part of them this file uses.
interface MetricPublisherLike {
  publish(samples: MetricSample[]): Promise<{ index: number }[]>;
}
interface MetricMetadataCacheLike {
  remember(tenant: string, metadata: ReadonlyMap<string, MetricMetadata>): void;
  lookup(tenant: string, family: string): MetricMetadata | undefined;
}
const INGEST_DIST = join(__dirname, '..', '..', 'apps', 'ingest', 'dist');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MetricPublisher } = require(join(INGEST_DIST, 'metrics', 'metric-publisher.service')) as { MetricPublisher: new (runtime: unknown) => MetricPublisherLike };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { MetricMetadataCache } = require(join(INGEST_DIST, 'remote-write', 'metric-metadata.cache')) as { MetricMetadataCache: new (settings: unknown, registry: Registry) => MetricMetadataCacheLike };

/** What one pass cost, in µs of CPU, per phase. */
interface Pass {
  decode: number;
  samples: number;
  pack: number;
  wallMs: number;
  samplesOut: number;
  messages: number;
  envelopeBytes: number;
}

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

async function main(): Promise<void> {
  const load = new RemoteWriteLoad(SERIES, SHARDS);
  const bodies = Array.from({ length: REQUESTS }, (_v, i) => load.request(i % SHARDS));
  const samplesPerPass = bodies.reduce((n, b) => n + b.samples, 0);

  const serde = new AvroSerde({ url: 'http://127.0.0.1:9/unused', username: '', password: '' }, avroTypeOptions(), { logger: pino({ level: 'silent' }), metrics: new Registry() });
  (serde as unknown as { writers: Map<number, unknown> }).writers.set(SCHEMA_ID, avroType(METRIC_BATCH_SCHEMA));
  let sent: OutboundMessage[] = [];
  const runtime = {
    topic: () => 'ingest.metrics',
    settings: { producer: { envelopeMaxRecords: ENVELOPE_MAX_RECORDS, envelopeMaxBytes: ENVELOPE_MAX_BYTES } },
    serde,
    envelopeSchemaId: () => SCHEMA_ID,
    connection: { partitionCount: async () => DEFAULT_HIGH_VOLUME_PARTITIONS },
    producer: {
      send: async (_topic: string, messages: OutboundMessage[]) => {
        sent = messages;
      },
    },
  };
  const publisher = new MetricPublisher(runtime);
  const metadata = new MetricMetadataCache({ ingest: { metadataCacheEntries: METADATA_CACHE_ENTRIES } }, new Registry());
  const decoder = createRemoteWriteDecoder({ maxDecompressedBytes: 64 * 1024 * 1024 });

  const pass = async (): Promise<Pass> => {
    const out: Pass = { decode: 0, samples: 0, pack: 0, wallMs: 0, samplesOut: 0, messages: 0, envelopeBytes: 0 };
    const started = performance.now();
    for (const b of bodies) {
      const t0 = cpuMicros();
      const request = decoder.decode({ contentType: b.contentType, contentEncoding: b.headers?.['Content-Encoding'], body: b.body as Buffer });
      const t1 = cpuMicros();
      metadata.remember(TENANT, request.metadata);
      const samples = metricSamplesOf(request, TENANT, (family) => metadata.lookup(TENANT, family));
      const t2 = cpuMicros();
      const tooLarge = await publisher.publish(samples);
      const t3 = cpuMicros();
      if (tooLarge.length > 0) throw new Error(`${tooLarge.length} samples too large`);
      out.decode += t1 - t0;
      out.samples += t2 - t1;
      out.pack += t3 - t2;
      out.samplesOut += samples.length;
      out.messages += sent.length;
      for (const m of sent) out.envelopeBytes += (m.value as Buffer).length;
    }
    out.wallMs = performance.now() - started;
    return out;
  };

  for (let i = 0; i < WARMUP; i++) await pass();
  const passes: Pass[] = [];
  for (let i = 0; i < ROUNDS; i++) passes.push(await pass());
  const per = (us: number) => (us / samplesPerPass).toFixed(3);
  const total = (p: Pass) => p.decode + p.samples + p.pack;
  const best = passes.reduce((a, b) => (total(b) < total(a) ? b : a));
  console.log(`${REQUESTS} requests × ${samplesPerPass / REQUESTS} samples over ${SERIES} series in ${SHARDS} shards; ${DEFAULT_HIGH_VOLUME_PARTITIONS} partitions; ${WARMUP} warm-up + ${ROUNDS} measured passes (node ${process.version})`);
  console.log('pass   decode µs/s  samples µs/s  pack µs/s  total µs/s  wall µs/s');
  passes.forEach((p, i) => console.log(`${String(i + 1).padEnd(6)} ${per(p.decode).padStart(11)}  ${per(p.samples).padStart(12)}  ${per(p.pack).padStart(9)}  ${per(total(p)).padStart(10)}  ${per(p.wallMs * 1000).padStart(9)}`));
  console.log(`best   ${per(best.decode).padStart(11)}  ${per(best.samples).padStart(12)}  ${per(best.pack).padStart(9)}  ${per(total(best)).padStart(10)}  ${per(best.wallMs * 1000).padStart(9)}`);
  console.log(`per pass: ${best.samplesOut} samples → ${best.messages} envelopes, ${(best.envelopeBytes / best.samplesOut).toFixed(1)} bytes/sample`);
}

void main();
