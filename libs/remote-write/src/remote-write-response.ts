/**
 * The answer to a remote-write request, as Prometheus's receiver gives it (client_golang exp/api/remote
 * WriteResponse.writeHeaders and writeHandler.ServeHTTP): 204 with no body on success; 2.0 answers always carry
 * the three `X-Prometheus-Remote-Write-*-Written` headers (what was written, also on a partial 400), 1.0 answers
 * never do; a 2.0 request with `badRequest` problems is a 400 whose body lists them one per line (Go's
 * errors.Join); problems Prometheus keeps to itself (an exemplar too far in the future) leave it a 204.
 */
import type { RemoteWriteError } from './remote-write.error';
import { REMOTE_WRITE_V2, type RemoteWriteCounts, type RemoteWriteRequest } from './remote-write.model';

export const SAMPLES_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Samples-Written';
export const HISTOGRAMS_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Histograms-Written';
export const EXEMPLARS_WRITTEN_HEADER = 'X-Prometheus-Remote-Write-Exemplars-Written';

/** Status, body and headers for the HTTP layer to send. */
export interface RemoteWriteResponse {
  readonly statusCode: 204 | 400 | 413 | 415;
  /** Empty for 204; otherwise the error text (sent as text/plain). */
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The three 2.0 response headers for `counts`. */
export function remoteWriteWrittenHeaders(counts: RemoteWriteCounts): Record<string, string> {
  return {
    [SAMPLES_WRITTEN_HEADER]: String(counts.samples),
    [HISTOGRAMS_WRITTEN_HEADER]: String(counts.histograms),
    [EXEMPLARS_WRITTEN_HEADER]: String(counts.exemplars),
  };
}

/**
 * The answer to a decoded request once its series are written. `written` defaults to what the request holds;
 * pass less when the store took less. (A store failure is a 5xx the caller answers itself, with 2.0 headers of
 * zero: Prometheus rolls back everything then, and its sender retries.)
 */
export function remoteWriteResponse(request: RemoteWriteRequest, written: RemoteWriteCounts = request.counts): RemoteWriteResponse {
  if (request.message !== REMOTE_WRITE_V2) return { statusCode: 204, body: '', headers: {} };
  const headers = remoteWriteWrittenHeaders(written);
  const bad = request.problems.filter((p) => p.badRequest);
  if (bad.length === 0) return { statusCode: 204, body: '', headers };
  return { statusCode: 400, body: bad.map((p) => p.message).join('\n'), headers };
}

/**
 * The answer to a request whose decode threw. A 2.0 body that failed protobuf decoding carries zero-count
 * headers, as in Prometheus (its Store answers through a WriteResponse); negotiation, size and snappy failures
 * do not (Prometheus rejects those before the message is read).
 */
export function remoteWriteErrorResponse(error: RemoteWriteError): RemoteWriteResponse {
  const headers = error.protobufMessage === REMOTE_WRITE_V2 ? remoteWriteWrittenHeaders({ samples: 0, histograms: 0, exemplars: 0 }) : {};
  return { statusCode: error.statusCode, body: error.message, headers };
}
