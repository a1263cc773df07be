export * from './create-logger';
export * from './metrics-registry';
export * from './readiness-checks';
export * from './liveness-checks';
export * from './health.controller';
export * from './telemetry.module';
export * from './pino-nest-logger';
