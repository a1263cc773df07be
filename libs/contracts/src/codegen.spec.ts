import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIB_ROOT = join(__dirname, '..');
const SCRIPT = join(LIB_ROOT, 'tools', 'avro-codegen.mjs');

function codegen(...args: string[]): { status: number | null; output: string } {
  const res = spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

describe('avro-codegen', () => {
  it('finds the committed generated files up to date (regenerate with node tools/avro-codegen.mjs)', () => {
    const { status, output } = codegen('--check');
    assert.equal(status, 0, output);
  });

  describe('on a scratch copy of the lib', () => {
    let root = '';
    before(() => {
      root = mkdtempSync(join(tmpdir(), 'contracts-codegen-'));
      cpSync(join(LIB_ROOT, 'schemas'), join(root, 'schemas'), { recursive: true });
      cpSync(join(LIB_ROOT, 'src', 'generated'), join(root, 'src', 'generated'), { recursive: true });
    });
    after(() => rmSync(root, { recursive: true, force: true }));

    it('reports a hand-edited generated file as stale, and regenerating fixes it', () => {
      appendFileSync(join(root, 'src', 'generated', 'span.ts'), '// edited by hand\n');
      const stale = codegen('--check', '--root', root);
      assert.equal(stale.status, 1);
      assert.match(stale.output, /src\/generated\/span\.ts/);
      assert.equal(codegen('--root', root).status, 0);
      assert.equal(codegen('--check', '--root', root).status, 0);
    });

    it('maps every Avro type as documented and removes files of deleted schemas', () => {
      const schema = {
        type: 'record',
        name: 'Everything',
        namespace: 'io.sextant.test',
        doc: 'All the types.',
        fields: [
          { name: 'l', type: 'long' },
          { name: 'lo', type: { type: 'long', logicalType: 'timestamp-micros' } },
          { name: 'i', type: 'int' },
          { name: 'f', type: 'float' },
          { name: 'd', type: 'double' },
          { name: 'b', type: 'boolean' },
          { name: 'by', type: 'bytes' },
          { name: 'fx', type: { type: 'fixed', name: 'Id16', size: 16 } },
          { name: 'e', type: { type: 'enum', name: 'Colour', symbols: ['RED', 'GREEN'] } },
          { name: 'n', type: ['null', 'string'], default: null, doc: 'A */ tricky doc.' },
          { name: 'm', type: { type: 'map', values: 'long' } },
          { name: 'a', type: { type: 'array', items: ['null', 'Colour'] } },
          { name: 'r', type: { type: 'record', name: 'Inner', fields: [{ name: 'x', type: 'Id16' }] } },
          { name: 'rs', type: { type: 'array', items: 'Inner' } },
        ],
      };
      writeFileSync(join(root, 'schemas', 'everything-test.avsc'), JSON.stringify(schema));
      assert.equal(codegen('--check', '--root', root).status, 1);
      assert.equal(codegen('--root', root).status, 0);
      const text = readFileSync(join(root, 'src', 'generated', 'everything-test.ts'), 'utf8');
      assert.ok(text.startsWith('// Generated from schemas/everything-test.avsc by tools/avro-codegen.mjs. Do not edit.\n'));
      for (const line of [
        'export type Id16 = Buffer;',
        "export type Colour = 'RED' | 'GREEN';",
        'export interface Inner {\n  x: Id16;\n}',
        '  l: bigint;',
        '  lo: bigint;',
        '  i: number;',
        '  f: number;',
        '  d: number;',
        '  b: boolean;',
        '  by: Buffer;',
        '  fx: Id16;',
        '  e: Colour;',
        '  /** A *\\/ tricky doc. */\n  n: string | null;',
        '  m: Record<string, bigint>;',
        '  a: (Colour | null)[];',
        '  r: Inner;',
        '  rs: Inner[];',
        'export const EVERYTHING_SCHEMA = {',
      ]) {
        assert.ok(text.includes(line), `missing ${JSON.stringify(line)}`);
      }
      assert.match(readFileSync(join(root, 'src', 'generated', 'index.ts'), 'utf8'), /export \* from '\.\/everything-test';/);

      rmSync(join(root, 'schemas', 'everything-test.avsc'));
      assert.equal(codegen('--check', '--root', root).status, 1);
      assert.equal(codegen('--root', root).status, 0);
      assert.equal(existsSync(join(root, 'src', 'generated', 'everything-test.ts')), false);
    });

    it('imports a record named from another schema file and inlines its definition once in the constant', () => {
      const envelope = { type: 'record', name: 'SpanPair', namespace: 'io.sextant.test', doc: 'Two spans.', fields: [
        { name: 'first', type: 'io.sextant.traces.Span', doc: 'a' },
        { name: 'rest', type: { type: 'array', items: 'io.sextant.traces.Span' }, doc: 'b' },
      ] };
      writeFileSync(join(root, 'schemas', 'span-pair.avsc'), JSON.stringify(envelope));
      assert.equal(codegen('--root', root).status, 0);
      const text = readFileSync(join(root, 'src', 'generated', 'span-pair.ts'), 'utf8');
      assert.ok(text.includes("import type { Span } from './span';"), text.slice(0, 400));
      assert.ok(text.includes('  first: Span;\n') && text.includes('  rest: Span[];\n'));
      const constant = JSON.parse(text.slice(text.indexOf('= {') + 2, text.lastIndexOf(' as const')));
      assert.equal(constant.fields[0].type.name, 'Span');
      assert.equal(constant.fields[0].type.namespace, 'io.sextant.traces');
      assert.equal(constant.fields[1].type.items, 'io.sextant.traces.Span');
      rmSync(join(root, 'schemas', 'span-pair.avsc'));

      writeFileSync(join(root, 'schemas', 'dangling.avsc'), JSON.stringify({ type: 'record', name: 'Dangling', namespace: 'io.sextant.test', fields: [{ name: 'x', type: 'io.sextant.none.Missing' }] }));
      const res = codegen('--check', '--root', root);
      assert.equal(res.status, 2);
      assert.match(res.output, /unknown type io\.sextant\.none\.Missing/);
      rmSync(join(root, 'schemas', 'dangling.avsc'));
      assert.equal(codegen('--root', root).status, 0);
    });

    it('refuses unions avsc would wrap, and names two schemas export twice', () => {
      const ambiguous = { type: 'record', name: 'Amb', namespace: 'io.sextant.test', fields: [{ name: 'v', type: ['null', 'int', 'double'] }] };
      writeFileSync(join(root, 'schemas', 'amb.avsc'), JSON.stringify(ambiguous));
      const res = codegen('--check', '--root', root);
      assert.equal(res.status, 2);
      assert.match(res.output, /ambiguous/);
      rmSync(join(root, 'schemas', 'amb.avsc'));

      const clash = { type: 'record', name: 'Span', namespace: 'io.sextant.other', fields: [{ name: 'v', type: 'int' }] };
      writeFileSync(join(root, 'schemas', 'clash.avsc'), JSON.stringify(clash));
      const res2 = codegen('--check', '--root', root);
      assert.equal(res2.status, 2);
      assert.match(res2.output, /Span/);
      rmSync(join(root, 'schemas', 'clash.avsc'));
    });
  });
});
