// kafkajs plugs in partition assignors; it ships only round-robin under its own protocol name
// (RoundRobinAssigner), which Java and librdkafka members of the same group do not offer. These
// assigners run our own range and round-robin assignors (src/engine/groups/assignors.ts) under
// Kafka's protocol names, so a kafkit consumer can share a group with them. `sticky` carries each
// member's previous assignment in Java's StickyAssignor user data, so a Java or librdkafka leader
// keeps our partitions where it can, and so do we for theirs.
import type { PartitionAssigner } from 'kafkajs';
import type { AssignmentStrategy, TopicPartition } from '../types.js';
import { assign } from '../../engine/groups/assignors.js';

type KafkajsModule = { AssignerProtocol: typeof import('kafkajs').AssignerProtocol };

/** Java's StickyAssignor user data v1: previous_assignment [topic, [partition]], generation. */
export function encodeStickyUserData(owned: TopicPartition[], generation: number): Buffer {
  const byTopic = new Map<string, number[]>();
  for (const tp of owned) byTopic.set(tp.topic, [...(byTopic.get(tp.topic) ?? []), tp.partition]);
  const parts: Buffer[] = [int32(byTopic.size)];
  for (const [topic, partitions] of byTopic) {
    const name = Buffer.from(topic, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(name.length);
    parts.push(len, name, int32(partitions.length), ...partitions.map(int32));
  }
  parts.push(int32(generation));
  return Buffer.concat(parts);
}

/** The previous assignment in a member's sticky user data; [] when absent or not that format. */
export function decodeStickyUserData(data: Buffer | undefined | null): TopicPartition[] {
  if (!data || data.length < 4) return [];
  try {
    let at = 0;
    const out: TopicPartition[] = [];
    const topics = data.readInt32BE(at);
    at += 4;
    for (let i = 0; i < topics; i++) {
      const len = data.readInt16BE(at);
      const topic = data.toString('utf8', at + 2, at + 2 + len);
      at += 2 + len;
      const n = data.readInt32BE(at);
      at += 4;
      for (let j = 0; j < n; j++, at += 4) out.push({ topic, partition: data.readInt32BE(at) });
    }
    return out;
  } catch {
    return [];
  }
}

function int32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** What this consumer holds now, for the sticky assigner's user data. */
export type OwnedPartitions = () => { partitions: TopicPartition[]; generation: number };

function assigner(kafkajs: KafkajsModule, strategy: 'range' | 'roundrobin' | 'sticky', owned: OwnedPartitions): PartitionAssigner {
  const { MemberMetadata, MemberAssignment } = kafkajs.AssignerProtocol;
  return ({ cluster }) => ({
    name: strategy,
    version: 0,
    async assign({ members, topics }) {
      const counts: Record<string, number> = {};
      for (const t of topics) counts[t] = cluster.findTopicPartitionMetadata(t).length;
      const result = assign(
        strategy,
        members.map((m) => {
          const meta = MemberMetadata.decode(m.memberMetadata);
          return { memberId: m.memberId, topics: meta?.topics ?? [], owned: strategy === 'sticky' ? decodeStickyUserData(meta?.userData) : undefined };
        }),
        counts,
      );
      return members.map((m) => {
        const byTopic: Record<string, number[]> = {};
        for (const tp of result[m.memberId] ?? []) (byTopic[tp.topic] ??= []).push(tp.partition);
        return { memberId: m.memberId, memberAssignment: MemberAssignment.encode({ version: 0, assignment: byTopic, userData: Buffer.alloc(0) }) };
      });
    },
    protocol({ topics }) {
      const mine = owned();
      const userData = strategy === 'sticky' ? encodeStickyUserData(mine.partitions, mine.generation) : Buffer.alloc(0);
      return { name: strategy, metadata: MemberMetadata.encode({ version: 0, topics, userData }) };
    },
  });
}

/**
 * The assigners to offer for `strategy`, preferred first. kafkajs has no cooperative protocol, so
 * cooperative-sticky is offered as eager `sticky` (the same assignment, revoked all at once).
 */
export function partitionAssigners(kafkajs: KafkajsModule, strategy: AssignmentStrategy, owned: OwnedPartitions = () => ({ partitions: [], generation: -1 })): PartitionAssigner[] {
  const first = strategy === 'cooperative-sticky' ? 'sticky' : strategy;
  return [first, ...(['range', 'roundrobin', 'sticky'] as const).filter((s) => s !== first)].map((s) => assigner(kafkajs, s, owned));
}

