/**
 * KafkaJS supports Snappy only through a plugged-in codec. Producers need it to compress and consumers to
 * read what any Snappy-compressing producer (ours, the OTel Collector, rsyslog) wrote, so every connection
 * registers it.
 */
import { CompressionCodecs, CompressionTypes } from './kafkajs';
import SnappyCodec from 'kafkajs-snappy';

export function registerSnappyCodec(): void {
  CompressionCodecs[CompressionTypes.Snappy] = SnappyCodec;
}
