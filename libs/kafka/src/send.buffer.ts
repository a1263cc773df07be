/**
 * The producer's bounded buffer, without any I/O: it admits a send() call whole or not at all (back-pressure
 * buffers nothing of a rejected call), splits a call into chunks that each fit one produce request, and hands
 * out batches of chunks in arrival order. A call stays accounted until the producer releases it (acknowledged
 * or failed), so the limits bound everything accepted and not yet settled, in flight included. Chunks of a
 * call released early (timed out) leave the queue at once: a call no longer accounted holds no memory here,
 * however long the producer is stuck.
 */
import { BackpressureError, RecordTooLargeError } from './kafka.errors';

export interface BufferLimits {
  maxBatchRecords: number;
  maxBatchBytes: number;
  maxBufferedRecords: number;
  maxBufferedBytes: number;
}

/** One accepted send() call. */
export interface BufferedCall {
  readonly records: number;
  readonly bytes: number;
  /** Chunks not yet acknowledged. */
  chunksLeft: number;
  /** Released: acknowledged, failed or timed out. */
  released: boolean;
  /** Chunks still waiting in the queue. */
  queuedChunks: number;
}

export interface Chunk<M> {
  readonly call: BufferedCall;
  readonly topic: string;
  readonly messages: M[];
  readonly bytes: number;
  readonly enqueuedAt: number;
}

export class SendBuffer<M> {
  private queue: Chunk<M>[] = [];
  private head = 0;
  private queuedRecordCount = 0;
  private queuedByteCount = 0;
  private bufferedRecordCount = 0;
  private bufferedByteCount = 0;

  constructor(
    private readonly limits: BufferLimits,
    private readonly sizeOf: (m: M) => number,
  ) {}

  /** Records accepted and not released (queued and in flight). */
  get bufferedRecords(): number {
    return this.bufferedRecordCount;
  }

  get bufferedBytes(): number {
    return this.bufferedByteCount;
  }

  /** Records waiting to be taken into a batch. */
  get queuedRecords(): number {
    return this.queuedRecordCount;
  }

  /** Enqueue time of the oldest waiting chunk, or null when none waits. */
  get oldestQueuedAt(): number | null {
    return this.head < this.queue.length ? this.queue[this.head].enqueuedAt : null;
  }

  /** A full batch is waiting: no reason to linger. */
  get batchReady(): boolean {
    return this.queuedRecordCount >= this.limits.maxBatchRecords || this.queuedByteCount >= this.limits.maxBatchBytes;
  }

  /**
   * Admits a call or throws, leaving the buffer unchanged: RecordTooLargeError when one message exceeds a
   * batch, BackpressureError when the call does not fit now, a plain Error when it could never fit.
   */
  accept(topic: string, messages: M[], now: number, retryAfterMs: number): BufferedCall {
    const sizes = messages.map(this.sizeOf);
    let bytes = 0;
    for (const s of sizes) {
      if (s > this.limits.maxBatchBytes) throw new RecordTooLargeError(s, this.limits.maxBatchBytes);
      bytes += s;
    }
    if (messages.length > this.limits.maxBufferedRecords || bytes > this.limits.maxBufferedBytes) {
      throw new Error(`one send() of ${messages.length} records / ${bytes} bytes exceeds the whole producer buffer`);
    }
    if (this.bufferedRecordCount + messages.length > this.limits.maxBufferedRecords || this.bufferedByteCount + bytes > this.limits.maxBufferedBytes) {
      throw new BackpressureError(
        `producer buffer full (${this.bufferedRecordCount}/${this.limits.maxBufferedRecords} records, ${this.bufferedByteCount}/${this.limits.maxBufferedBytes} bytes)`,
        retryAfterMs,
      );
    }
    const call: BufferedCall = { records: messages.length, bytes, chunksLeft: 0, released: false, queuedChunks: 0 };
    let start = 0;
    let chunkBytes = 0;
    const push = (end: number): void => {
      this.queue.push({ call, topic, messages: messages.slice(start, end), bytes: chunkBytes, enqueuedAt: now });
      call.chunksLeft++;
      call.queuedChunks++;
      start = end;
      chunkBytes = 0;
    };
    for (let i = 0; i < messages.length; i++) {
      if (i > start && (i - start >= this.limits.maxBatchRecords || chunkBytes + sizes[i] > this.limits.maxBatchBytes)) push(i);
      chunkBytes += sizes[i];
    }
    push(messages.length);
    this.queuedRecordCount += messages.length;
    this.queuedByteCount += bytes;
    this.bufferedRecordCount += messages.length;
    this.bufferedByteCount += bytes;
    return call;
  }

  /** Takes the next batch in arrival order, within maxBatchRecords and maxBatchBytes; skips released calls. */
  takeBatch(): Chunk<M>[] {
    const out: Chunk<M>[] = [];
    let records = 0;
    let bytes = 0;
    while (this.head < this.queue.length) {
      const c = this.queue[this.head];
      if (!c.call.released && out.length > 0 && (records + c.messages.length > this.limits.maxBatchRecords || bytes + c.bytes > this.limits.maxBatchBytes)) break;
      this.head++;
      this.queuedRecordCount -= c.messages.length;
      this.queuedByteCount -= c.bytes;
      c.call.queuedChunks--;
      if (c.call.released) continue;
      out.push(c);
      records += c.messages.length;
      bytes += c.bytes;
    }
    this.compact();
    return out;
  }

  /** Ends the accounting of a call (acknowledged or failed). Idempotent; returns false when already released. */
  release(call: BufferedCall): boolean {
    if (call.released) return false;
    call.released = true;
    this.bufferedRecordCount -= call.records;
    this.bufferedByteCount -= call.bytes;
    if (call.queuedChunks > 0) this.dropQueued(call);
    return true;
  }

  private dropQueued(call: BufferedCall): void {
    const kept: Chunk<M>[] = [];
    for (let i = this.head; i < this.queue.length; i++) {
      const c = this.queue[i];
      if (c.call !== call) kept.push(c);
      else {
        this.queuedRecordCount -= c.messages.length;
        this.queuedByteCount -= c.bytes;
      }
    }
    call.queuedChunks = 0;
    this.queue = kept;
    this.head = 0;
  }

  private compact(): void {
    if (this.head === this.queue.length) {
      this.queue = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
  }
}
