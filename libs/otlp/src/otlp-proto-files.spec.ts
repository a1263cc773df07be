// The vendored schema is the official one: every file matches the sha256 its README records, nothing unlisted
// sits beside them, and the loaded types are the upstream ones (spot checks of field numbers the decoders rely on).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, it } from 'node:test';
import { OTLP_PROTO_DIR, OTLP_PROTO_FILES, otlpProtoTypes } from './otlp-proto-root';

/** `| \`path\` | \`sha256\` |` rows of the README's file table. */
function recordedHashes(): Map<string, string> {
  const readme = readFileSync(join(OTLP_PROTO_DIR, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([^`]+\.proto)` \| `([0-9a-f]{64})` \|$/gm)];
  return new Map(rows.map((m) => [m[1] ?? '', m[2] ?? '']));
}

function protoFilesOnDisk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return protoFilesOnDisk(full);
    return e.name.endsWith('.proto') ? [relative(OTLP_PROTO_DIR, full).split(sep).join('/')] : [];
  });
}

describe('vendored OTLP schema', () => {
  const hashes = recordedHashes();

  it('lists every .proto file of the folder, and only those', () => {
    assert.ok(hashes.size >= OTLP_PROTO_FILES.length);
    assert.deepEqual([...hashes.keys()].sort(), protoFilesOnDisk(OTLP_PROTO_DIR).sort());
  });

  it('holds each file exactly as recorded (sha256)', () => {
    for (const [file, sha256] of hashes) {
      const actual = createHash('sha256').update(readFileSync(join(OTLP_PROTO_DIR, file))).digest('hex');
      assert.equal(actual, sha256, `${file} differs from the vendored release`);
    }
  });

  it('loads the entry files and everything they import from the folder', () => {
    const types = otlpProtoTypes();
    for (const file of OTLP_PROTO_FILES) assert.ok(types.root.files.includes(join(OTLP_PROTO_DIR, file)), file);
    const metric = types.root.lookupType('opentelemetry.proto.metrics.v1.Metric');
    assert.deepEqual(
      Object.fromEntries(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary'].map((f) => [f, metric.fields[f]?.id])),
      { gauge: 5, sum: 7, histogram: 9, exponentialHistogram: 10, summary: 11 },
    );
    const point = types.root.lookupType('opentelemetry.proto.metrics.v1.NumberDataPoint');
    assert.equal(point.fields['asInt']?.type, 'sfixed64');
    const logRecord = types.root.lookupType('opentelemetry.proto.logs.v1.LogRecord');
    assert.equal(logRecord.fields['eventName']?.id, 12);
    assert.deepEqual(Object.keys(types.status.fields), ['code', 'message', 'details']);
  });
});
