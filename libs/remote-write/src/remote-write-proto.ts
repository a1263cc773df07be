/**
 * The official remote-write protobuf definitions (vendored verbatim in the library's `proto/` folder, see its
 * README), loaded with protobufjs on first use and shared afterwards. The folder sits beside `src/` and `dist/`,
 * so the same relative path works from the compiled library. Imports resolve first beside the importing file
 * (`import "types.proto"`), then from the folder's root (`gogoproto/gogo.proto`,
 * `google/protobuf/descriptor.proto`), as Prometheus's buf configuration does. Field names keep their proto
 * spelling (snake_case).
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import * as protobuf from 'protobufjs';

/** Where the vendored .proto files are. */
export const REMOTE_WRITE_PROTO_DIR = join(__dirname, '..', 'proto');

/** The vendored files, relative to REMOTE_WRITE_PROTO_DIR. */
export const REMOTE_WRITE_PROTO_FILES: readonly string[] = Object.freeze([
  'prompb/types.proto',
  'prompb/remote.proto',
  'prompb/io/prometheus/write/v2/types.proto',
  'gogoproto/gogo.proto',
  'google/protobuf/descriptor.proto',
]);

const ENTRY_FILES = ['prompb/remote.proto', 'prompb/io/prometheus/write/v2/types.proto'];

/** The loaded definitions and the two request messages. */
export interface RemoteWriteProtoTypes {
  readonly root: protobuf.Root;
  /** `prometheus.WriteRequest` (remote write 1.0). */
  readonly writeRequest: protobuf.Type;
  /** `io.prometheus.write.v2.Request` (remote write 2.0). */
  readonly v2Request: protobuf.Type;
}

let loaded: RemoteWriteProtoTypes | undefined;

/** The remote-write types (parsed from the .proto files on the first call; protobufjs types are stateless). */
export function remoteWriteProtoTypes(): RemoteWriteProtoTypes {
  if (loaded !== undefined) return loaded;
  const root = new protobuf.Root();
  root.resolvePath = (origin: string, target: string): string => {
    if (isAbsolute(target)) return target;
    const beside = origin === '' ? '' : join(dirname(origin), target);
    return beside !== '' && existsSync(beside) ? beside : join(REMOTE_WRITE_PROTO_DIR, target);
  };
  root.loadSync(ENTRY_FILES.map((f) => join(REMOTE_WRITE_PROTO_DIR, f)), { keepCase: true });
  root.resolveAll();
  loaded = {
    root,
    writeRequest: root.lookupType('prometheus.WriteRequest'),
    v2Request: root.lookupType('io.prometheus.write.v2.Request'),
  };
  return loaded;
}
