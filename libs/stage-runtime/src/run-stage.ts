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
import { STAGES, type StageName } from '@sextant/contracts';
import { PinoNestLogger } from '@sextant/telemetry';
import { StageRuntime, type StageDeclaration, type StageSettings } from './stage-runtime';

export interface StageBoot<S extends StageSettings, C = undefined> {
  /** The stage; what it consumes and produces comes from its declaration (STAGES in @sextant/contracts). */
  stage: StageName;
  /** Loads the stage's settings from the environment (throws ConfigError). */
  loadSettings: () => S;
  /** Stage-specific resources created after the runtime starts and before Nest does (e.g. storage clients, migrations). */
  prepare?: (runtime: StageRuntime, settings: S) => Promise<C>;
  /** The stage's root Nest module, given the started runtime, settings and prepared resources. */
  module: (runtime: StageRuntime, settings: S, prepared: C) => DynamicModule;
  /** Kafka transport for stages that consume. */
  transport?: (runtime: StageRuntime, settings: S, app: INestApplication, prepared: C) => CustomTransportStrategy;
  /** Registers content-type parsers or hooks on the Fastify instance before routes are served. */
  configureHttp?: (fastify: FastifyInstance, settings: S) => void;
  /** Extra cleanup after Kafka is closed (e.g. the ClickHouse client). */
  onClosed?: (prepared: C) => Promise<void>;
}

/** Body limit of routes that set none of their own (receivers register parsers with their configured limit). */
const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/** The runtime's declaration of a stage, from the one table of stages. */
export function declarationOf(stage: StageName): StageDeclaration {
  const spec = STAGES[stage];
  return { stage: spec.name, consumes: [...spec.consumes], produces: [...spec.produces] };
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
    runtime = await StageRuntime.start(declarationOf(boot.stage), settings);
    prepared = boot.prepare ? await boot.prepare(runtime, settings) : (undefined as C);
  } catch (e) {
    fail(`${boot.stage} could not start: ${e instanceof Error ? e.message : String(e)}`);
  }
  const { logger } = runtime;
  process.on('uncaughtException', (err) => fail('uncaught exception', { err: String(err?.stack ?? err) }));
  process.on('unhandledRejection', (err) => fail('unhandled rejection', { err: String(err instanceof Error ? err.stack : err) }));

  const adapter = new FastifyAdapter({ bodyLimit: DEFAULT_BODY_LIMIT_BYTES });
  const app = await NestFactory.create<NestFastifyApplication>(boot.module(runtime, settings, prepared), adapter, {
    logger: new PinoNestLogger(logger),
    bodyParser: false,
    abortOnError: false,
  });
  boot.configureHttp?.(app.getHttpAdapter().getInstance() as unknown as FastifyInstance, settings);
  if (boot.transport) {
    app.connectMicroservice({ strategy: boot.transport(runtime, settings, app, prepared) }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await app.listen(settings.service.httpPort, settings.service.httpHost);
  logger.info({ port: settings.service.httpPort }, `${boot.stage} listening`);

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
