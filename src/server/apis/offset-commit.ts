import { OffsetCommit } from '../../protocol/messages/offset-commit.js';
import { UnknownTopicOrPartitionError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { groupWireError } from '../error-code.js';

interface OffsetCommitRequest {
  groupId: string;
  generationIdOrMemberEpoch: number;
  memberId: string;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; committedOffset: number; committedLeaderEpoch: number; committedMetadata: string | null }> }>;
}

export const offsetCommit: ApiHandler = {
  spec: OffsetCommit,
  handle(req: OffsetCommitRequest, ctx) {
    const { cluster, coordinator } = ctx.server;
    const codes = new Map<string, number>();
    const offsets = [];
    for (const t of req.topics) {
      const count = cluster.topic(t.name)?.partitions.length ?? 0;
      for (const p of t.partitions) {
        if (p.partitionIndex < 0 || p.partitionIndex >= count) {
          codes.set(`${t.name}\0${p.partitionIndex}`, UnknownTopicOrPartitionError.info.code);
          continue;
        }
        offsets.push({
          topic: t.name,
          partition: p.partitionIndex,
          offset: p.committedOffset,
          metadata: p.committedMetadata ?? '',
          leaderEpoch: p.committedLeaderEpoch >= 0 ? p.committedLeaderEpoch : null,
        });
      }
    }
    let groupError = 0;
    try {
      // v0, and members of no group (generation -1, no member id), commit as a standalone consumer.
      if (offsets.length > 0) coordinator.commit(req.groupId, ctx.apiVersion >= 1 ? req.memberId : '', ctx.apiVersion >= 1 ? req.generationIdOrMemberEpoch : -1, offsets);
    } catch (err) {
      groupError = groupWireError(err).errorCode;
    }
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: codes.get(`${t.name}\0${p.partitionIndex}`) ?? groupError })),
      })),
    };
  },
};
