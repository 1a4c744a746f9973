// OffsetForLeaderEpoch (23): where a leader epoch ends in the leader's log. Consumers (librdkafka,
// Java) ask after a leader change whether their position is still on the log; a position past the
// end offset of their last epoch means records were truncated.
import { OffsetForLeaderEpoch } from '../../protocol/messages/offset-for-leader-epoch.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';

interface OffsetForLeaderEpochRequest {
  topics: Array<{ topic: string; partitions: Array<{ partition: number; currentLeaderEpoch: number; leaderEpoch: number }> }>;
}

export const offsetForLeaderEpoch: ApiHandler = {
  spec: OffsetForLeaderEpoch,
  handle(req: OffsetForLeaderEpochRequest, ctx) {
    const { replicas } = ctx.server;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        topic: t.topic,
        partitions: t.partitions.map((p) => {
          try {
            ledPartition(ctx, t.topic, p.partition, p.currentLeaderEpoch);
            const r = replicas.endOffsetForEpoch(t.topic, p.partition, p.leaderEpoch);
            return { errorCode: 0, partition: p.partition, leaderEpoch: r.epoch, endOffset: r.endOffset };
          } catch (err) {
            return { errorCode: wireError(err).errorCode, partition: p.partition, leaderEpoch: -1, endOffset: -1 };
          }
        }),
      })),
    };
  },
};
