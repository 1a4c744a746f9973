// The partition check every partition-scoped API (Produce, Fetch, ListOffsets, DeleteRecords)
// makes before touching the log: the partition exists and this broker leads it, as clients route
// to leaders. There is deliberately no exported check without the leader rule.
import type { PartitionState } from '../engine/cluster/cluster.js';
import { NotLeaderOrFollowerError, UnknownTopicOrPartitionError } from '../errors.js';
import type { RequestContext } from './context.js';

function existingPartition(ctx: RequestContext, topic: string, partition: number): PartitionState {
  const p = ctx.server.cluster.topic(topic)?.partitions[partition];
  if (!p) throw new UnknownTopicOrPartitionError(`This server does not host ${topic}-${partition}.`);
  return p;
}

export function ledPartition(ctx: RequestContext, topic: string, partition: number): PartitionState {
  const p = existingPartition(ctx, topic, partition);
  if (p.leader !== ctx.brokerId) throw new NotLeaderOrFollowerError(`Broker ${ctx.brokerId} is not the leader of ${topic}-${partition} (the leader is ${p.leader}).`);
  return p;
}
