import { ListOffsets } from '../../protocol/messages/list-offsets.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';

// Kafka's special timestamps (ListOffsetsRequest). Without tiered storage the local log is the
// whole log, and nothing is tiered: Kafka answers latest-tiered with offset -1 then.
const LATEST = -1;
const EARLIEST = -2;
const MAX_TIMESTAMP = -3;
const EARLIEST_LOCAL = -4;
const LATEST_TIERED = -5;

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
            if (p.timestamp === LATEST_TIERED) return { partitionIndex: p.partitionIndex, errorCode: 0, timestamp: -1, offset: -1, leaderEpoch: -1 };
            const spec =
              p.timestamp === EARLIEST || p.timestamp === EARLIEST_LOCAL ? 'earliest' : p.timestamp === LATEST ? 'latest' : p.timestamp === MAX_TIMESTAMP ? 'max-timestamp' : { timestamp: p.timestamp };
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
