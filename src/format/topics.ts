// kafka-topics output, byte for byte as Kafka 4.1 prints it (TAB-separated describe lines).
import type { PartitionDescription, TopicDescription } from '../client/types.js';

export const COLLISION_WARNING =
  "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.";

/** `--list`: names one per line; no topics at all still prints one empty line, as Kafka does. */
export function formatTopicList(names: string[]): string {
  return `${names.join('\n')}\n`;
}

export function formatTopicSummary(t: TopicDescription, overrides: Array<[string, string | null]>): string {
  const id = t.topicId && t.topicId !== 'AAAAAAAAAAAAAAAAAAAAAA' ? `\tTopicId: ${t.topicId}` : '';
  const rf = t.partitions.length > 0 ? [...t.partitions].sort((a, b) => a.partition - b.partition)[0].replicas.length : 0;
  const configs = overrides.map(([k, v]) => `${k}=${v === null ? 'null' : v}`).join(',');
  return `Topic: ${t.name}${id}\tPartitionCount: ${t.partitions.length}\tReplicationFactor: ${rf}\tConfigs: ${configs}\n`;
}

const ids = (list: number[] | null) => (list === null ? 'N/A' : list.join(','));

export function formatPartitionLine(topic: string, p: PartitionDescription): string {
  const leader = p.leader === null ? 'none' : String(p.leader);
  return `\tTopic: ${topic}\tPartition: ${p.partition}\tLeader: ${leader}\tReplicas: ${p.replicas.join(',')}\tIsr: ${p.isr.join(',')}\tElr: ${ids(p.elr)}\tLastKnownElr: ${ids(p.lastKnownElr)}\n`;
}

export function formatTopicError(message: string): string {
  return `Error while executing topic command : ${message}\n`;
}
