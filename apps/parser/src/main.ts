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
  prepare: async (runtime, settings) => runtime.createTransactionalOutput(settings.parser.transactionalId !== '' ? settings.parser.transactionalId : settings.consumer.groupId),
  module: (runtime, settings, output) => ParserModule.forRoot(runtime, settings, output),
  transport: (runtime, settings) => runtime.createTransport(parserConsumerConfig(settings), 'avro'),
  onClosed: (output) => output.disconnect(),
});
