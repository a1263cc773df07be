/**
 * Delivers one batch to a stage's handler the way the Kafka batch transport does: through Nest's handler
 * proxy and exception filters. For unit tests of what reaches the transport when a handler fails (its
 * decisions depend on the error's class).
 */
import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Server, type CustomTransportStrategy } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';

class DeliveringTransport extends Server implements CustomTransportStrategy {
  listen(callback: () => void): void {
    callback();
  }
  close(): void {}
  on(): void {}
  unwrap<T>(): T {
    throw new Error('no client');
  }
  async deliver(pattern: string, batch: unknown): Promise<void> {
    const handler = this.getHandlerByPattern(pattern);
    if (!handler) throw new Error(`no handler for ${pattern}`);
    const out: unknown = await handler(batch);
    await lastValueFrom(this.transformToObservable(out), { defaultValue: undefined });
  }
}

/** Runs `module`'s handler of `pattern` on `batch`; resolves to what it threw as the transport sees it, or null. */
export async function deliverThroughNest(module: Type<unknown>, pattern: string, batch: unknown): Promise<unknown> {
  const transport = new DeliveringTransport();
  const app = await NestFactory.createMicroservice(module, { strategy: transport, logger: false });
  await app.listen();
  try {
    return await transport.deliver(pattern, batch).then(
      () => null,
      (e: unknown) => e,
    );
  } finally {
    await app.close();
  }
}
