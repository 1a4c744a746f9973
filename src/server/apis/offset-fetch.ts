import { OffsetFetch } from '../../protocol/messages/offset-fetch.js';
import { readOffsets } from '../../engine/groups/group-store.js';
import type { ApiHandler, RequestContext } from '../context.js';

type Topics = Array<{ name: string; partitionIndexes: number[] }> | null;

/** Committed offsets of one group: every commit when `topics` is null, else the partitions asked for (-1 when none). */
function fetchGroup(ctx: RequestContext, groupId: string, topics: Topics) {
  const stored = readOffsets(ctx.server.cluster.dataDir, groupId);
  const wanted = topics ?? Object.entries(stored).map(([name, ps]) => ({ name, partitionIndexes: Object.keys(ps).map(Number).sort((a, b) => a - b) }));
  return wanted.map((t) => ({
    name: t.name,
    partitions: t.partitionIndexes.map((partitionIndex) => {
      const o = stored[t.name]?.[String(partitionIndex)];
      return o
        ? { partitionIndex, committedOffset: o.offset, committedLeaderEpoch: o.leaderEpoch ?? -1, metadata: o.metadata, errorCode: 0 }
        : { partitionIndex, committedOffset: -1, committedLeaderEpoch: -1, metadata: '', errorCode: 0 };
    }),
  }));
}

interface OffsetFetchRequest {
  groupId: string;
  topics: Topics;
  groups: Array<{ groupId: string; topics: Topics }>;
}

export const offsetFetch: ApiHandler = {
  spec: OffsetFetch,
  handle(req: OffsetFetchRequest, ctx) {
    if (ctx.apiVersion >= 8) {
      return { throttleTimeMs: 0, groups: req.groups.map((g) => ({ groupId: g.groupId, topics: fetchGroup(ctx, g.groupId, g.topics), errorCode: 0 })) };
    }
    return { throttleTimeMs: 0, topics: fetchGroup(ctx, req.groupId, req.topics), errorCode: 0 };
  },
};
