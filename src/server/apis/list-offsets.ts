import { ListOffsets } from '../../protocol/messages/list-offsets.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';

const LATEST = -1;
const EARLIEST = -2;

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
            const spec = p.timestamp === EARLIEST ? 'earliest' : p.timestamp === LATEST ? 'latest' : { timestamp: p.timestamp };
            const r = replicas.listOffset(t.name, p.partitionIndex, spec);
            return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: r.timestamp, offset: r.offset, leaderEpoch: state.leaderEpoch };
          } catch (err) {
            return { partitionIndex: p.partitionIndex, errorCode: wireError(err).errorCode, timestamp: -1, offset: -1, leaderEpoch: -1 };
          }
        }),
      })),
    };
  },
};
