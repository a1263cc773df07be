/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) through a
 * Confluent-compatible schema registry. Writer schemas are fetched once per id and cached (by the registry
 * client); types are built with the caller's avsc options, so Avro longs come out as bigint when the
 * contracts' options say so. A reader schema, when given, decodes through an avsc resolver (schema
 * evolution: an old reader reads new records, a new reader fills defaults into old ones).
 * Decoding failures are classified: bytes that can never decode throw UndecodableRecordError (dead-letter
 * them); a registry that cannot be reached throws RegistryUnavailableError (retry later).
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import * as avsc from 'avsc';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import { validateRegistryConfig, type RegistryConfig } from './kafka.config';
import { RegistryUnavailableError, SchemaIncompatibleError, UndecodableRecordError } from './kafka.errors';
import type { TelemetryDeps } from './kafka.metrics';

export type Compatibility = `${COMPATIBILITY}`;

/** Wire header: magic byte + 4-byte schema id. */
const HEADER_BYTES = 5;
const REGISTRY_HTTP_TIMEOUT_MS = 10_000;
/** How long an id the registry does not know is remembered, so garbage input does not hammer the registry. */
const UNKNOWN_ID_TTL_MS = 30_000;
const UNKNOWN_ID_CACHE_MAX = 10_000;

/**
 * avsc adds every named type to the `registry` option it is given, so a registry shared across schemas fails
 * with "duplicate type name" as soon as two versions of one record are parsed. A caller's registry is turned
 * into a lookup-only type hook instead.
 */
function isolateRegistry(opts: Partial<avsc.ForSchemaOptions>): Partial<avsc.ForSchemaOptions> {
  const { registry, typeHook, ...rest } = opts;
  if (!registry) return { ...rest, ...(typeHook ? { typeHook } : {}) };
  const named: Record<string, avsc.Type> = { ...registry };
  return {
    ...rest,
    typeHook: (schema, o) => (typeof schema === 'string' && named[schema] !== undefined ? named[schema] : typeHook?.(schema, o)),
  };
}

function statusOf(err: unknown): number | undefined {
  const s = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof s === 'number' ? s : undefined;
}

export class AvroSerde {
  private readonly registry: SchemaRegistry;
  private readonly options: Partial<avsc.ForSchemaOptions>;
  private readonly url: string;
  private readonly authHeader: string | null;
  private readonly logger: Logger;
  private readonly readerTypes = new WeakMap<object, avsc.Type>();
  private readonly resolvers = new WeakMap<avsc.Type, Map<number, avsc.Resolver>>();
  private readonly unknownIds = new Map<number, number>();

  /**
   * @param avroOptions avsc `Type.forSchema` options for every type this serde builds (pass the contracts'
   *   bigint-long options). Copied; never mutated.
   */
  constructor(cfg: RegistryConfig, avroOptions: Partial<avsc.ForSchemaOptions>, deps: TelemetryDeps) {
    validateRegistryConfig(cfg);
    this.url = cfg.url.replace(/\/+$/, '');
    this.options = isolateRegistry(avroOptions);
    this.logger = deps.logger.child({ component: 'schema-registry' });
    const auth = cfg.username !== '' ? { username: cfg.username, password: cfg.password } : undefined;
    this.authHeader = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : null;
    this.registry = new SchemaRegistry(
      { host: this.url, clientId: 'sextant', ...(auth ? { auth } : {}), retry: { retries: 2 } },
      { [SchemaType.AVRO]: this.options },
    );
  }

