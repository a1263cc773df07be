// Throughput of the window engine on one core: 10k gauge and counter series × 100 samples each, series keys
// precomputed as the stage passes them. Prints samples/s; asserts nothing.
// Run: node libs/aggregation/dist/bench-engine.js
import { metricSeriesKey, type MetricSample } from '@sextant/contracts';
import { MemoryAggregatorState } from './aggregator-state';
import { MetricAggregator } from './metric-aggregator';
import { at, sample } from './testdata/samples';

const SERIES = 10_000;
const ROUNDS = 100;
const SAMPLE_INTERVAL_S = 1;
// Flushing every round writes all 10k series: the state encoding cost of a sub-batch touching every series.
const FLUSH_EVERY_ROUND = process.argv[2] !== '--no-flush';

function main(): void {
  const engine = new MetricAggregator({}, { partition: 0, store: new MemoryAggregatorState() });
  const templates: { sample: MetricSample; key: string }[] = [];
  for (let i = 0; i < SERIES; i++) {
    const s = i % 2 === 0 ? sample({ name: 'g', attributes: { id: String(i) } }) : sample({ name: 'c', type: 'SUM', isMonotonic: true, temporality: 'CUMULATIVE', attributes: { id: String(i) } });
    templates.push({ sample: s, key: metricSeriesKey(s) });
  }
  let rows = 0;
  const started = process.hrtime.bigint();
  for (let round = 0; round < ROUNDS; round++) {
    const time = at(round * SAMPLE_INTERVAL_S);
    for (const { sample: s, key } of templates) engine.add({ ...s, timeUnixNano: time, value: round }, 'ingest.metrics', key);
    rows += engine.drain().length;
    if (FLUSH_EVERY_ROUND) engine.flush();
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const total = SERIES * ROUNDS;
  console.log(`${total} samples in ${seconds.toFixed(2)} s: ${Math.round(total / seconds)} samples/s (${((seconds / total) * 1e9).toFixed(0)} ns/sample${FLUSH_EVERY_ROUND ? ' incl. a flush per round' : ''}), ${rows} rows`);
}

main();
