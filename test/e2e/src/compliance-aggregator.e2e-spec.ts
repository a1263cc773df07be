/**
 * The aggregator passes the consumer-stage compliance suite: fed MetricBatch envelopes on `ingest.metrics`, its
 * effects are the rollup rows of each record's own series on `metrics.rollups` (committed transactions), and
 * its state, restored from its changelog by a new owner, equals an uninterrupted run's. The suite's SIGKILL
 * case (two replicas, seeded kills) and its rebalance case are the crash-safety point: rollups
 * identical to an uninterrupted run, none lost or doubled.
 */
import { consumerStageCompliance } from '@sextant/testing';
import { aggregatorSubject } from './aggregator-subject';

consumerStageCompliance(aggregatorSubject());
