#!/usr/bin/env node
// Generates TypeScript types from the Avro schemas of @sextant/contracts, so that code and topics cannot drift:
// every schemas/<name>.avsc becomes src/generated/<name>.ts (an interface per named record, a string-literal
// union per enum, and the schema itself as a `<RECORD>_SCHEMA` constant), plus src/generated/index.ts
// re-exporting them all. The mapping follows how src/avro-type.ts decodes: long -> bigint, nullable unions
// -> `T | null`, bytes/fixed -> Buffer. A schema may name a record defined in another schema file (an envelope
// naming the record it carries): the type is imported, and the schema constant inlines that definition at its
// first use, so what is registered stays self-contained. `--check` regenerates in memory and exits 1 when any file on disk
// differs (a unit spec runs it), `--root <dir>` points at another lib folder (used by that spec).
// Plain Node, no dependencies, deterministic output.
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync, unlinkSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HEADER_PREFIX = '// Generated from schemas/';
const HEADER_SUFFIX = ' by tools/avro-codegen.mjs. Do not edit.';
const PRIMITIVES = {
  null: 'null',
  boolean: 'boolean',
  int: 'number',
  long: 'bigint',
  float: 'number',
  double: 'number',
  bytes: 'Buffer',
  string: 'string',
};
// avsc decides per union whether branches can be told apart by their JS value (an "unwrapped" union, whose
// values are the plain branch values typed here); two branches in one bucket make it wrap values as
// `{ branchName: value }`, which these types do not describe, so such unions are refused.
const BUCKETS = { int: 'number', float: 'number', double: 'number', long: 'bigint', bytes: 'buffer', fixed: 'buffer', enum: 'string', string: 'string', record: 'object', error: 'object', map: 'object' };

/** Turns `LogRecord` into `LOG_RECORD`. */
export function screamingSnake(name) {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toUpperCase();
}

function docComment(doc, indent) {
  if (doc === undefined || doc === '') return [];
  return [`${indent}/** ${String(doc).replace(/\*\//g, '*\\/').replace(/\s*\n\s*/g, ' ')} */`];
}

function qualify(name, namespace) {
  return name.includes('.') || !namespace ? name : `${namespace}.${name}`;
}

/**
 * Generates the TypeScript module for one parsed schema. `external` maps the full names of named types defined
 * in other schema files to `{ tsName, bucket, node, module }`. Throws on constructs the mapping cannot express.
 */
