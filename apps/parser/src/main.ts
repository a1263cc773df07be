/**
 * Parser stage: consumes ingest.logs in batches, parses and validates each record, and publishes to logs
 * exactly once (outputs and offsets in one Kafka transaction). Holds no state across batches yet (multiline
 * buffers come with the full parser); scale by partitions.
 */
import { hostname } from 'node:os';
import { TransactionalOutput } from '@sextant/kafka';
import { runStage } from '@sextant/stage-runtime';
import { loadParserSettings, type ParserStageSettings } from './parser.config';
import { ParserModule } from './parser.module';

void runStage<ParserStageSettings, TransactionalOutput>({
  declaration: { stage: 'parser', produces: ['logs'], consumes: ['ingest.logs'] },
  loadSettings: () => loadParserSettings(),
  prepare: async (runtime, settings) => {
    const id = settings.parser.transactionalId !== '' ? settings.parser.transactionalId : `${settings.consumer.groupId}-${hostname()}`;
    const output = new TransactionalOutput(runtime.connection, id, settings.producer, runtime.logger);
    await output.connect();
    runtime.readiness.add({
      name: 'transactions',
      check: async () => {
        if (!output.isHealthy()) throw new Error('transactional producer is not connected');
      },
    });
    return output;
  },
  module: (runtime, settings, output) => ParserModule.forRoot(runtime, settings, output),
  // Offsets move only inside the output transaction, one sub-batch of a partition at a time.
  transport: (runtime, settings) => runtime.createTransport({ ...settings.consumer, maxInFlightSubBatches: 1, autoCommit: false }, 'avro'),
  onClosed: (output) => output.disconnect(),
});
