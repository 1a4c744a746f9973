// The consumer protocol's opaque payloads inside JoinGroup and SyncGroup: a member's subscription
// (the topics it wants) and its assignment. Always the classic (non-flexible) encoding.
//
// Decoding is lenient, as Java's ConsumerProtocol is in practice: clients disagree on these bytes
// (segmentio/kafka-go labels its subscription version 1 but writes the version-0 layout, without
// owned partitions), and a broker that only relays them never notices. Our coordinator reads only
// the leading field it needs, whatever the version says, and ignores what follows or is missing.
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

// The leading field of every version: all the coordinator reads.
const SubscriptionTopics = message('ConsumerProtocolSubscriptionTopics', 'none', [f('topics', arrayOf('string'))]);
const AssignedPartitions = message('ConsumerProtocolAssignedPartitions', 'none', [
  f('assignedPartitions', structs(f('topic', 'string'), f('partitions', arrayOf('int32')))),
]);

/** Topics of a member's subscription, from any version's layout; user data, owned partitions, generation and rack are not read. */
export function decodeSubscription(bytes: Buffer): { topics: string[] } {
  const r = new Reader(bytes);
  r.int16(); // version: the layouts all start with the topics, and the label is not to be trusted
  return { topics: decode<{ topics: string[] }>(SubscriptionTopics, 0, r).topics };
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
  r.int16(); // version: as for subscriptions, only the leading field is read
  const a = decode<{ assignedPartitions: Array<{ topic: string; partitions: number[] }> }>(AssignedPartitions, 0, r);
  return a.assignedPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
}