  /**
   * Sets the subject's compatibility level, then registers the schema under it and returns its id.
   * Idempotent: an identical schema returns the id it already has. Throws SchemaIncompatibleError when the
   * registry refuses the schema under that level.
   */
  async register(subject: string, schema: object, compatibility: Compatibility = 'BACKWARD'): Promise<number> {
    await this.http('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility });
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility: compatibility as COMPATIBILITY },
      );
      this.logger.info({ subject, id, compatibility }, 'schema registered');
      return id;
    } catch (err) {
      const status = statusOf(err);
      if (status === 409) throw new SchemaIncompatibleError(subject, errorMessage(err), { cause: err });
      if (status === 422 || status === undefined) throw new Error(`registering a schema under ${subject} failed: ${errorMessage(err)}`, { cause: err });
      throw new RegistryUnavailableError(`schema registry failed: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Encodes `value` with the writer schema `schemaId` into the Confluent wire format. */
  async encode(schemaId: number, value: unknown): Promise<Buffer> {
    const type = await this.writerType(schemaId);
    const payload = type.toBuffer(value);
    const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    out.writeUInt8(0, 0);
    out.writeUInt32BE(schemaId, 1);
    payload.copy(out, HEADER_BYTES);
    return out;
  }

  /**
   * Decodes a Confluent-framed Avro record. With `readerSchema`, the value is resolved into that schema.
   * Throws UndecodableRecordError or RegistryUnavailableError (see the module header).
   */
  async decode<T>(buf: Buffer, readerSchema?: object): Promise<{ value: T; schemaId: number }> {
    if (buf.length < HEADER_BYTES) throw new UndecodableRecordError(`record of ${buf.length} bytes is shorter than the ${HEADER_BYTES}-byte Confluent header`);
    if (buf[0] !== 0) throw new UndecodableRecordError(`magic byte is ${buf[0]}, expected 0 (not Confluent-framed Avro)`);
    const schemaId = buf.readUInt32BE(1);
    const writer = await this.writerTypeForDecode(schemaId);
    const payload = buf.subarray(HEADER_BYTES);
    try {
      if (!readerSchema) return { value: writer.fromBuffer(payload) as T, schemaId };
      const reader = this.readerType(readerSchema);
      return { value: reader.fromBuffer(payload, this.resolver(reader, writer, schemaId)) as T, schemaId };
    } catch (err) {
      if (err instanceof UndecodableRecordError) throw err;
      throw new UndecodableRecordError(`Avro payload does not decode with schema ${schemaId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Readiness: the registry answers its config endpoint. Throws RegistryUnavailableError. */
  async ping(): Promise<void> {
    await this.http('GET', '/config');
  }

  /** The writer type of a registered schema id, built with this serde's avsc options. */
  async writerType(schemaId: number): Promise<avsc.Type> {
    const schema: unknown = await this.registry.getSchema(schemaId);
    if (!avsc.Type.isType(schema)) throw new UndecodableRecordError(`schema ${schemaId} is not an Avro schema`);
    return schema as avsc.Type;
  }

  /** The avsc type of a schema object with this serde's options, cached per schema object. */
  readerType(schema: object): avsc.Type {
    let t = this.readerTypes.get(schema);
    if (!t) {
      t = avsc.Type.forSchema(schema as avsc.Schema, { ...this.options });
      this.readerTypes.set(schema, t);
    }
    return t;
  }

  private resolver(reader: avsc.Type, writer: avsc.Type, schemaId: number): avsc.Resolver {
    let byId = this.resolvers.get(reader);
    if (!byId) {
      byId = new Map();
      this.resolvers.set(reader, byId);
    }
    let r = byId.get(schemaId);
    if (!r) {
      try {
        r = reader.createResolver(writer);
      } catch (err) {
        throw new UndecodableRecordError(`reader schema cannot read writer schema ${schemaId}: ${errorMessage(err)}`, { cause: err });
      }
      byId.set(schemaId, r);
    }
    return r;
  }

  private async writerTypeForDecode(schemaId: number): Promise<avsc.Type> {
    const knownUnknownUntil = this.unknownIds.get(schemaId);
    if (knownUnknownUntil !== undefined && knownUnknownUntil > Date.now()) throw new UndecodableRecordError(`schema id ${schemaId} is not in the registry`);
    try {
      return await this.writerType(schemaId);
    } catch (err) {
      // Only the registry's own "schema not found" condemns the record; a 404 from a wrong URL or any other
      // failure means the registry is not usable right now, and the record must wait, not be dead-lettered.
      if (statusOf(err) === 404 && /schema/i.test(errorMessage(err)) && /not found/i.test(errorMessage(err))) {
        if (this.unknownIds.size >= UNKNOWN_ID_CACHE_MAX) this.unknownIds.clear();
        this.unknownIds.set(schemaId, Date.now() + UNKNOWN_ID_TTL_MS);
        throw new UndecodableRecordError(`schema id ${schemaId} is not in the registry`, { cause: err });
      }
      if (err instanceof UndecodableRecordError) throw err;
      if (err instanceof Error && err.name === 'ConfluentSchemaRegistryArgumentError') {
        // The registry answered, but its schema does not build as an avsc type: no record of this id ever will.
        throw new UndecodableRecordError(`writer schema ${schemaId} cannot be used: ${errorMessage(err)}`, { cause: err });
      }
      throw new RegistryUnavailableError(`schema registry failed fetching schema ${schemaId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  private async http(method: 'GET' | 'PUT', path: string, body?: object): Promise<unknown> {
    const headers: Record<string, string> = { Accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (body) headers['Content-Type'] = 'application/vnd.schemaregistry.v1+json';
    if (this.authHeader) headers.Authorization = this.authHeader;
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers,
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(REGISTRY_HTTP_TIMEOUT_MS),
      });
    } catch (err) {
      throw new RegistryUnavailableError(`schema registry ${this.url} unreachable: ${errorMessage(err)}`, { cause: err });
    }
    const text = await res.text();
    if (!res.ok) throw new RegistryUnavailableError(`schema registry ${method} ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new RegistryUnavailableError(`schema registry ${method} ${path} answered non-JSON: ${text.slice(0, 300)}`);
    }
  }
}
