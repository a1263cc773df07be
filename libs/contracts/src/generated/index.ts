// Generated from schemas/*.avsc by tools/avro-codegen.mjs. Do not edit.
export * from './alert';
export * from './dead-letter';
export * from './log-batch';
export * from './log-record';
export * from './metric-batch';
export * from './metric-rollup-batch';
export * from './metric-rollup';
export * from './metric-sample';
export * from './notification';
export * from './service-graph-edge';
export * from './span';
export * from './trace-summary';
