/**
 * Store: the one process that owns the embedded ClickHouse engine (chDB) and its data directory, serving it
 * over ClickHouse's HTTP interface so that every stage reaches it exactly as it reaches a ClickHouse server
 * (`CLICKHOUSE_URL=http://127.0.0.1:8123`). Infrastructure like a server: SIGTERM drains in-flight requests
 * and closes the engine (exit 0); a SIGKILL loses nothing acknowledged, since an INSERT is answered only
 * after its part is written to the data directory. A bad setting exits 2 naming the variable.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@sextant/config';
import { createLogger, createMetricsRegistry, ReadinessChecks } from '@sextant/telemetry';
import { Session } from 'chdb';
import { engineSessionOpener, type EngineSession } from './engine-session';
import { SessionPool } from './session-pool';
import { loadStoreSettings, type StoreSettings } from './store.config';
import { createStoreMetrics } from './store.metrics';
import { StoreServer } from './store-server';

const VERSION = '0.1.0';

function loadOrExit(): StoreSettings {
  try {
    return loadStoreSettings();
  } catch (e: unknown) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'sextant-store', msg: e.message, problems: e.problems })}\n`);
      process.exit(2);
    }
    throw e;
  }
}

/**
 * Engine arguments. MergeTree's fsync settings are server configuration, not query settings, so they travel
 * in a configuration file given when the first session opens.
 */
function engineArgs(settings: StoreSettings): { args: string[]; dir: string | null } {
  if (!settings.fsync) return { args: [], dir: null };
  const dir = mkdtempSync(join(tmpdir(), 'sextant-store-config-'));
  const file = join(dir, 'fsync.xml');
  writeFileSync(file, '<clickhouse><merge_tree><fsync_after_insert>1</fsync_after_insert><fsync_part_directory>1</fsync_part_directory></merge_tree></clickhouse>\n');
  return { args: [`--config-file=${file}`], dir };
}

async function main(): Promise<void> {
  const settings = loadOrExit();
  const logger = createLogger({ stage: 'store', level: settings.logLevel });
  const registry = createMetricsRegistry('store', VERSION);
  const metrics = createStoreMetrics(registry);
  const path = resolve(settings.path);
  mkdirSync(path, { recursive: true });
  const engine = engineArgs(settings);
  const connectionArgs = engine.args;
  let firstSession = true;
  const pool = await SessionPool.create<EngineSession>({
    // Only the first session starts the engine; later ones join it, so they need (and get) no arguments.
    open: engineSessionOpener(() => {
      const session = new Session(path, { connectionArgs: firstSession ? connectionArgs : [] });
      firstSession = false;
      return session;
    }),
    close: (s) => s.chdb.close(),
    size: settings.sessions,
    maxQueued: settings.maxQueued,
    metrics,
    onReopenError: (err) => logger.error({ err }, 'cannot open a replacement engine session'),
  });
  // The engine read its configuration when the first session opened; later sessions join that engine.
  if (engine.dir !== null) rmSync(engine.dir, { recursive: true, force: true });
  const readiness = new ReadinessChecks();
  readiness.add({
    name: 'engine',
    check: () =>
      pool.run(async (s) => {
        await s.chdb.queryAsync('SELECT 1');
        return { value: undefined, spoiled: false };
      }),
  });
  const server = new StoreServer({
    host: settings.host,
    port: settings.port,
    pool,
    limits: { maxBodyBytes: settings.maxBodyBytes, maxDecompressedBytes: settings.maxDecompressedBytes, readonlyMaxQueryBytes: settings.readonlyMaxQueryBytes },
    caps: { maxResultBytes: settings.readonlyMaxResultBytes, maxExecutionSeconds: settings.readonlyMaxExecutionSeconds },
    retryAfterSeconds: settings.retryAfterSeconds,
    wedgedAfterMs: settings.wedgedAfterSeconds * 1000,
    registry,
    readiness,
    metrics,
    logger,
  });
  const port = await server.listen();
  logger.info({ host: settings.host, port, path, sessions: settings.sessions, fsync: settings.fsync }, 'store listening');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'draining');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs: settings.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, settings.shutdownTimeoutMs);
    timer.unref();
    server.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`${JSON.stringify({ level: 'fatal', service: 'sextant-store', msg: 'store failed to start', err: err instanceof Error ? err.message : String(err) })}\n`);
  process.exit(1);
});
