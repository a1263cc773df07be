/**
 * The sink passes the consumer-stage compliance suite: fed LogBatch envelopes on `logs`, its effects are rows
 * in `otel_logs`, counted by record id and by row identity (topic, partition, offset, index). The suite's
 * rebalance case is the acceptance point: partitions move A→B→A between two sink replicas while
 * records flow, with no duplicate and no gap.
 */
import { consumerStageCompliance, sinkSubject } from '@sextant/testing';

consumerStageCompliance(sinkSubject());
