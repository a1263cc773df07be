/** Test and benchmark harness: real stage processes on the real infrastructure, isolated per test. */
export * from './stage-process';
export * from './pipeline';
export * from './seeded-random';
export * from './private-broker';
export { consumerStageCompliance } from './compliance/consumer-stage-compliance';
export type { ComplianceSubject, ComplianceRig, ComplianceReplica, InputMessage, SeenDeadLetter, IdentityTally, StatefulBehaviour } from './compliance/compliance-subject';
export { CommittedTopicReader, type TopicMessage } from './compliance/committed-topic-reader';
export { GroupView } from './compliance/group-view';
export { SerialSends } from './compliance/serial-sends';
export { parserSubject, sinkSubject, SMALL_UNITS_ENV } from './compliance/log-stage-subjects';
export { deliverThroughNest } from './nest-delivery';
export { logTail } from './log-tail';
export { StageRig, LogStageRig, COMPLIANCE_ID_ATTRIBUTE, RIG_PARTITIONS } from './compliance/log-stage-rig';
export { OutputTally, type FoundId } from './compliance/output-tally';
