// kafka-get-offsets output: `topic:partition:offset`, in the order Kafka's tool sorts them, by the
// text `topic-partition` (so partition 10 comes before partition 2, as in Kafka).
import type { TopicPartitionOffset } from '../client/types.js';

export function formatOffsets(offsets: TopicPartitionOffset[]): string {
  const keyed = offsets.map((o) => ({ key: `${o.topic}-${o.partition}`, o }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ o }) => `${o.topic}:${o.partition}:${o.offset}\n`).join('');
}

export function formatSkippedPartition(topic: string, partition: number, message: string): string {
  return `Skip getting offsets for topic-partition ${topic}-${partition} due to error: ${message}\n`;
}
