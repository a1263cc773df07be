/**
 * Ingest stage: receives logs and metrics from the tools teams already run (OTLP/HTTP and gRPC, Prometheus
 * remote write, and the OpenTelemetry Collector's Kafka topics), authenticates the tenant, validates and
 * publishes Avro envelopes to ingest.logs and ingest.metrics. Stateless; scale it by replicas behind a Service.
 */
import { TransactionalOutput } from '@sextant/kafka';
import { runStage } from '@sextant/stage-runtime';
import { ingestConsumerConfig, loadIngestSettings, type IngestStageSettings } from './ingest.config';
import { IngestModule } from './ingest.module';
import { OTLP_MEDIA_TYPES } from './otlp/otlp-request-body';

void runStage<IngestStageSettings, TransactionalOutput>({
  stage: 'ingest',
  loadSettings: () => loadIngestSettings(),
  // The Collector topics are republished exactly once, as the parser does (one transactional id per input partition).
  prepare: async (runtime, settings) => runtime.createTransactionalOutput(settings.consumer.groupId),
  module: (runtime, settings, output) => IngestModule.forRoot(runtime, settings, output),
  transport: (runtime, settings) => runtime.createTransport(ingestConsumerConfig(settings), 'raw'),
  onClosed: (output) => output.disconnect(),
  configureHttp: (fastify, settings) => {
    // Bodies stay raw bytes: each receiver decodes its own protocol (and its compression) itself. Fastify
    // answers 415 for media types with no parser and 413 for bodies over the limit, before any handler runs.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser([...OTLP_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: settings.ingest.maxBodyBytes }, (_req, body, done) => done(null, body));
  },
});
