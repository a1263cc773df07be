export * from './stage-runtime';
export * from './run-stage';
