/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) through a
 * Confluent-compatible schema registry. Writer schemas are fetched once per id and cached (by the registry
 * client); types are built with the caller's avsc options, so Avro longs come out as bigint when the
 * contracts' options say so. A reader schema, when given, decodes through an avsc resolver (schema
 * evolution: an old reader reads new records, a new reader fills defaults into old ones).
 * Decoding failures are classified: bytes that can never decode throw UndecodableRecordError (dead-letter
 * them); a registry that cannot be reached throws RegistryUnavailableError (retry later). A schema id the
 * registry does not know is retried for a grace period first (a follower may lag behind a fresh register).
 * Once an id's writer type is cached (at register() for this stage's own schemas, at the first lookup for
 * others), encodeSync/decodeSync work without a promise; only an unknown id needs the async path.
 */
import { COMPATIBILITY, SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import * as avsc from 'avsc';
import TimeoutMiddleware from 'mappersmith/middleware/timeout';
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import { DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS, DEFAULT_UNKNOWN_ID_GRACE_MS, validateRegistryConfig, type RegistryConfig } from './kafka.config';
import { RegistryUnavailableError, SchemaIncompatibleError, UndecodableRecordError } from './kafka.errors';
import { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
import { UnknownSchemaIds } from './unknown-schema-ids';

export type Compatibility = `${COMPATIBILITY}`;

/** Wire header: magic byte + 4-byte schema id. */
const HEADER_BYTES = 5;
/**
 * register() is idempotent, so a registry that drops a request (a connection reset, a request that gets no
 * answer before the timeout, a 5xx) is asked again a few times before the caller sees RegistryUnavailableError.
 */
const REGISTER_ATTEMPTS = 4;
const REGISTER_BACKOFF_MS = 250;
/** Writer types kept by id; a stage sees a handful, garbage ids never get here (they are not in the registry). */
const WRITER_CACHE_MAX = 1_000;
const SCRATCH_START_BYTES = 64 * 1024;
/** Larger encodings allocate their own buffer instead of growing the shared one for good. */
const SCRATCH_MAX_BYTES = 4 * 1024 * 1024;

export interface Decoded<T> {
  value: T;
  schemaId: number;
  /** Full name of the writer schema (namespace.name), e.g. to tell an envelope from a single record. */
  writerName: string;
}


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

function nameOf(t: avsc.Type): string {
  return t.name ?? t.typeName;
}

function statusOf(err: unknown): number | undefined {
  const s = typeof err === 'object' && err !== null ? (err as { status?: unknown }).status : undefined;
  return typeof s === 'number' ? s : undefined;
}

export class AvroSerde {
  private readonly registry: SchemaRegistry;
  private readonly options: Partial<avsc.ForSchemaOptions>;
  private readonly url: string;
  private readonly requestTimeoutMs: number;
  private readonly authHeader: string | null;
  private readonly logger: Logger;
  private readonly readerTypes = new WeakMap<object, avsc.Type>();
  private readonly resolvers = new WeakMap<avsc.Type, Map<number, avsc.Resolver>>();
  private readonly unknownIds: UnknownSchemaIds;
  private readonly writers = new Map<number, avsc.Type>();
  private scratch = Buffer.allocUnsafe(SCRATCH_START_BYTES);
  private readonly metrics: KafkaMetrics;

  /**
   * @param avroOptions avsc `Type.forSchema` options for every type this serde builds (pass the contracts'
   *   bigint-long options). Copied; never mutated.
   */
  constructor(cfg: RegistryConfig, avroOptions: Partial<avsc.ForSchemaOptions>, deps: TelemetryDeps) {
    validateRegistryConfig(cfg);
    this.url = cfg.url.replace(/\/+$/, '');
    this.requestTimeoutMs = cfg.requestTimeoutMs ?? DEFAULT_REGISTRY_REQUEST_TIMEOUT_MS;
    this.options = isolateRegistry(avroOptions);
    this.metrics = kafkaMetrics(deps.metrics);
    this.unknownIds = new UnknownSchemaIds(cfg.unknownIdGraceMs ?? DEFAULT_UNKNOWN_ID_GRACE_MS, this.metrics);
    this.logger = deps.logger.child({ component: 'schema-registry' });
    const auth = cfg.username !== '' ? { username: cfg.username, password: cfg.password } : undefined;
    this.authHeader = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` : null;
    this.registry = new SchemaRegistry(
      {
        host: this.url,
        clientId: 'sextant',
        ...(auth ? { auth } : {}),
        retry: { retries: 2 },
        // Without a timeout a request the registry never answers would hang its caller for good.
        middlewares: [TimeoutMiddleware(this.requestTimeoutMs)],
      },
      { [SchemaType.AVRO]: this.options },
    );
  }

  /**
   * Sets the subject's compatibility level, then registers the schema under it and returns its id.
   * Idempotent: an identical schema returns the id it already has. Throws SchemaIncompatibleError when the
   * registry refuses the schema under that level.
   */
  async register(subject: string, schema: object, compatibility: Compatibility = 'BACKWARD'): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.registerOnce(subject, schema, compatibility);
      } catch (err) {
        if (!(err instanceof RegistryUnavailableError) || attempt >= REGISTER_ATTEMPTS) throw err;
        this.logger.warn({ subject, attempt, err: errorMessage(err) }, 'registering a schema failed; retrying');
        await new Promise((r) => setTimeout(r, REGISTER_BACKOFF_MS * 2 ** (attempt - 1)));
      }
    }
  }

  private async registerOnce(subject: string, schema: object, compatibility: Compatibility): Promise<number> {
    await this.http('PUT', `/config/${encodeURIComponent(subject)}`, { compatibility });
    try {
      const { id } = await this.registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
        { subject, compatibility: compatibility as COMPATIBILITY },
      );
      this.logger.info({ subject, id, compatibility }, 'schema registered');
      if (!this.writers.has(id)) this.cacheWriter(id, avsc.Type.forSchema(schema as avsc.Schema, { ...this.options }));
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
    return this.encodeWith(this.writers.get(schemaId) ?? (await this.writerType(schemaId)), schemaId, value);
  }

  /** Like encode(), without a promise; null when the writer type of `schemaId` is not cached yet (use encode()). */
  encodeSync(schemaId: number, value: unknown): Buffer | null {
    const type = this.writers.get(schemaId);
    return type ? this.encodeWith(type, schemaId, value) : null;
  }

  /**
   * Decodes a Confluent-framed Avro record. With `readerSchema`, the value is resolved into that schema.
   * Throws UndecodableRecordError or RegistryUnavailableError (see the module header).
   */
  async decode<T>(buf: Buffer, readerSchema?: object): Promise<Decoded<T>> {
    const schemaId = this.schemaIdOf(buf);
    const writer = this.writers.get(schemaId) ?? (await this.writerTypeForDecode(schemaId));
    return this.decodeWith<T>(writer, schemaId, buf, readerSchema);
  }

  /** Like decode(), without a promise; null when the writer type of the record's id is not cached yet (use decode()). */
  decodeSync<T>(buf: Buffer, readerSchema?: object): Decoded<T> | null {
    const schemaId = this.schemaIdOf(buf);
    const writer = this.writers.get(schemaId);
    return writer ? this.decodeWith<T>(writer, schemaId, buf, readerSchema) : null;
  }

  /** Full name of the writer schema of a cached id (undefined until the id was registered or decoded here). */
  writerName(schemaId: number): string | undefined {
    const t = this.writers.get(schemaId);
    return t ? nameOf(t) : undefined;
  }

  private schemaIdOf(buf: Buffer): number {
    if (buf.length < HEADER_BYTES) throw new UndecodableRecordError(`record of ${buf.length} bytes is shorter than the ${HEADER_BYTES}-byte Confluent header`);
    if (buf[0] !== 0) throw new UndecodableRecordError(`magic byte is ${buf[0]}, expected 0 (not Confluent-framed Avro)`);
    return buf.readUInt32BE(1);
  }

  private decodeWith<T>(writer: avsc.Type, schemaId: number, buf: Buffer, readerSchema: object | undefined): Decoded<T> {
    const payload = buf.subarray(HEADER_BYTES);
    const writerName = nameOf(writer);
    try {
      if (!readerSchema) return { value: writer.fromBuffer(payload) as T, schemaId, writerName };
      const reader = this.readerType(readerSchema);
      return { value: reader.fromBuffer(payload, this.resolver(reader, writer, schemaId)) as T, schemaId, writerName };
    } catch (err) {
      if (err instanceof UndecodableRecordError) throw err;
      throw new UndecodableRecordError(`Avro payload does not decode with schema ${schemaId}: ${errorMessage(err)}`, { cause: err });
    }
  }

  /** Header written in place, Avro encoded right after it in a reused scratch buffer, one exact-size copy out. */
  private encodeWith(type: avsc.Type, schemaId: number, value: unknown): Buffer {
    let end = type.encode(value, this.scratch, HEADER_BYTES);
    if (end < 0) {
      const needed = this.scratch.length - end;
      if (needed > SCRATCH_MAX_BYTES) return this.frame(schemaId, type.toBuffer(value));
      this.scratch = Buffer.allocUnsafe(Math.max(needed, this.scratch.length * 2));
      end = type.encode(value, this.scratch, HEADER_BYTES);
    }
    this.scratch.writeUInt8(0, 0);
    this.scratch.writeUInt32BE(schemaId, 1);
    const out = Buffer.allocUnsafe(end);
    this.scratch.copy(out, 0, 0, end);
    return out;
  }

  private frame(schemaId: number, payload: Buffer): Buffer {
    const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
    out.writeUInt8(0, 0);
    out.writeUInt32BE(schemaId, 1);
    payload.copy(out, HEADER_BYTES);
    return out;
  }

  private cacheWriter(schemaId: number, type: avsc.Type): void {
    if (this.writers.size >= WRITER_CACHE_MAX && this.writers.delete(this.writers.keys().next().value as number)) this.metrics.registryCachedIds.dec({ kind: 'writer' });
    this.writers.set(schemaId, type);
    this.metrics.registryCachedIds.inc({ kind: 'writer' });
  }

  /** Readiness: the registry answers its config endpoint. Throws RegistryUnavailableError. */
  async ping(): Promise<void> {
    await this.http('GET', '/config');
  }

  /** The writer type of a registered schema id, built with this serde's avsc options. */
  async writerType(schemaId: number): Promise<avsc.Type> {
    const known = this.writers.get(schemaId);
    if (known) return known;
    const schema: unknown = await this.registry.getSchema(schemaId);
    if (!avsc.Type.isType(schema)) throw new UndecodableRecordError(`schema ${schemaId} is not an Avro schema`);
    this.cacheWriter(schemaId, schema as avsc.Type);
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
    this.unknownIds.check(schemaId);
    try {
      const t = await this.writerType(schemaId);
      this.unknownIds.found(schemaId);
      return t;
    } catch (err) {
      // Only the registry's own "schema not found" condemns the record; a 404 from a wrong URL or any other
      // failure means the registry is not usable right now, and the record must wait, not be dead-lettered.
      if (statusOf(err) === 404 && /schema/i.test(errorMessage(err)) && /not found/i.test(errorMessage(err))) this.unknownIds.notFound(schemaId, err);
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
        signal: AbortSignal.timeout(this.requestTimeoutMs),
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
