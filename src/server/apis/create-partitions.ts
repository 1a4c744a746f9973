import { CreatePartitions } from '../../protocol/messages/create-partitions.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import { checkPartitionIncrease } from '../../engine/cluster/topic-rules.js';
import type { ApiHandler } from '../context.js';
import { NONE, wireError } from '../error-code.js';

interface CreatePartitionsRequest {
  topics: Array<{ name: string; count: number; assignments: Array<{ brokerIds: number[] }> | null }>;
  validateOnly: boolean;
}

export const createPartitions: ApiHandler = {
  spec: CreatePartitions,
  async handle(req: CreatePartitionsRequest, ctx) {
    const results = [];
    for (const t of req.topics) {
      try {
        if (req.validateOnly) {
          const state = ctx.server.cluster.topic(t.name);
          if (!state) throw unknownTopic(t.name);
          checkPartitionIncrease(t.name, state.partitions.length, t.count);
        } else {
          await ctx.server.admin.createPartitions(t.name, t.count, t.assignments?.map((a) => a.brokerIds));
        }
        results.push({ name: t.name, ...NONE });
      } catch (err) {
        results.push({ name: t.name, ...wireError(err) });
      }
    }
    return { throttleTimeMs: 0, results };
  },
};
