export type { LogRecord, K8sRef } from './generated/log-record';
