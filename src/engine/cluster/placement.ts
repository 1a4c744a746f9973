// Kafka's rack-unaware replica placement (AdminUtils.assignReplicasToBrokersRackUnaware).
import { InvalidPartitionsError, InvalidReplicationFactorError } from '../../errors.js';

export interface PlacementOptions {
  /** Fixed start index; random in [0, n) when omitted. */
  startIndex?: number;
  /** Fixed initial replica shift; random in [0, n) when omitted. */
  replicaShift?: number;
  /** First partition id (adding partitions to an existing topic). */
  firstPartitionId?: number;
  random?: () => number;
}

export function assignReplicas(brokerIds: number[], partitions: number, replicationFactor: number, options: PlacementOptions = {}): number[][] {
  if (partitions <= 0) throw new InvalidPartitionsError('Number of partitions must be larger than 0.');
  if (replicationFactor <= 0) throw new InvalidReplicationFactorError('Replication factor must be larger than 0.');
  const brokers = [...brokerIds].sort((a, b) => a - b);
  const n = brokers.length;
  if (replicationFactor > n) {
    throw new InvalidReplicationFactorError(
      `Unable to replicate the partition ${replicationFactor} time(s): The target replication factor of ${replicationFactor} cannot be reached because only ${n} broker(s) are registered.`,
    );
  }
  const random = options.random ?? Math.random;
  const startIndex = options.startIndex ?? Math.floor(random() * n);
  let shift = options.replicaShift ?? options.startIndex ?? Math.floor(random() * n);
  let current = Math.max(0, options.firstPartitionId ?? 0);
  const out: number[][] = [];
  for (let i = 0; i < partitions; i++) {
    if (current > 0 && current % n === 0) shift++;
    const first = (current + startIndex) % n;
    const replicas = [brokers[first]];
    for (let j = 0; j < replicationFactor - 1; j++) replicas.push(brokers[(first + 1 + ((shift + j) % (n - 1))) % n]);
    out.push(replicas);
    current++;
  }
  return out;
}
