// kafkajs plugs in partition assignors; it ships only round-robin under its own protocol name
// (RoundRobinAssigner), which Java and librdkafka members of the same group do not offer. These
// assigners run our own range and round-robin assignors (src/engine/groups/assignors.ts) under
// Kafka's protocol names, so a kafkit consumer can share a group with them.
import type { PartitionAssigner } from 'kafkajs';
import type { AssignmentStrategy } from '../types.js';
import { assign } from '../../engine/groups/assignors.js';

type KafkajsModule = { AssignerProtocol: typeof import('kafkajs').AssignerProtocol };

function assigner(kafkajs: KafkajsModule, strategy: 'range' | 'roundrobin'): PartitionAssigner {
  const { MemberMetadata, MemberAssignment } = kafkajs.AssignerProtocol;
  return ({ cluster }) => ({
    name: strategy,
    version: 0,
    async assign({ members, topics }) {
      const counts: Record<string, number> = {};
      for (const t of topics) counts[t] = cluster.findTopicPartitionMetadata(t).length;
      const result = assign(
        strategy,
        members.map((m) => ({ memberId: m.memberId, topics: MemberMetadata.decode(m.memberMetadata)?.topics ?? [] })),
        counts,
      );
      return members.map((m) => {
        const byTopic: Record<string, number[]> = {};
        for (const tp of result[m.memberId] ?? []) (byTopic[tp.topic] ??= []).push(tp.partition);
        return { memberId: m.memberId, memberAssignment: MemberAssignment.encode({ version: 0, assignment: byTopic, userData: Buffer.alloc(0) }) };
      });
    },
    protocol({ topics }) {
      return { name: strategy, metadata: MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }) };
    },
  });
}

/** The assigners to offer for `strategy`, preferred first. cooperative-sticky has no eager equivalent here: range stands in. */
export function partitionAssigners(kafkajs: KafkajsModule, strategy: AssignmentStrategy): PartitionAssigner[] {
  return strategy === 'roundrobin' ? [assigner(kafkajs, 'roundrobin'), assigner(kafkajs, 'range')] : [assigner(kafkajs, 'range'), assigner(kafkajs, 'roundrobin')];
}

