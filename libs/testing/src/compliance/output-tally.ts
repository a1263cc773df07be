/**
 * A stage's effects on an output topic, counted per record id: a CommittedTopicReader whose messages a subject
 * turns into the ids they carry (with where each sits, so a duplicate can be told apart from a re-read).
 */
import type { KafkaConnection } from '@sextant/kafka';
import { CommittedTopicReader, type TopicMessage } from './committed-topic-reader';

/** One id found in an output message, and where (e.g. partition:offset[index]). */
export interface FoundId {
  id: string;
  at: string;
}

export class OutputTally {
  private readonly counts = new Map<string, number>();
  private readonly where = new Map<string, string[]>();
  private readonly reader: CommittedTopicReader;

  constructor(conn: KafkaConnection, topic: string, idsOf: (m: TopicMessage & { value: Buffer }) => Promise<FoundId[]>) {
    this.reader = new CommittedTopicReader(conn, topic, async (m) => {
      if (m.value === null) return;
      for (const { id, at } of await idsOf({ ...m, value: m.value })) {
        this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
        this.where.set(id, [...(this.where.get(id) ?? []), at]);
      }
    });
  }

  start(): Promise<void> {
    return this.reader.start();
  }

  /** Counts per id of everything committed on the topic now. */
  async effects(): Promise<Map<string, number>> {
    await this.reader.caughtUp();
    return new Map(this.counts);
  }

  whereIs(ids: string[]): string {
    return ids.map((id) => `${id} at ${(this.where.get(id) ?? []).join(' and ')}`).join('; ');
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}
