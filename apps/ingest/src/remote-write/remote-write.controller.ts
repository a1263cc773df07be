/**
 * Prometheus remote-write receiver (`POST /api/v1/write`), protocol 1.0 (`prometheus.WriteRequest`) and 2.0
 * (`io.prometheus.write.v2.Request`), snappy block compressed, answering as Prometheus's own receiver does
 * (see @sextant/remote-write): 204 when written; 400 for bad bodies, with one line per problem (2.0 writes the
 * rest and says how much in the `X-Prometheus-Remote-Write-*-Written` headers); 413 over the size limits; 415
 * for other media types, messages or encodings. Only 429 (back-pressure) and 503 (Kafka unavailable), with
 * Retry-After, ask the sender to retry, as remote-write senders retry 5xx and 429 alone. Each sample and native
 * histogram becomes one MetricSample on ingest.metrics, typed from its family's metadata (this request's, or what
 * an earlier one said: MetricMetadataCache); the answer is sent once Kafka has acknowledged them all.
 */
import { Controller, Inject, Post, Req, Res } from '@nestjs/common';
import { createRemoteWriteDecoder, metricSamplesOf, orderRequest, remoteWriteErrorResponse, remoteWriteResponse, RemoteWriteError, type RemoteWriteDecoder } from '@sextant/remote-write';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { IngestMetrics } from '../ingest.metrics';
import { MetricPublisher } from '../metrics/metric-publisher.service';
import { otlpProblemOf } from '../otlp/otlp-http';
import { HttpProblem } from '../otlp/otlp-request-body';
import { MetricMetadataCache } from './metric-metadata.cache';

function header(req: FastifyRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

@Controller('api/v1')
export class RemoteWriteController {
  private readonly decoder: RemoteWriteDecoder;

  constructor(
    private readonly publisher: MetricPublisher,
    private readonly tenants: TenantResolver,
    private readonly metrics: IngestMetrics,
    private readonly metadata: MetricMetadataCache,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {
    this.decoder = createRemoteWriteDecoder({ maxDecompressedBytes: settings.ingest.maxDecompressedBytes });
  }

  @Post('write')
  async write(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const stop = this.metrics.startRequest('remote-write');
    let status: number;
    try {
      const tenant = this.tenants.resolve(req.headers);
      if (!Buffer.isBuffer(req.body)) throw new HttpProblem(400, 'request body is empty');
      const request = this.decoder.decode({ contentType: header(req, 'content-type'), contentEncoding: header(req, 'content-encoding'), body: req.body });
      this.metadata.remember(tenant, request.metadata);
      // Per series, what Prometheus's head would append: disorder and repeats within the request are dropped
      // (silently, as there: the answer and its *-Written headers count what was sent).
      const ordered = orderRequest(request);
      const samples = metricSamplesOf(ordered.request, tenant, (family) => this.metadata.lookup(tenant, family));
      const limit = this.settings.ingest.maxRecordsPerRequest;
      if (samples.length > limit) throw new HttpProblem(413, `the request holds ${samples.length} samples and histograms, more than the ${limit} one request may hold`);
      const tooLarge = await this.publisher.publish(samples);
      const dropped = request.problems.reduce((n, p) => n + p.dropped.samples + p.dropped.histograms, 0) + ordered.outOfOrder + ordered.duplicates + ordered.conflicts;
      this.metrics.records('remote-write', samples.length - tooLarge.length, dropped + tooLarge.length);
      if (tooLarge.length > 0) {
        const first = tooLarge[0];
        throw new HttpProblem(400, `${tooLarge.length} samples were not written: one alone encodes to ${first?.bytes} bytes (${first?.record.name}), more than the ${this.settings.producer.envelopeMaxBytes} bytes one Kafka message may hold`);
      }
      const answer = remoteWriteResponse(request);
      status = answer.statusCode;
      void reply.status(status).headers(answer.headers).header('Content-Type', 'text/plain; charset=utf-8').send(answer.body);
    } catch (e) {
      if (e instanceof RemoteWriteError) {
        const answer = remoteWriteErrorResponse(e);
        status = answer.statusCode;
        void reply.status(status).headers(answer.headers).header('Content-Type', 'text/plain; charset=utf-8').send(answer.body);
      } else {
        const problem = otlpProblemOf(e, this.settings.ingest.retryAfterSeconds);
        status = problem.status;
        if (problem.retryAfterSeconds !== undefined) void reply.header('Retry-After', String(problem.retryAfterSeconds));
        void reply.status(status).header('Content-Type', 'text/plain; charset=utf-8').send(problem.message);
      }
    }
    stop(status);
  }
}
