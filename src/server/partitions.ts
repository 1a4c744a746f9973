// The partition checks every data API makes before touching the log: the partition exists, this
// broker leads it (Produce, Fetch, ListOffsets, DeleteRecords and OffsetForLeaderEpoch go to
// leaders), and the client's idea of the leader epoch is the current one.
import type { PartitionState } from '../engine/cluster/cluster.js';
import { FencedLeaderEpochError, NotLeaderOrFollowerError, UnknownLeaderEpochError, UnknownTopicOrPartitionError } from '../errors.js';
import type { RequestContext } from './context.js';

function existingPartition(ctx: RequestContext, topic: string, partition: number): PartitionState {
  const p = ctx.server.cluster.topic(topic)?.partitions[partition];
  if (!p) throw new UnknownTopicOrPartitionError(`This server does not host ${topic}-${partition}.`);
  return p;
}

/**
 * Kafka's Partition.checkCurrentLeaderEpoch: a client that saw an older epoch has stale metadata
 * (FENCED_LEADER_EPOCH: refresh and retry), one that saw a newer epoch than ours is ahead of this
 * broker (UNKNOWN_LEADER_EPOCH). -1 means the client does not know or does not care.
 */
export function checkLeaderEpoch(p: PartitionState, topic: string, currentLeaderEpoch: number | undefined): void {
  if (currentLeaderEpoch === undefined || currentLeaderEpoch < 0 || currentLeaderEpoch === p.leaderEpoch) return;
  if (currentLeaderEpoch < p.leaderEpoch) {
    throw new FencedLeaderEpochError(`The leader epoch ${currentLeaderEpoch} of ${topic}-${p.partition} in the request is older than the current leader epoch ${p.leaderEpoch}.`);
  }
  throw new UnknownLeaderEpochError(`The leader epoch ${currentLeaderEpoch} of ${topic}-${p.partition} in the request is newer than the current leader epoch ${p.leaderEpoch}.`);
}

/** The partition, if this broker leads it at the epoch the client names (Kafka checks the epoch first). */
export function ledPartition(ctx: RequestContext, topic: string, partition: number, currentLeaderEpoch?: number): PartitionState {
  const p = existingPartition(ctx, topic, partition);
  checkLeaderEpoch(p, topic, currentLeaderEpoch);
  if (p.leader !== ctx.brokerId) throw new NotLeaderOrFollowerError(`Broker ${ctx.brokerId} is not the leader of ${topic}-${partition} (the leader is ${p.leader}).`);
  return p;
}
