/**
 * Request builders for the specs: plain objects in the official messages' shape, encoded by protobufjs from the
 * vendored .proto files and snappy-compressed, so every spec decodes what a real sender would send.
 */
import { createRemoteWriteDecoder } from '../decode-remote-write';
import { encodeRemoteWriteBody } from '../encode-remote-write';
import { REMOTE_WRITE_CONTENT_TYPES } from '../negotiate-remote-write';
import type { RemoteWriteDecodeConfig } from '../remote-write.config';
import { REMOTE_WRITE_V1, REMOTE_WRITE_V2, type RemoteWriteRequest } from '../remote-write.model';

/** The clock the specs decode at (2024-12-02T00:40:00Z), so their timestamps never drift into the future. */
export const NOW_MS = 1_733_100_000_000;

export type LabelPairs = readonly (readonly [string, string])[];

/** 1.0 `Label` objects from pairs, in the order given. */
export function v1Labels(pairs: LabelPairs): { name: string; value: string }[] {
  return pairs.map(([name, value]) => ({ name, value }));
}

/** Decodes a 1.0 request object end to end (encode, compress, negotiate, decompress, decode). */
export function decodeV1(request: Record<string, unknown>, config: Partial<RemoteWriteDecodeConfig> = {}, nowMs = NOW_MS): RemoteWriteRequest {
  const body = encodeRemoteWriteBody(REMOTE_WRITE_V1, request);
  return createRemoteWriteDecoder(config).decode({ contentType: REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V1], contentEncoding: 'snappy', body }, nowMs);
}

/** Decodes a 2.0 request object end to end. */
export function decodeV2(request: Record<string, unknown>, config: Partial<RemoteWriteDecodeConfig> = {}, nowMs = NOW_MS): RemoteWriteRequest {
  const body = encodeRemoteWriteBody(REMOTE_WRITE_V2, request);
  return createRemoteWriteDecoder(config).decode({ contentType: REMOTE_WRITE_CONTENT_TYPES[REMOTE_WRITE_V2], contentEncoding: 'snappy', body }, nowMs);
}

/** A 2.0 symbols table as senders build it: "" first, each string once. */
export class SymbolTable {
  readonly symbols: string[] = [''];
  private readonly refs = new Map<string, number>([['', 0]]);

  ref(text: string): number {
    let ref = this.refs.get(text);
    if (ref === undefined) {
      ref = this.symbols.length;
      this.symbols.push(text);
      this.refs.set(text, ref);
    }
    return ref;
  }

  /** labels_refs for the pairs, in the order given. */
  labelsRefs(pairs: LabelPairs): number[] {
    return pairs.flatMap(([name, value]) => [this.ref(name), this.ref(value)]);
  }
}

/** The labels of decoded series as pairs, for compact assertions. */
export function labelPairsOf(request: RemoteWriteRequest): string[][][] {
  return request.series.map((s) => s.labels.map((l) => [l.name, l.value]));
}
