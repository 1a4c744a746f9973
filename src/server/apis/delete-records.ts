import { DeleteRecords } from '../../protocol/messages/delete-records.js';
import { OffsetOutOfRangeError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';

interface DeleteRecordsRequest {
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; offset: number }> }>;
}

export const deleteRecords: ApiHandler = {
  spec: DeleteRecords,
  handle(req: DeleteRecordsRequest, ctx) {
    const { replicas } = ctx.server;
    return {
      throttleTimeMs: 0,
      topics: req.topics.map((t) => ({
        name: t.name,
        partitions: t.partitions.map((p) => {
          try {
            ledPartition(ctx, t.name, p.partitionIndex);
            const hwm = replicas.highWatermark(t.name, p.partitionIndex);
            // -1 means "up to the high watermark", as in Kafka.
            const offset = p.offset === -1 ? hwm : p.offset;
            if (offset < 0 || offset > hwm) throw new OffsetOutOfRangeError(`Cannot delete records before ${offset}: the high watermark of ${t.name}-${p.partitionIndex} is ${hwm}.`);
            replicas.deleteRecordsBefore(t.name, p.partitionIndex, offset);
            return { partitionIndex: p.partitionIndex, lowWatermark: replicas.logStartOffset(t.name, p.partitionIndex), errorCode: 0 };
          } catch (err) {
            return { partitionIndex: p.partitionIndex, lowWatermark: -1, errorCode: wireError(err).errorCode };
          }
        }),
      })),
    };
  },
};
