/**
 * Membership of a consumer group on a coordination topic, for sharding work that is not a stream of records
 * (the scraper's targets): the group's assignor spreads the topic's partitions over the live members, and each
 * partition stands for one shard of the work. A member learns its shards when it joins, loses them all as soon
 * as a rebalance starts (so two members never own one shard knowingly at once), and a member that dies gives
 * its shards to the others after the session timeout, as a consumer's partitions move. Nothing is ever
 * consumed: the topic stays empty, its partitions only count shards.
 */
import type { Logger } from 'pino';
import { errorMessage } from './error-message';
import type { KafkaConnection } from './kafka.connection';

export interface GroupMembershipConfig {
  groupId: string;
  /** The coordination topic: one partition per shard. */
  topic: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
}

export class GroupMembership {
  private consumer: ReturnType<KafkaConnection['client']['consumer']> | null = null;
  private owned: number[] = [];
  private lastHeartbeat = 0;
  private crashed = false;

  constructor(
    private readonly conn: KafkaConnection,
    private readonly cfg: GroupMembershipConfig,
    private readonly logger: Logger,
    /** Called with the shards owned now: [] when a rebalance starts or the member leaves, the new set on joining. */
    private readonly onShards: (shards: number[]) => void,
  ) {}

  /** Joins the group; resolves once connected and subscribed (the first assignment follows). */
  async start(): Promise<void> {
    if (this.consumer) throw new Error('GroupMembership.start() called twice');
    const c = this.conn.client.consumer({ groupId: this.cfg.groupId, sessionTimeout: this.cfg.sessionTimeoutMs, heartbeatInterval: this.cfg.heartbeatIntervalMs, allowAutoTopicCreation: false });
    this.consumer = c;
    c.on(c.events.HEARTBEAT, () => (this.lastHeartbeat = Date.now()));
    c.on(c.events.REBALANCING, () => this.set([]));
    c.on(c.events.GROUP_JOIN, (e) => {
      this.lastHeartbeat = Date.now();
      this.set([...(e.payload.memberAssignment[this.cfg.topic] ?? [])].sort((a, b) => a - b));
      this.logger.info({ groupId: this.cfg.groupId, shards: this.owned }, 'joined the shard group');
    });
    c.on(c.events.CRASH, (e) => {
      this.logger.error({ err: errorMessage(e.payload.error), restart: e.payload.restart }, 'shard group member crashed');
      if (!e.payload.restart) this.crashed = true;
      this.set([]);
    });
    await c.connect();
    await c.subscribe({ topics: [this.cfg.topic], fromBeginning: false });
    await c.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async () => undefined });
  }

  /** Shards owned right now. */
  shards(): readonly number[] {
    return this.owned;
  }

  /** Whether the member is alive in its group: not crashed for good, and heartbeating within a session timeout. */
  healthy(now = Date.now()): boolean {
    return this.consumer !== null && !this.crashed && (this.lastHeartbeat === 0 || now - this.lastHeartbeat < 3 * this.cfg.sessionTimeoutMs);
  }

  /** Leaves the group (its shards move to the others at once). */
  async stop(): Promise<void> {
    const c = this.consumer;
    this.consumer = null;
    this.set([]);
    await c?.disconnect().catch(() => undefined);
  }

  private set(shards: number[]): void {
    if (shards.length === this.owned.length && shards.every((s, i) => s === this.owned[i])) return;
    this.owned = shards;
    this.onShards(shards);
  }
}
