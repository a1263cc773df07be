/** Test and benchmark harness: real stage processes on the real infrastructure, isolated per test. */
export * from './stage-process';
export * from './pipeline';
