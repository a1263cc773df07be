/**
 * Boots a stage as a process: load and validate configuration (a bad value stops the process with a message
 * naming the variable, exit code 2), start the runtime, create the Nest application on Fastify, attach the
 * Kafka batch transport when the stage consumes, listen, and shut down in order on SIGTERM/SIGINT:
 * not ready → stop HTTP → stop consumers (drain, commit) → flush producer → disconnect → exit 0.
 * A crash or a shutdown that overruns its deadline exits non-zero, never 0.
 */
import 'reflect-metadata';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { CustomTransportStrategy } from '@nestjs/microservices';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import { ConfigError } from '@sextant/config';
import { PinoNestLogger } from '@sextant/telemetry';
import { StageRuntime, type StageDeclaration, type StageSettings } from './stage-runtime';

export type FastifyInstanceOf = FastifyInstance;

export interface StageBoot<S extends StageSettings, C = undefined> {
  declaration: StageDeclaration;
  /** Loads the stage's settings from the environment (throws ConfigError). */
  loadSettings: () => S;
  /** Stage-specific resources created after the runtime starts and before Nest does (e.g. storage clients, migrations). */
  prepare?: (runtime: StageRuntime, settings: S) => Promise<C>;
  /** The stage's root Nest module, given the started runtime, settings and prepared resources. */
  module: (runtime: StageRuntime, settings: S, prepared: C) => DynamicModule;
  /** Kafka transport for stages that consume. */
  transport?: (runtime: StageRuntime, settings: S, app: INestApplication) => CustomTransportStrategy;
  /** Largest HTTP body Fastify buffers (bytes). */
  bodyLimit?: number;
  /** Registers content-type parsers or hooks on the Fastify instance before routes are served. */
  configureHttp?: (fastify: FastifyInstanceOf, settings: S) => void;
  /** Extra cleanup after Kafka is closed (e.g. the ClickHouse client). */
  onClosed?: (prepared: C) => Promise<void>;
}

function fail(message: string, extra: Record<string, unknown> = {}, code = 1): never {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', time: new Date().toISOString(), msg: message, ...extra })}\n`);
  process.exit(code);
}

export async function runStage<S extends StageSettings, C = undefined>(boot: StageBoot<S, C>): Promise<void> {
  let settings: S;
  try {
    settings = boot.loadSettings();
  } catch (e) {
    if (e instanceof ConfigError) fail(e.message, { problems: e.problems }, 2);
    throw e;
  }

  let runtime: StageRuntime;
  let prepared: C;
  try {
    runtime = await StageRuntime.start(boot.declaration, settings);
    prepared = boot.prepare ? await boot.prepare(runtime, settings) : (undefined as C);
  } catch (e) {
    fail(`${boot.declaration.stage} could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { logger } = runtime;
  process.on('uncaughtException', (err) => fail('uncaught exception', { err: String(err?.stack ?? err) }));
  process.on('unhandledRejection', (err) => fail('unhandled rejection', { err: String(err instanceof Error ? err.stack : err) }));

  const adapter = new FastifyAdapter({ bodyLimit: boot.bodyLimit ?? 1024 * 1024 });
  const app = await NestFactory.create<NestFastifyApplication>(boot.module(runtime, settings, prepared), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  boot.configureHttp?.(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, settings);
  if (boot.transport) {
    app.connectMicroservice({ strategy: boot.transport(runtime, settings, app) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(settings.service.httpPort, settings.service.httpHost);
  logger.info({ port: settings.service.httpPort }, `${boot.declaration.stage} listening`);

  let stopping = false;
  const shutdown = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    runtime.readiness.markShuttingDown();
    const deadline = setTimeout(() => fail('shutdown overran its deadline', { timeoutMs: settings.service.shutdownTimeoutMs }), settings.service.shutdownTimeoutMs);
    deadline.unref();
    try {
      await app.close();
      await runtime.close();
      await boot.onClosed?.(prepared);
    } catch (e) {
      fail('shutdown failed', { err: String(e instanceof Error ? e.stack : e) });
    }
    logger.info('stopped cleanly');
    logger.flush?.();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