export function generateModule(fileName, schema, external = new Map()) {
  const named = new Map(); // full name -> { tsName, bucket }
  const declarations = [];
  const imported = new Map(); // full name -> external entry

  function declare(node, namespace, kind) {
    const fullName = qualify(node.name, node.namespace ?? namespace);
    if (named.has(fullName)) throw new Error(`${fileName}: type ${fullName} defined twice`);
    const tsName = fullName.slice(fullName.lastIndexOf('.') + 1);
    named.set(fullName, { tsName, bucket: BUCKETS[kind] });
    return { fullName, tsName, ownNamespace: fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : '' };
  }

  /** Returns the TypeScript type of a schema node, declaring named types on first sight (post-order). */
  function typeOf(node, namespace) {
    if (typeof node === 'string') {
      if (node in PRIMITIVES) return { ts: PRIMITIVES[node], bucket: BUCKETS[node] ?? node };
      const ref = named.get(qualify(node, namespace)) ?? named.get(node);
      if (ref) return { ts: ref.tsName, bucket: ref.bucket };
      const fullName = external.has(qualify(node, namespace)) ? qualify(node, namespace) : node;
      const ext = external.get(fullName);
      if (!ext) throw new Error(`${fileName}: unknown type ${node} (not defined here nor in another schema file)`);
      imported.set(fullName, ext);
      return { ts: ext.tsName, bucket: ext.bucket };
    }
    if (Array.isArray(node)) return unionOf(node, namespace);
    if (node === null || typeof node !== 'object') throw new Error(`${fileName}: invalid schema node ${JSON.stringify(node)}`);
    switch (node.type) {
      case 'record':
      case 'error': {
        const { tsName, ownNamespace } = declare(node, namespace, node.type);
        const lines = [...docComment(node.doc, ''), `export interface ${tsName} {`];
        for (const field of node.fields ?? []) {
          lines.push(...docComment(field.doc, '  '), `  ${field.name}: ${typeOf(field.type, ownNamespace).ts};`);
        }
        lines.push('}');
        declarations.push(lines.join('\n'));
        return { ts: tsName, bucket: 'object' };
      }
      case 'enum': {
        const { tsName } = declare(node, namespace, 'enum');
        const symbols = node.symbols.map((s) => `'${s}'`);
        declarations.push([...docComment(node.doc, ''), `export type ${tsName} = ${symbols.join(' | ')};`].join('\n'));
        return { ts: tsName, bucket: 'string' };
      }
      case 'fixed': {
        const { tsName } = declare(node, namespace, 'fixed');
        declarations.push([...docComment(node.doc ?? `Avro fixed of ${node.size} bytes.`, ''), `export type ${tsName} = Buffer;`].join('\n'));
        return { ts: tsName, bucket: 'buffer' };
      }
      case 'array': {
        const item = typeOf(node.items, namespace).ts;
        return { ts: item.includes(' ') ? `(${item})[]` : `${item}[]`, bucket: 'array' };
      }
      case 'map':
        return { ts: `Record<string, ${typeOf(node.values, namespace).ts}>`, bucket: 'object' };
      default:
        // {"type": "long", "logicalType": ...} and friends: avro-type.ts decodes them as their underlying type.
        if (node.type in PRIMITIVES) return typeOf(node.type, namespace);
        throw new Error(`${fileName}: unsupported type ${JSON.stringify(node.type)}`);
    }
  }

  function unionOf(branches, namespace) {
    const seen = new Set();
    const parts = [];
    let nullable = false;
    for (const branch of branches) {
      const t = typeOf(branch, namespace);
      if (t.ts === 'null') {
        nullable = true;
        continue;
      }
      if (seen.has(t.bucket)) {
        throw new Error(`${fileName}: union ${JSON.stringify(branches)} is ambiguous (avsc would wrap it); use ["null", T] or separate fields`);
      }
      seen.add(t.bucket);
      parts.push(t.ts);
    }
    if (nullable) parts.push('null');
    return { ts: parts.join(' | '), bucket: 'union' };
  }

  /** The schema with every imported type's definition inlined at its first use (Avro needs it self-contained). */
  function inlineImports(node, namespace, done) {
    if (typeof node === 'string') {
      const fullName = imported.has(qualify(node, namespace)) ? qualify(node, namespace) : node;
      const ext = imported.get(fullName);
      if (!ext || done.has(fullName)) return node;
      done.add(fullName);
      const ownNamespace = fullName.includes('.') ? fullName.slice(0, fullName.lastIndexOf('.')) : undefined;
      return { ...structuredClone(ext.node), ...(ext.node.namespace === undefined && ownNamespace ? { namespace: ownNamespace } : {}) };
    }
    if (Array.isArray(node)) return node.map((b) => inlineImports(b, namespace, done));
    if (node === null || typeof node !== 'object') return node;
    const ns = node.type === 'record' || node.type === 'error' || node.type === 'enum' || node.type === 'fixed' ? (qualify(node.name, node.namespace ?? namespace).split('.').slice(0, -1).join('.')) : namespace;
    const out = { ...node };
    if (Array.isArray(node.fields)) out.fields = node.fields.map((f) => ({ ...f, type: inlineImports(f.type, ns, done) }));
    if (node.items !== undefined) out.items = inlineImports(node.items, ns, done);
    if (node.values !== undefined) out.values = inlineImports(node.values, ns, done);
    return out;
  }

  if (schema?.type !== 'record') throw new Error(`${fileName}: top-level schema must be a record`);
  typeOf(schema, schema.namespace ?? '');
  const constName = `${screamingSnake(schema.name.slice(schema.name.lastIndexOf('.') + 1))}_SCHEMA`;
  const imports = [...new Set([...imported.values()].map((e) => e.module))].sort().map((m) => {
    const names = [...imported.values()].filter((e) => e.module === m).map((e) => e.tsName).sort();
    return `import type { ${names.join(', ')} } from './${m}';`;
  });
  const registered = imported.size > 0 ? inlineImports(schema, schema.namespace ?? '', new Set()) : schema;
  const text = [
    `${HEADER_PREFIX}${fileName}${HEADER_SUFFIX}`,
    ...imports,
    ...declarations,
    `/** The Avro schema of schemas/${fileName}, as registered for its topics. */`,
    `export const ${constName} = ${JSON.stringify(registered, null, 2)} as const;`,
    '',
  ].join('\n');
  return { text, typeNames: [...named.values()].map((n) => n.tsName), constName };
}

