/**
 * The parser passes the consumer-stage compliance suite: fed LogBatch envelopes on `ingest.logs`, its effects
 * are the records it commits to `logs` (read read_committed), one per input record.
 */
import { consumerStageCompliance, parserSubject } from '@sextant/testing';

consumerStageCompliance(parserSubject());
