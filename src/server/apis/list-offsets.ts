import { ListOffsets } from '../../protocol/messages/list-offsets.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';
import type { OffsetSpec } from '../../client/types.js';

// Kafka's special timestamps (ListOffsetsRequest LATEST_TIMESTAMP ... LATEST_TIERED_TIMESTAMP).
const SPECIAL = new Map<number, OffsetSpec>([
  [-1, 'latest'],
  [-2, 'earliest'],
  [-3, 'max-timestamp'],
  [-4, 'earliest-local'],
  [-5, 'latest-tiered'],
]);

interface ListOffsetsRequest {
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; currentLeaderEpoch: number; timestamp: number }> }>;
}

export const listOffsets: ApiHandler = {
  spec: ListOffsets,
  handle(req: ListOffsetsRequest, ctx) {
    const { replicas } = ctx.server;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          try {
            const state = ledPartition(ctx, t.name, p.partitionIndex, p.currentLeaderEpoch);
            const r = replicas.listOffset(t.name, p.partitionIndex, SPECIAL.get(p.timestamp) ?? { timestamp: p.timestamp });
            return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: r.timestamp, offset: r.offset, leaderEpoch: state.leaderEpoch };
          } catch (err) {
            return { partitionIndex: p.partitionIndex, errorCode: wireError(err).errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 };
          }
        }),
      })),
    };
  },
};
