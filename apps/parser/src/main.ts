/**
 * Parser stage: consumes ingest.logs in batches, parses and validates each record, and publishes to logs
 * exactly once (outputs and offsets in one Kafka transaction). Holds no state across batches yet (multiline
 * buffers come with the full parser); scale by partitions.
 */
import { TransactionalOutput } from '@sextant/kafka';
import { runStage } from '@sextant/stage-runtime';
import { loadParserSettings, parserConsumerConfig, type ParserStageSettings } from './parser.config';
import { ParserModule } from './parser.module';

void runStage<ParserStageSettings, TransactionalOutput>({
  stage: 'parser',
  loadSettings: () => loadParserSettings(),
  prepare: async (runtime, settings) => {
    // One transactional id per input partition (`<base>.<topic>.<partition>`), the same on every replica: whoever
    // owns a partition now fences whoever owned it before, so an abandoned transaction can never commit late.
    const base = settings.parser.transactionalId !== '' ? settings.parser.transactionalId : settings.consumer.groupId;
    const output = new TransactionalOutput(runtime.connection, base, { ...settings.producer, idMode: 'per-partition' }, runtime.logger);
    await output.connect();
    runtime.readiness.add({
      name: 'transactions',
      check: async () => {
        if (!output.isHealthy()) throw new Error('transactional producer is not healthy (rebuilding or failing)');
      },
    });
    runtime.liveness.add({ name: 'transactions', wedged: () => (output.isWedged() ? 'transactions have failed continuously for too long' : null) });
    return output;
  },
  module: (runtime, settings, output) => ParserModule.forRoot(runtime, settings, output),
  transport: (runtime, settings) => runtime.createTransport(parserConsumerConfig(settings), 'avro'),
  onClosed: (output) => output.disconnect(),
});
