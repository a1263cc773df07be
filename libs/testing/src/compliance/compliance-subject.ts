/**
 * What the consumer-stage compliance suite needs to know about a stage, and nothing more: how to build an
 * isolated rig around it (its own topics, group and store), start and kill its replicas as real processes, feed
 * its input topic identifiable records and one poison record, and read back its durable effects by record id.
 * A stage that keeps state between batches also says how to read its restored state; a stateless one says why
 * it has none, and the suite skips the state case with that reason. Each stage gets one adapter of this shape
 * (log-stage-subjects.ts has the parser's and the sink's); every later consumer stage must bring its own.
 */

/** Where one input record went: its Kafka coordinates on the input topic and the ids it carried. */
export interface InputMessage {
  partition: number;
  /** Offset as a decimal string. */
  offset: string;
  /** Ids of the records in the message (one per envelope record; none for a poison message). */
  ids: string[];
}

/** A dead letter as the suite checks it: who gave up, why, on what bytes and where they came from. */
export interface SeenDeadLetter {
  stage: string;
  reason: string;
  errorKind: string;
  topic: string;
  partition: number;
  offset: string;
  index: number;
  value: Buffer | null;
}

/** Exact counts of a stage's durable output by row identity, when the store can count them that way. */
export interface IdentityTally {
  rows: number;
  distinct: number;
}

/** One replica of the stage under test, a real process (StageProcess is one). */
export interface ComplianceReplica {
  readonly stage: string;
  readonly running: boolean;
  /** Starts (again, after a kill: same identity, so it fences its predecessor) without waiting. */
  start(): void;
  /** Resolves once it is ready; rejects when it exits first or after timeoutMs. */
  waitReady(timeoutMs?: number): Promise<void>;
  /** Sends the signal and resolves with the exit code (null when killed by the signal). */
  stop(signal: NodeJS.Signals): Promise<number | null>;
  /** The end of its log, for a failure report. */
  tail(lines?: number): string;
}

/** One isolated run of a stage: its topics, group, replicas and readers; built per test case. */
export interface ComplianceRig {
  /** Physical name of the topic the stage consumes. */
  readonly inputTopic: string;
  /** The stage's consumer group on that topic. */
  readonly groupId: string;
  /** Starts one more replica (a real process) and resolves once it is ready. */
  startReplica(): Promise<ComplianceReplica>;
  /** Whether the replica has processed some input (so partitions really reached it). */
  hasWorked(replica: ComplianceReplica): Promise<boolean>;
  /**
   * Produces the records with these ids to the input topic, `perMessage` ids to a message (an envelope of that
   * many records), spread over the partitions unless `partition` pins them; resolves when Kafka acknowledged.
   */
  produce(ids: string[], opts?: { perMessage?: number; partition?: number }): Promise<InputMessage[]>;
  /** Produces one message the stage can never process; resolves with it and its exact bytes. */
  producePoison(partition: number): Promise<{ message: InputMessage; value: Buffer }>;
  /**
   * The stage's durable effects now, as a count per input record id (only ids this rig produced). "Durable" is
   * what the stage's consumers would see: committed transactions on an output topic, rows in the store.
   */
  effects(): Promise<Map<string, number>>;
  /** Row-identity tally of the stored effects (topic, partition, offset, index), when the subject has one. */
  identities?(): Promise<IdentityTally>;
  /**
   * Makes the stage's deliveries fail until the returned function is called (the sink: its store down), so
   * the suite can show that nothing read meanwhile is committed. Absent where delivery and commit are one
   * atomic step (the parser: output and offsets in one Kafka transaction).
   */
  withholdDelivery?(): Promise<() => Promise<void>>;
  /**
   * True when effects and input offsets become durable in one atomic step (the parser: one Kafka transaction),
   * so no effect may be durable whose input is not committed. False where effects come first and a redelivery
   * is deduplicated (the sink: insert, then commit).
   */
  readonly atomicEffectsAndOffsets: boolean;
  /** Where the effects of these ids are (output coordinates), to explain a failed count. */
  whereIs?(ids: string[]): Promise<string>;
  /** Dead letters written so far (committed ones). */
  deadLetters(): Promise<SeenDeadLetter[]>;
  /** Committed offsets of the group on the input topic (-1 where none), and the input's end offsets. */
  offsets(): Promise<{ committed: Map<number, bigint>; ends: Map<number, bigint> }>;
  /** Members of the group right now (0 when every replica left). */
  groupMembers(): Promise<number>;
  /** Every replica started so far, in order. */
  readonly replicas: ComplianceReplica[];
  /** Stops everything the rig started and removes its files. */
  close(): Promise<void>;
}

/** How a stateful stage's restored state is read and what it should be. */
export interface StatefulBehaviour {
  /** The state an uninterrupted run over exactly these input ids (produced by this rig) leaves, comparably. */
  expected(rig: ComplianceRig, ids: string[]): unknown;
  /** The state as a new owner of every partition restores it. */
  restored(rig: ComplianceRig): Promise<unknown>;
}

export interface ComplianceSubject {
  /** The stage under test; when it is a declared stage, its declaration in STAGES must agree with `state`. */
  readonly stage: string;
  /** Builds a fresh, isolated rig (nothing started yet but what the stage's input needs). */
  rig(): Promise<ComplianceRig>;
  /** Per-partition state, or the reason the stage has none. */
  readonly state: StatefulBehaviour | { stateless: string };
}
