/**
 * Schema ids the registry answered 404 for. A registry follower can lag a register() on the leader by a
 * moment, so a 404 is first treated as the registry's problem (RegistryUnavailableError: the record waits)
 * for a grace period counted from when the id was first seen; after it the id is condemned
 * (UndecodableRecordError: dead-letter) and not looked up again for a while, so garbage input does not
 * hammer the registry. Bounded, and counted in sextant_schema_registry_cached_ids{kind="unknown"}.
 */
import { RegistryUnavailableError, UndecodableRecordError } from './kafka.errors';
import type { KafkaMetrics } from './kafka.metrics';

/** How long a condemned id is not looked up again. */
const CONDEMNED_TTL_MS = 30_000;
const MAX_IDS = 10_000;

interface UnknownId {
  firstSeen: number;
  /** 0 while in its grace period. */
  condemnedUntil: number;
}

export class UnknownSchemaIds {
  private readonly ids = new Map<number, UnknownId>();

  constructor(
    private readonly graceMs: number,
    private readonly metrics: KafkaMetrics,
  ) {}

  /** Throws UndecodableRecordError while the id is condemned; otherwise the caller asks the registry. */
  check(schemaId: number): void {
    const e = this.ids.get(schemaId);
    if (e && e.condemnedUntil > Date.now()) throw new UndecodableRecordError(`schema id ${schemaId} is not in the registry`);
  }

  /** The registry knows the id after all. */
  found(schemaId: number): void {
    if (this.ids.delete(schemaId)) this.metrics.registryCachedIds.dec({ kind: 'unknown' });
  }

  /** The registry answered 404: RegistryUnavailableError within the grace period, UndecodableRecordError after it. */
  notFound(schemaId: number, cause: unknown): never {
    const now = Date.now();
    let e = this.ids.get(schemaId);
    if (!e) {
      if (this.ids.size >= MAX_IDS) {
        this.metrics.registryCachedIds.dec({ kind: 'unknown' }, this.ids.size);
        this.ids.clear();
      }
      e = { firstSeen: now, condemnedUntil: 0 };
      this.ids.set(schemaId, e);
      this.metrics.registryCachedIds.inc({ kind: 'unknown' });
    }
    if (now - e.firstSeen < this.graceMs) {
      throw new RegistryUnavailableError(`schema id ${schemaId} is not in the registry yet (retried for ${this.graceMs} ms after first seen)`, { cause });
    }
    e.condemnedUntil = now + CONDEMNED_TTL_MS;
    throw new UndecodableRecordError(`schema id ${schemaId} is not in the registry`, { cause });
  }
}
