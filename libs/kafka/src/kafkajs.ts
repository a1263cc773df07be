/**
 * The one place libs/kafka loads KafkaJS from: the corrected read-committed filter goes in first (see
 * aborted-transactions.filter.ts), then KafkaJS's values are re-exported. Type-only imports of 'kafkajs'
 * elsewhere are fine (they load nothing); value imports go through here (lint enforces it).
 */
import './kafkajs-patches';

export { Kafka, logLevel, CompressionTypes, CompressionCodecs, ConfigResourceTypes, Partitioners } from 'kafkajs';
