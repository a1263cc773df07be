import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import * as protobuf from 'protobufjs';
import { REMOTE_WRITE_PROTO_DIR, REMOTE_WRITE_PROTO_FILES, remoteWriteProtoTypes } from './remote-write-proto';
import { verifyWireFields, WIRE_SCHEMA } from './remote-write-wire-fields';

/** file → sha256, from the table in proto/README.md. */
function recordedHashes(): Map<string, string> {
  const readme = readFileSync(join(REMOTE_WRITE_PROTO_DIR, 'README.md'), 'utf8');
  const rows = [...readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| (v[^ ]+) \| `([^`]+)` \| `([0-9a-f]{64})` \|$/gm)];
  return new Map(rows.map((m) => [m[1] as string, m[5] as string]));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [relative(REMOTE_WRITE_PROTO_DIR, full)];
  });
}

describe('vendored .proto files', () => {
  it('are exactly the files the README records, each with its recorded sha256', () => {
    const hashes = recordedHashes();
    assert.deepEqual([...hashes.keys()].sort(), [...REMOTE_WRITE_PROTO_FILES].sort());
    const onDisk = filesUnder(REMOTE_WRITE_PROTO_DIR).filter((f) => f.endsWith('.proto')).sort();
    assert.deepEqual(onDisk, [...REMOTE_WRITE_PROTO_FILES].sort(), 'no unrecorded .proto file in proto/');
    for (const [file, sha] of hashes) {
      const actual = createHash('sha256').update(readFileSync(join(REMOTE_WRITE_PROTO_DIR, file))).digest('hex');
      assert.equal(actual, sha, `${file} differs from the vendored original`);
    }
  });

  it('names module, version and source path of each file', () => {
    const readme = readFileSync(join(REMOTE_WRITE_PROTO_DIR, 'README.md'), 'utf8');
    assert.match(readme, /\| `prompb\/remote.proto` \| `github.com\/prometheus\/prometheus` \| v0\.316\.0 \| `prompb\/remote.proto` \|/);
    assert.match(readme, /\| `gogoproto\/gogo.proto` \| `github.com\/gogo\/protobuf` \| v1\.3\.2 \| `gogoproto\/gogo.proto` \|/);
  });

  it('load from the folder beside the compiled library', () => {
    assert.equal(REMOTE_WRITE_PROTO_DIR, join(__dirname, '..', 'proto'));
    const types = remoteWriteProtoTypes();
    assert.equal(types.writeRequest.fullName, '.prometheus.WriteRequest');
    assert.equal(types.v2Request.fullName, '.io.prometheus.write.v2.Request');
    assert.equal(remoteWriteProtoTypes(), types, 'loaded once');
  });
});

describe('readers field table', () => {
  it('agrees with the vendored definitions', () => {
    assert.deepEqual(verifyWireFields(remoteWriteProtoTypes().root), []);
    assert.equal(WIRE_SCHEMA.length, 15);
  });

  it('reports a field whose number, type or presence differs', () => {
    const root = protobuf.parse(
      `syntax = "proto3"; package prometheus;
       message Sample { double value = 1; sint64 timestamp = 3; string extra = 4; }`,
      { keepCase: true },
    ).root;
    const problems = verifyWireFields(root).filter((p) => p.startsWith('prometheus.Sample'));
    assert.deepEqual(problems, [
      'prometheus.Sample: proto fields [extra, timestamp, value], reader knows [timestamp, value]',
      'prometheus.Sample.timestamp: proto has sint64 = 3, reader expects int64 = 2',
    ]);
  });
});
