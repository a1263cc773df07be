export * from './stage-runtime';
export * from './run-stage';
export * from './stage-core.module';
