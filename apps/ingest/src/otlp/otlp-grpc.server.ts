/**
 * OTLP/gRPC receiver on SEXTANT_INGEST_GRPC_PORT (4317, the default of most SDKs and of the Collector): the
 * `opentelemetry.proto.collector.logs.v1.LogsService/Export` and `…metrics.v1.MetricsService/Export` unary
 * methods, gzip-compressed messages included. Requests are decoded by the same code as OTLP/HTTP protobuf (the
 * server hands over the raw message bytes), published the same way (OtlpReceivers), and answered only once Kafka
 * holds everything. The tenant comes from the call's metadata: `authorization: Bearer <token>` or
 * `x-scope-orgid`, as on HTTP. Failures map to gRPC codes per the OTLP spec: INVALID_ARGUMENT for malformed
 * or oversized requests, UNAUTHENTICATED, and UNAVAILABLE (which clients retry) for back-pressure and for Kafka
 * being unreachable.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Server, ServerCredentials, status as GrpcStatus, type Metadata, type ServerUnaryCall, type sendUnaryData, type ServiceDefinition } from '@grpc/grpc-js';
import { encodeExportLogsResponseProtobuf, encodeExportMetricsResponseProtobuf } from '@sextant/otlp';
import { StageRuntime } from '@sextant/stage-runtime';
import { TenantResolver } from '../auth/tenant-resolver';
import type { IngestStageSettings } from '../ingest.config';
import { IngestMetrics } from '../ingest.metrics';
import { INGEST_SETTINGS } from '../ingest.tokens';
import { otlpProblemOf } from './otlp-http';
import { OtlpReceivers } from './otlp-receivers';

/** The gRPC code of each HTTP status the receivers' failures map to. */
const GRPC_CODE: Record<number, GrpcStatus> = {
  400: GrpcStatus.INVALID_ARGUMENT,
  401: GrpcStatus.UNAUTHENTICATED,
  413: GrpcStatus.INVALID_ARGUMENT,
  415: GrpcStatus.INVALID_ARGUMENT,
  429: GrpcStatus.UNAVAILABLE,
  503: GrpcStatus.UNAVAILABLE,
};

/** One unary Export method whose messages stay bytes: decoding is the receivers' job. */
function exportMethod(path: string): ServiceDefinition[string] {
  return {
    path,
    requestStream: false,
    responseStream: false,
    requestSerialize: (b: Buffer) => b,
    requestDeserialize: (b: Buffer) => b,
    responseSerialize: (b: Buffer) => b,
    responseDeserialize: (b: Buffer) => b,
  };
}

function headersOf(metadata: Metadata): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(metadata.getMap())) out[k] = typeof v === 'string' ? v : v.toString('utf8');
  return out;
}

@Injectable()
export class OtlpGrpcServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    private readonly receivers: OtlpReceivers,
    private readonly tenants: TenantResolver,
    private readonly metrics: IngestMetrics,
    @Inject(StageRuntime) private readonly runtime: StageRuntime,
    @Inject(INGEST_SETTINGS) private readonly settings: IngestStageSettings,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const port = this.settings.ingest.grpcPort;
    if (port === 0) return;
    const server = new Server({ 'grpc.max_receive_message_length': this.settings.ingest.maxDecompressedBytes });
    server.addService({ Export: exportMethod('/opentelemetry.proto.collector.logs.v1.LogsService/Export') }, { Export: this.handler('otlp-grpc-logs', (t, b) => this.receivers.logs(t, b, 'protobuf', 'otlp-grpc-logs'), encodeExportLogsResponseProtobuf) });
    server.addService({ Export: exportMethod('/opentelemetry.proto.collector.metrics.v1.MetricsService/Export') }, { Export: this.handler('otlp-grpc-metrics', (t, b) => this.receivers.metricPoints(t, b, 'protobuf', 'otlp-grpc-metrics'), encodeExportMetricsResponseProtobuf) });
    const host = this.settings.service.httpHost;
    await new Promise<void>((resolve, reject) => server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, ServerCredentials.createInsecure(), (err) => (err ? reject(err) : resolve())));
    this.server = server;
    this.runtime.logger.info({ port }, 'OTLP/gRPC receiver listening');
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  }

  private handler<P>(protocol: string, accept: (tenant: string, body: Buffer) => Promise<P>, encode: (partial: P) => Uint8Array) {
    return (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>): void => {
      const stop = this.metrics.startRequest(protocol);
      void (async () => {
        try {
          const tenant = this.tenants.resolve(headersOf(call.metadata));
          const answer = encode(await accept(tenant, call.request));
          callback(null, Buffer.from(answer.buffer, answer.byteOffset, answer.byteLength));
          stop(200);
        } catch (e) {
          const problem = otlpProblemOf(e, this.settings.ingest.retryAfterSeconds);
          callback({ code: GRPC_CODE[problem.status] ?? GrpcStatus.INTERNAL, details: problem.message });
          stop(problem.status);
        }
      })();
    };
  }
}
