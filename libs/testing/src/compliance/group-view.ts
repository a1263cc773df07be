/**
 * What any compliance rig reads from Kafka about the stage under test, whatever its input format: the dead
 * letters it wrote (committed only, decoded from the DeadLetter contract), and its group's committed offsets,
 * the input's end offsets and the group's members right now.
 */
import type { DeadLetter } from '@sextant/contracts';
import type { AvroSerde, KafkaConnection } from '@sextant/kafka';
import { CommittedTopicReader } from './committed-topic-reader';
import type { SeenDeadLetter } from './compliance-subject';

export class GroupView {
  private readonly admin;
  private readonly dlq: CommittedTopicReader;
  private readonly letters: SeenDeadLetter[] = [];

  constructor(
    private readonly conn: KafkaConnection,
    serde: AvroSerde,
    readonly groupId: string,
    readonly inputTopic: string,
    deadLetterTopic: string,
  ) {
    this.admin = conn.client.admin();
    this.dlq = new CommittedTopicReader(conn, deadLetterTopic, async (m) => {
      if (m.value === null) return;
      const d = (await serde.decode<DeadLetter>(m.value)).value;
      this.letters.push({ stage: d.stage, reason: d.reason, errorKind: d.errorKind, topic: d.topic, partition: d.partition, offset: String(d.offset), index: d.index, value: d.value });
    });
  }

  /** Needs the dead-letter topic to exist. */
  async open(): Promise<void> {
    await Promise.all([this.admin.connect(), this.dlq.start()]);
  }

  async deadLetters(): Promise<SeenDeadLetter[]> {
    await this.dlq.caughtUp();
    return [...this.letters];
  }

  async offsets(): Promise<{ committed: Map<number, bigint>; ends: Map<number, bigint> }> {
    const committed = new Map((await this.conn.groupOffsets(this.groupId, this.inputTopic)).map((o) => [o.partition, BigInt(o.offset)]));
    const ends = new Map((await this.conn.topicOffsets(this.inputTopic)).map((o) => [o.partition, BigInt(o.high)]));
    return { committed, ends };
  }

  async groupMembers(): Promise<number> {
    const { groups } = await this.admin.describeGroups([this.groupId]);
    return groups[0]?.members.length ?? 0;
  }

  /** Fails unless the input's end offsets are exactly the messages a rig sent per partition. */
  async checkSent(sent: ReadonlyMap<number, number>): Promise<void> {
    for (const o of await this.conn.topicOffsets(this.inputTopic)) {
      const expected = sent.get(o.partition) ?? 0;
      if (BigInt(o.high) !== BigInt(expected)) throw new Error(`${this.inputTopic}[${o.partition}] ends at ${o.high}, but the rig sent ${expected} messages there`);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.dlq.close(), this.admin.disconnect().catch(() => undefined)]);
  }
}
