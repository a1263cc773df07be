/**
 * Ingest stage: receives logs and metrics (OTLP/HTTP for now) from the tools teams already run, authenticates the tenant,
 * validates and publishes Avro envelopes to ingest.logs and ingest.metrics. Stateless; scale it by replicas behind a Service.
 */
import { runStage } from '@sextant/stage-runtime';
import { loadIngestSettings, type IngestStageSettings } from './ingest.config';
import { IngestModule } from './ingest.module';
import { OTLP_MEDIA_TYPES } from './otlp/otlp-request-body';

void runStage<IngestStageSettings>({
  stage: 'ingest',
  loadSettings: () => loadIngestSettings(),
  module: (runtime, settings) => IngestModule.forRoot(runtime, settings),
  configureHttp: (fastify, settings) => {
    // Bodies stay raw bytes: each receiver decodes its own protocol (and its compression) itself. Fastify
    // answers 415 for media types with no parser and 413 for bodies over the limit, before any handler runs.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser([...OTLP_MEDIA_TYPES], { parseAs: 'buffer', bodyLimit: settings.ingest.maxBodyBytes }, (_req, body, done) => done(null, body));
  },
});
