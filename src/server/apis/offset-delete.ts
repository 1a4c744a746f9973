import { OffsetDelete } from '../../protocol/messages/offset-delete.js';
import { GroupIdNotFoundError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { groupWireError } from '../error-code.js';

interface OffsetDeleteRequest {
  groupId: string;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number }> }>;
}

export const offsetDelete: ApiHandler = {
  spec: OffsetDelete,
  async handle(req: OffsetDeleteRequest, ctx) {
    const partitions = req.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex })));
    try {
      const results = await ctx.server.admin.deleteCommittedOffsets(req.groupId, partitions);
      // Kafka answers a missing group once, at the top, not per partition.
      const missing = results.find((r) => r.error instanceof GroupIdNotFoundError);
      if (missing) throw missing.error;
      const code = new Map(results.map((r) => [`${r.item.topic}\0${r.item.partition}`, r.error ? groupWireError(r.error).errorCode : 0]));
      return {
        errorCode: 0,
        throttleTimeMs: 0,
        topics: req.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code.get(`${t.name}\0${p.partitionIndex}`) ?? 0 })),
        })),
      };
    } catch (err) {
      return { errorCode: groupWireError(err).errorCode, throttleTimeMs: 0, topics: [] };
    }
  },
};
