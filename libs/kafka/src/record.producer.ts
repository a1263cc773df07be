/**
 * The idempotent producer of a service (acks from all in-sync replicas, one request in flight as KafkaJS's
 * idempotence requires) behind our own linger batching: records from many concurrent send() calls collect
 * for lingerMs or until a batch is full, go out in one sendBatch, and each caller's promise settles only
 * when ITS records are acknowledged (or not). The buffer is bounded (BackpressureError, nothing buffered),
 * and no call waits longer than sendTimeoutMs (KafkaUnavailableError; the records may still have been
 * written, so a caller that retries may duplicate: delivery is at-least-once).
 * A KafkaJS send cannot be cancelled, so one that outlives its callers keeps the producer busy until it
 * settles (a "background send", at most one, counted): sends never pile up inside KafkaJS, and its retries
 * are finite, so one ends after at most (retries + 1) request timeouts plus the retry delays.
 */
import type { Message, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { performance } from 'node:perf_hooks';
import { errorMessage } from './error-message';
import { validateProducerConfig, type ProducerConfig } from './kafka.config';
import type { KafkaConnection } from './kafka.connection';
import { KafkaUnavailableError } from './kafka.errors';
import { kafkaMetrics, type KafkaMetrics, type TelemetryDeps } from './kafka.metrics';
import { SendBuffer, type BufferedCall, type Chunk } from './send.buffer';
import { createMurmur2Partitioner } from './murmur2.partitioner';
import { boundedSendRetry, COMPRESSION_CODECS, messageBytes, type OutboundMessage } from './outbound';
import { TimeoutError, withTimeout } from './timing';

export type { OutboundMessage } from './outbound';

interface Waiter {
  resolve: () => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
  promise: Promise<void>;
}

export class RecordProducer {
  private readonly cfg: ProducerConfig;
  private readonly producer: Producer;
  private readonly buffer: SendBuffer<OutboundMessage>;
  private readonly waiters = new Map<BufferedCall, Waiter>();
  private readonly metrics: KafkaMetrics;
  private readonly logger: Logger;
  private readonly ackTimeoutMs: number;
  private state: 'new' | 'open' | 'closing' | 'closed' = 'new';
  private connected = false;
  private connecting: Promise<void> | null = null;
  private sending = false;
  private flushing = 0;
  private lingerTimer: NodeJS.Timeout | null = null;
  private lastFailure: string | null = null;
  private lastSendMs = 0;
  /** A KafkaJS send or connect whose callers timed out and that has not settled yet. */
  private background: Promise<void> | null = null;

  constructor(
    conn: KafkaConnection,
    cfg: ProducerConfig,
    /** Where this producer logs and counts (the dead-letter publisher counts into the same registry). */
    readonly telemetry: TelemetryDeps,
  ) {
    const deps = telemetry;
    this.cfg = validateProducerConfig(cfg);
    this.metrics = kafkaMetrics(deps.metrics);
    this.logger = deps.logger.child({ component: 'kafka-producer' });
    this.buffer = new SendBuffer(cfg, messageBytes);
    this.ackTimeoutMs = Math.min(conn.config.requestTimeoutMs, cfg.sendTimeoutMs);
    this.producer = conn.client.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: createMurmur2Partitioner(),
      // Finite (KafkaJS warns about it for idempotence): a send that failed is the caller's to retry.
      retry: boundedSendRetry(cfg.sendTimeoutMs),
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.connected = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.connected = false;
    });
    this.producer.on(this.producer.events.REQUEST, (e) => {
      if (e.payload.apiName === 'Produce') this.metrics.producerRequests.inc();
    });
  }

  /** Connects (bounded by sendTimeoutMs). Throws KafkaUnavailableError; sends queued meanwhile go out once connected. */
  async connect(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') throw new KafkaUnavailableError('the producer is disconnected');
    this.state = 'open';
    try {
      await this.ensureConnected();
    } catch (err) {
      this.lastFailure = errorMessage(err);
      throw new KafkaUnavailableError(`cannot connect the producer: ${errorMessage(err)}`, { cause: err });
    } finally {
      this.schedule();
    }
  }

  /**
   * Resolves when every message of this call is acknowledged by Kafka. Rejects at once with BackpressureError
   * (buffer full) or RecordTooLargeError, and with KafkaUnavailableError when not acknowledged within sendTimeoutMs.
   */
  send(topic: string, messages: OutboundMessage[]): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return Promise.reject(new KafkaUnavailableError('the producer is disconnected'));
    if (messages.length === 0) return Promise.resolve();
    let call: BufferedCall;
    try {
      call = this.buffer.accept(topic, messages, Date.now(), this.retryAfterMs());
    } catch (err) {
      if (err instanceof Error && err.name === 'BackpressureError') this.metrics.producerBackpressure.inc();
      return Promise.reject(err);
    }
    this.metrics.producerBufferedRecords.inc(call.records);
    this.metrics.producerBufferedBytes.inc(call.bytes);
    let resolve!: () => void;
    let reject!: (e: Error) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const timer = setTimeout(
      () => this.settle(call, new KafkaUnavailableError(`Kafka did not acknowledge within ${this.cfg.sendTimeoutMs} ms${this.lastFailure ? ` (${this.lastFailure})` : ''}`)),
      this.cfg.sendTimeoutMs,
    );
    this.waiters.set(call, { resolve, reject, timer, promise });
    this.schedule();
    return promise;
  }

  /** Sends everything buffered now (no linger) and waits until every call accepted so far has settled. */
  async flush(): Promise<void> {
    this.flushing++;
    try {
      this.schedule();
      await Promise.allSettled([...this.waiters.values()].map((w) => w.promise));
    } finally {
      this.flushing--;
    }
  }

  /**
   * Refuses new sends, flushes what is buffered, gives a background send sendTimeoutMs to settle, then
   * disconnects (closing the sockets fails a send still waiting on them) and waits for it once more.
   */
  async disconnect(): Promise<void> {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.state = 'closing';
    try {
      await this.flush();
    } finally {
      this.state = 'closed';
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
      await this.settleBackground();
      await this.producer.disconnect();
      await this.settleBackground();
    }
  }

  /** Sends whose callers gave up and that KafkaJS has not settled: 0 or 1. */
  get backgroundSends(): number {
    return this.background ? 1 : 0;
  }

  /** Connected, and the last attempt to reach Kafka did not fail. */
  isHealthy(): boolean {
    return this.state === 'open' && this.connected && this.lastFailure === null;
  }

  private retryAfterMs(): number {
    return Math.ceil(Math.max(this.cfg.lingerMs, this.lastSendMs, 10));
  }

  /** Bounded by sendTimeoutMs; a connect that takes longer goes on in the background (see connectOnce). */
  private async ensureConnected(): Promise<void> {
    await withTimeout(this.connectOnce(), this.cfg.sendTimeoutMs, 'producer connect');
  }

  /** One KafkaJS connect at a time (it also initialises the idempotent producer id). */
  private connectOnce(): Promise<void> {
    if (this.connected) return Promise.resolve();
    this.connecting ??= this.producer.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async settleBackground(): Promise<void> {
    if (!this.background) return;
    await withTimeout(this.background, this.cfg.sendTimeoutMs, 'background send').catch(() =>
      this.logger.warn('a send abandoned by its callers is still running in KafkaJS at disconnect'),
    );
  }

  /** Keeps the producer busy (no new send starts) until the abandoned KafkaJS call settles. */
  private awaitAbandoned(attempt: Promise<void>): Promise<void> {
    this.metrics.producerAbandonedSends.inc();
    this.metrics.producerBackgroundSends.inc();
    this.background = attempt
      .catch((err: unknown) => {
        this.lastFailure = errorMessage(err);
      })
      .finally(() => {
        this.background = null;
        this.metrics.producerBackgroundSends.dec();
      });
    return this.background;
  }

  /** Starts a send when one is due: a full batch, a flush, or the oldest record has lingered long enough. */
  private schedule(): void {
    if (this.sending || this.state === 'new' || this.state === 'closed') return;
    const oldest = this.buffer.oldestQueuedAt;
    if (oldest === null) return;
    const waited = Date.now() - oldest;
    if (this.buffer.batchReady || this.flushing > 0 || this.state === 'closing' || waited >= this.cfg.lingerMs) {
      if (this.lingerTimer) clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
      void this.sendNext();
    } else if (!this.lingerTimer) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        this.schedule();
      }, this.cfg.lingerMs - waited);
    }
  }

  private async sendNext(): Promise<void> {
    this.sending = true;
    try {
      const batch = this.buffer.takeBatch();
      if (batch.length > 0) await this.sendBatch(batch);
    } finally {
      this.sending = false;
      this.schedule();
    }
  }

  private async sendBatch(batch: Chunk<OutboundMessage>[]): Promise<void> {
    const byTopic = new Map<string, Message[]>();
    for (const c of batch) {
      const list = byTopic.get(c.topic) ?? [];
      for (const m of c.messages) list.push(m as Message);
      byTopic.set(c.topic, list);
    }
    const started = performance.now();
    let abandoned = false;
    const attempt = (async () => {
      await this.connectOnce();
      // Callers that gave up while the connect ran were told "not acknowledged": do not send their records late.
      if (abandoned) throw new Error('connected only after the send had timed out');
      await this.producer.sendBatch({
        acks: -1,
        timeout: this.ackTimeoutMs,
        compression: COMPRESSION_CODECS[this.cfg.compression],
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    })();
    try {
      await withTimeout(attempt, this.cfg.sendTimeoutMs, 'produce');
      this.lastFailure = null;
      for (const [topic, list] of byTopic) this.metrics.producedRecords.inc({ topic }, list.length);
      for (const c of batch) {
        c.call.chunksLeft--;
        if (c.call.chunksLeft === 0) this.settle(c.call, null);
      }
    } catch (err) {
      abandoned = err instanceof TimeoutError;
      this.lastFailure = errorMessage(err);
      this.logger.warn({ err: this.lastFailure, records: batch.reduce((n, c) => n + c.messages.length, 0) }, 'produce failed');
      const e = new KafkaUnavailableError(`Kafka did not acknowledge: ${this.lastFailure}`, { cause: err });
      for (const c of batch) this.settle(c.call, e);
    } finally {
      this.lastSendMs = performance.now() - started;
      this.metrics.producerSendSeconds.observe(this.lastSendMs / 1000);
    }
    if (abandoned) await this.awaitAbandoned(attempt);
  }

  private settle(call: BufferedCall, err: Error | null): void {
    if (!this.buffer.release(call)) return;
    this.metrics.producerBufferedRecords.dec(call.records);
    this.metrics.producerBufferedBytes.dec(call.bytes);
    const w = this.waiters.get(call);
    if (!w) return;
    this.waiters.delete(call);
    clearTimeout(w.timer);
    if (err) w.reject(err);
    else w.resolve();
  }
}
