/** The rollups of one metrics.rollups message: a MetricRollupBatch envelope's rows, or a single MetricRollup. */
import type { MetricRollup, MetricRollupBatch } from '@sextant/contracts';
import type { AvroSerde } from '@sextant/kafka';

export async function rollupsOf(serde: AvroSerde, value: Buffer): Promise<MetricRollup[]> {
  const decoded = await serde.decode<MetricRollupBatch | MetricRollup>(value);
  return decoded.writerName.endsWith('.MetricRollupBatch') ? (decoded.value as MetricRollupBatch).records : [decoded.value as MetricRollup];
}
