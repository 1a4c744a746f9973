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
