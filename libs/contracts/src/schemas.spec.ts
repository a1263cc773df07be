import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { avroType } from './avro-type';
import * as generated from './generated';
import { SAMPLE_BY_SCHEMA_FILE, SAMPLE_SPAN, toPlain } from './testdata/sample-records';

const SCHEMA_DIR = join(__dirname, '..', 'schemas');
const schemaFiles = readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.avsc')).sort();

type Node = string | Node[] | { [key: string]: unknown };
interface RecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  doc?: string;
  fields: { name: string; type: Node; doc?: string; default?: unknown }[];
}

function loadSchema(file: string): RecordSchema {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, file), 'utf8')) as RecordSchema;
}

function fullNameOf(node: { name: string; namespace?: string }): string {
  return node.name.includes('.') || node.namespace === undefined ? node.name : `${node.namespace}.${node.name}`;
}

/** Top-level record of each schema file, by full name: a file may name another file's record. */
const TOP_LEVEL = new Map(schemaFiles.map((f) => [fullNameOf(loadSchema(f)), f]));

/** The generated constant with records inlined from other files folded back into their names. */
function collapseInlined(node: Node, ownFile: string): Node {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map((b) => collapseInlined(b, ownFile));
  const n = node as Record<string, unknown>;
  if (n.type === 'record' && typeof n.name === 'string') {
    const full = fullNameOf(n as { name: string; namespace?: string });
    const file = TOP_LEVEL.get(full);
    if (file !== undefined && file !== ownFile) return full;
  }
  const out: Record<string, unknown> = { ...n };
  if (Array.isArray(n.fields)) out.fields = (n.fields as { type: Node }[]).map((f) => ({ ...f, type: collapseInlined(f.type, ownFile) }));
  if (n.items !== undefined) out.items = collapseInlined(n.items as Node, ownFile);
  if (n.values !== undefined) out.values = collapseInlined(n.values as Node, ownFile);
  return out;
}

/** Collects house-rule violations: docs everywhere; nullable fields put null first and default to it. */
function lint(node: Node, where: string, problems: string[]): void {
  if (typeof node === 'string') return;
  if (Array.isArray(node)) {
    node.forEach((branch, i) => lint(branch, `${where}[${i}]`, problems));
    return;
  }
  const type = node.type as Node;
  if (type === 'record' || type === 'enum') {
    if (typeof node.doc !== 'string' || node.doc === '') problems.push(`${where}: ${String(node.name)} has no doc`);
  }
  if (type === 'record') {
    for (const field of node.fields as RecordSchema['fields']) {
      const at = `${where}.${field.name}`;
      if (!field.doc) problems.push(`${at}: no doc`);
      if (Array.isArray(field.type)) {
        if (field.type[0] !== 'null' || field.default !== null) problems.push(`${at}: nullable fields put "null" first and default to null`);
      }
      lint(field.type, at, problems);
    }
  } else if (type === 'array') {
    lint(node.items as Node, `${where}[]`, problems);
  } else if (type === 'map') {
    lint(node.values as Node, `${where}{}`, problems);
  }
}

describe('schemas', () => {
  it('finds every schema the lib documents', () => {
    assert.deepEqual(schemaFiles, Object.keys(SAMPLE_BY_SCHEMA_FILE).sort());
  });

  for (const file of schemaFiles) {
    describe(file, () => {
      const raw = loadSchema(file);
      const constName = `${raw.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_SCHEMA`;
      // What is registered: self-contained, with other files' records inlined.
      const schema = (generated as Record<string, unknown>)[constName] as RecordSchema;
      const sample = SAMPLE_BY_SCHEMA_FILE[file];

      it('parses with avsc and lives in an io.sextant namespace', () => {
        const type = avroType(schema);
        assert.equal(type.typeName, 'record');
        assert.match(type.name ?? '', /^io\.sextant\.[a-z]+\.[A-Z][A-Za-z]+$/);
      });

      it('is exported as the generated constant', () => {
        assert.ok(schema, `${constName} is not exported`);
        assert.deepEqual(collapseInlined(schema as unknown as Node, file), raw);
      });

      it('documents every record, enum and field, and defaults every nullable field to null', () => {
        const problems: string[] = [];
        lint(raw as unknown as Node, raw.name, problems);
        assert.deepEqual(problems, []);
      });

      it('round-trips a sample record exactly', () => {
        const type = avroType(schema);
        assert.ok(type.isValid(sample, { errorHook: (path) => assert.fail(`invalid at ${path.join('.')}`) }));
        const decoded = type.fromBuffer(type.toBuffer(sample));
        assert.deepStrictEqual(toPlain(decoded), toPlain(sample));
      });

      it('is read by a newer reader that adds optional fields (BACKWARD)', () => {
        const reader = avroType({
          ...schema,
          fields: [
            ...schema.fields,
            { name: 'addedOptional', type: ['null', 'string'], default: null, doc: 'added later' },
            { name: 'addedCounter', type: 'long', default: 42, doc: 'added later' },
          ],
        });
        const writer = avroType(schema);
        const decoded = reader.fromBuffer(writer.toBuffer(sample), reader.createResolver(writer)) as Record<string, unknown>;
        assert.equal(decoded.addedOptional, null);
        assert.equal(decoded.addedCounter, 42n);
        const { addedOptional: _a, addedCounter: _c, ...rest } = toPlain(decoded) as Record<string, unknown>;
        assert.deepStrictEqual(rest, toPlain(sample));
      });

      it('cannot be read by a reader that adds a field without a default (the rule the check enforces)', () => {
        const reader = avroType({ ...schema, fields: [...schema.fields, { name: 'addedRequired', type: 'string', doc: 'no default' }] });
        assert.throws(() => reader.createResolver(avroType(schema)), /incompatible|addedRequired/);
      });
    });
  }

  it('maps an enum symbol unknown to an older reader to the enum default', () => {
    const current = loadSchema('span.avsc');
    const newerWriter = avroType({
      ...current,
      fields: current.fields.map((f) => (f.name === 'kind' ? { ...f, type: { ...(f.type as object), symbols: ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER', 'WORKER'] } } : f)),
    });
    const reader = avroType(current);
    const decoded = reader.fromBuffer(newerWriter.toBuffer({ ...SAMPLE_SPAN, kind: 'WORKER' }), reader.createResolver(newerWriter)) as Record<string, unknown>;
    assert.equal(decoded.kind, 'UNSPECIFIED');
  });
});
