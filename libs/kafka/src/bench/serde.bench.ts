/**
 * Microbenchmark of the serde's per-record cost on a LogRecord: the promise path (encode/decode, one await
 * per record) and the previous encoding (a fresh toBuffer, then a second buffer for header + payload) against
 * the synchronous fast path (encodeSync/decodeSync, encoding into a reused buffer with the header in place). Needs the schema registry once, to register the schema (SEXTANT_SCHEMA_REGISTRY_URL).
 * Run with `node libs/kafka/dist/bench/serde.bench.js` after a build.
 */
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { LOG_RECORD_SCHEMA, avroTypeOptions, type LogRecord } from '@sextant/contracts';
import pino from 'pino';
import { Registry } from 'prom-client';
import { AvroSerde } from '../avro.serde';

const RECORDS = 20_000;
const ROUNDS = 5;
const url = process.env.SEXTANT_SCHEMA_REGISTRY_URL ?? 'http://127.0.0.1:8081/apis/ccompat/v7';

const record = (i: number): LogRecord => ({
  tenant: 'acme',
  timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
  observedTimeUnixNano: 1_700_000_000_000_000_000n + BigInt(i) + 1_000_000n,
  severityNumber: 17,
  severityText: 'ERROR',
  body: `payment ${i} failed: card declined`,
  attributes: { 'http.route': '/pay', 'log.iostream': 'stderr' },
  resource: { 'service.name': 'checkout', 'k8s.namespace.name': 'shop' },
  scopeName: 'checkout-logger',
  scopeVersion: '1.2.0',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  spanId: '00f067aa0ba902b7',
  traceFlags: 1,
  serviceName: 'checkout',
  source: 'agent',
  stream: 'stderr',
  k8s: { namespace: 'shop', pod: `checkout-${i % 50}`, podUid: '0b7c1d2e-1111-4c4c-9d9d-123456789abc', container: 'app', node: 'node-1', labels: { app: 'checkout' } },
  parseFlags: ['plain'],
});

async function best(name: string, run: () => Promise<void> | void): Promise<void> {
  let fastest = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    await run();
    fastest = Math.min(fastest, ((performance.now() - started) * 1000) / RECORDS);
  }
  console.log(`${name}: ${fastest.toFixed(2)} µs/record (best of ${ROUNDS} rounds of ${RECORDS})`);
}

async function main(): Promise<void> {
  const serde = new AvroSerde({ url, username: '', password: '' }, avroTypeOptions(), { logger: pino({ level: 'silent' }), metrics: new Registry() });
  const id = await serde.register(`bench.${randomBytes(4).toString('hex')}.logs-value`, LOG_RECORD_SCHEMA);
  const values = Array.from({ length: RECORDS }, (_, i) => record(i));
  const wires = await Promise.all(values.map((v) => serde.encode(id, v)));
  await best('previous encode: awaited type, toBuffer, header + copy', async () => {
    for (const v of values) {
      const payload = (await serde.writerType(id)).toBuffer(v);
      const out = Buffer.allocUnsafe(5 + payload.length);
      out.writeUInt8(0, 0);
      out.writeUInt32BE(id, 1);
      payload.copy(out, 5);
    }
  });
  await best('previous decode: awaited type, fromBuffer', async () => {
    for (const w of wires) (await serde.writerType(id)).fromBuffer(w.subarray(5));
  });
  await best('encode, awaited per record', async () => {
    for (const v of values) await serde.encode(id, v);
  });
  await best('encodeSync', () => {
    for (const v of values) serde.encodeSync(id, v);
  });
  await best('decode, awaited per record', async () => {
    for (const w of wires) await serde.decode(w);
  });
  await best('decodeSync', () => {
    for (const w of wires) serde.decodeSync(w);
  });
}

void main();