/** Generates every output file of a lib root: returns a map of relative path -> content. */
export function generateAll(root) {
  const schemaDir = join(root, 'schemas');
  const files = readdirSync(schemaDir).filter((f) => f.endsWith('.avsc')).sort();
  const outputs = new Map();
  const owners = new Map(); // exported TS name -> schema file, to refuse clashes in the barrel
  const modules = [];
  const parsed = files.map((file) => ({ file, schema: JSON.parse(readFileSync(join(schemaDir, file), 'utf8')) }));
  // Top-level records of every file, so another file may name them (see the module header).
  const topLevel = new Map();
  for (const { file, schema } of parsed) {
    if (schema?.type !== 'record') continue;
    const fullName = qualify(schema.name, schema.namespace);
    topLevel.set(fullName, { tsName: fullName.slice(fullName.lastIndexOf('.') + 1), bucket: 'object', node: schema, module: file.replace(/\.avsc$/, '') });
  }
  for (const { file, schema } of parsed) {
    const external = new Map([...topLevel].filter(([, e]) => e.node !== schema));
    const { text, typeNames, constName } = generateModule(file, schema, external);
    for (const name of [...typeNames, constName]) {
      const other = owners.get(name);
      if (other) throw new Error(`${file}: exported name ${name} already comes from ${other}; short names must be unique across schemas`);
      owners.set(name, file);
    }
    const moduleName = file.replace(/\.avsc$/, '');
    outputs.set(join('src', 'generated', `${moduleName}.ts`), text);
    modules.push(moduleName);
  }
  const barrel = [`${HEADER_PREFIX}*.avsc${HEADER_SUFFIX}`, ...modules.map((m) => `export * from './${m}';`), ''].join('\n');
  outputs.set(join('src', 'generated', 'index.ts'), barrel);
  return outputs;
}

/** Generated files on disk that no schema produces any more (only files carrying our header). */
function orphans(root, outputs) {
  const dir = join(root, 'src', 'generated');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join('src', 'generated', f))
    .filter((rel) => !outputs.has(rel) && readFileSync(join(root, rel), 'utf8').startsWith(HEADER_PREFIX));
}

function main(argv) {
  const check = argv.includes('--check');
  const rootIndex = argv.indexOf('--root');
  const root = rootIndex >= 0 ? resolve(argv[rootIndex + 1]) : resolve(dirname(fileURLToPath(import.meta.url)), '..');
  const outputs = generateAll(root);
  const stale = [];
  for (const [rel, text] of outputs) {
    const path = join(root, rel);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    if (current === text) continue;
    stale.push(rel);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
    }
  }
  for (const rel of orphans(root, outputs)) {
    stale.push(rel);
    if (!check) unlinkSync(join(root, rel));
  }
  if (check) {
    if (stale.length > 0) {
      console.error(`stale generated files (run node tools/avro-codegen.mjs):\n  ${stale.join('\n  ')}`);
      return 1;
    }
    console.log(`generated files up to date (${outputs.size})`);
    return 0;
  }
  console.log(stale.length > 0 ? `wrote ${stale.join(', ')}` : 'nothing to do');
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 2;
  }
}
