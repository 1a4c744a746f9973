// The consumer protocol's opaque payloads inside JoinGroup and SyncGroup: a member's subscription
// (the topics it wants) and its assignment. Always the classic (non-flexible) encoding.
import type { TopicPartition } from '../client/types.js';
import { Reader } from './reader.js';
import { arrayOf, decode, encode, f, message, structs } from './schema.js';

const Subscription = message('ConsumerProtocolSubscription', 'none', [
  f('topics', arrayOf('string')),
  f('userData', 'bytes', '0+', { nullable: '0+', default: null }),
  f('ownedPartitions', structs(f('topic', 'string'), f('partitions', arrayOf('int32'))), '1+'),
  f('generationId', 'int32', '2+', { default: -1 }),
  f('rackId', 'string', '3+', { nullable: '3+', default: null }),
]);

const Assignment = message('ConsumerProtocolAssignment', 'none', [
  f('assignedPartitions', structs(f('topic', 'string'), f('partitions', arrayOf('int32')))),
  f('userData', 'bytes', '0+', { nullable: '0+', default: null }),
]);

/** Topics of a member's subscription; newer versions than we know are read as their v3 prefix. */
export function decodeSubscription(bytes: Buffer): { topics: string[] } {
  const r = new Reader(bytes);
  const version = r.int16();
  const s = decode<{ topics: string[] }>(Subscription, Math.min(Math.max(version, 0), 3), r);
  return { topics: s.topics };
}

export function encodeSubscription(topics: string[]): Buffer {
  const head = Buffer.alloc(2);
  return Buffer.concat([head, encode(Subscription, 0, { topics, userData: null }).toBuffer()]);
}

export function encodeAssignment(partitions: TopicPartition[]): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
  const assignedPartitions = [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps.sort((a, b) => a - b) }));
  const head = Buffer.alloc(2);
  // Some clients read user data as plain bytes: an empty array rather than null is the safe choice.
  return Buffer.concat([head, encode(Assignment, 0, { assignedPartitions, userData: Buffer.alloc(0) }).toBuffer()]);
}

export function decodeAssignment(bytes: Buffer): TopicPartition[] {
  if (bytes.length === 0) return [];
  const r = new Reader(bytes);
  const version = r.int16();
  const a = decode<{ assignedPartitions: Array<{ topic: string; partitions: number[] }> }>(Assignment, Math.max(version, 0), r);
  return a.assignedPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
}
