// The controller's checks on a topic's shape, with Kafka's own texts (ReplicationControlManager).
// The embedded cluster enforces them; the remote backend re-runs them to explain a broker's refusal
// whose message kafkajs dropped (src/client/remote/broker-texts.ts).
import { InvalidPartitionsError, InvalidReplicaAssignmentError, InvalidTopicError } from '../../errors.js';
import { collisionKey } from './topic-name.js';

/** A partition count that is no increase. */
export function checkPartitionIncrease(name: string, current: number, totalCount: number): void {
  if (totalCount === current) throw new InvalidPartitionsError(`Topic already has ${current} partition(s).`);
  if (totalCount < current) throw new InvalidPartitionsError(`The topic ${name} currently has ${current} partition(s); ${totalCount} would not be an increase.`);
}

/** A name that differs from an existing topic's only by '.' versus '_'. */
export function checkNoCollision(name: string, existing: Iterable<string>): void {
  const key = collisionKey(name);
  for (const other of existing) {
    if (other !== name && collisionKey(other) === key) throw new InvalidTopicError(`Topic '${name}' collides with existing topic: ${other}`);
  }
}

export function validateManualAssignment(assignment: number[][], brokerIds: number[]): void {
  const known = new Set(brokerIds);
  const rf = assignment[0]?.length ?? 0;
  if (assignment.length === 0 || rf === 0) throw new InvalidReplicaAssignmentError('The manual partition assignment is empty.');
  for (const replicas of assignment) {
    const seen = new Set<number>();
    for (const b of replicas) {
      if (!known.has(b)) throw new InvalidReplicaAssignmentError(`The manual partition assignment includes broker ${b}, but no such broker is registered.`);
      if (seen.has(b)) throw new InvalidReplicaAssignmentError(`The manual partition assignment includes the broker ${b} more than once.`);
      seen.add(b);
    }
    if (replicas.length !== rf) {
      throw new InvalidReplicaAssignmentError(
        `The manual partition assignment includes a partition with ${replicas.length} replica(s), but this is not consistent with previous partitions, which have ${rf} replica(s).`,
      );
    }
  }
}

/**
 * How many partitions the whole cluster may hold (setting max.partitions). Kafka 4.1 has no such
 * limit; without one a single CreateTopics with num_partitions=2147483647 makes the broker allocate
 * until it runs out of memory. Every partition is a directory per replica plus state in
 * metadata.json, so 200,000 is well past what one machine's data dir serves well.
 */
export const DEFAULT_MAX_PARTITIONS = 200_000;

/**
 * Refuses `adding` new partitions, before anything is allocated for them, when that is not a whole
 * number or would take the cluster past max.partitions. `existing`: the topics there are now.
 */
export function checkNewPartitions(adding: number, existing: Iterable<{ partitions: unknown[] }>, settings: Record<string, string>): void {
  const max = Number(settings['max.partitions'] ?? DEFAULT_MAX_PARTITIONS);
  if (!Number.isSafeInteger(adding)) throw new InvalidPartitionsError(`The number of partitions must be a whole number, not ${adding}.`);
  if (adding < 1) return; // the callers' own checks word this case as Kafka does
  let total = 0;
  for (const t of existing) total += t.partitions.length;
  if (adding > max - total) {
    throw new InvalidPartitionsError(
      `Adding ${adding} partition(s) would take the cluster to ${total + adding} partitions, more than max.partitions (${max}); delete topics or raise max.partitions in cluster.json.`,
    );
  }
}
