// The controller's election outcomes as Kafka's errors, with the texts its controller sends
// (ReplicationControlManager.electLeader): shared by the embedded Admin and the ElectLeaders API.
import {
  ElectionNotNeededError,
  EligibleLeadersNotAvailableError,
  PreferredLeaderNotAvailableError,
  UnknownTopicOrPartitionError,
  type KafkitError,
} from '../../errors.js';
import type { Cluster, ElectionResult } from './cluster.js';

/** Kafka's default texts (Errors.java), which its controller leaves the message null for. */
export const DEFAULT_ELECTION_MESSAGES: Record<number, string> = {
  84: 'Leader election not needed for topic partition.',
  80: 'The preferred leader was not available.',
  83: 'Eligible topic partition leaders are not available.',
  3: 'This server does not host this topic-partition.',
};

export function electionError(cluster: Cluster, r: ElectionResult): KafkitError | undefined {
  switch (r.outcome) {
    case 'elected':
      return undefined;
    case 'ELECTION_NOT_NEEDED':
      return new ElectionNotNeededError(DEFAULT_ELECTION_MESSAGES[84]);
    case 'PREFERRED_LEADER_NOT_AVAILABLE':
      return new PreferredLeaderNotAvailableError(DEFAULT_ELECTION_MESSAGES[80]);
    case 'ELIGIBLE_LEADERS_NOT_AVAILABLE':
      return new EligibleLeadersNotAvailableError(DEFAULT_ELECTION_MESSAGES[83]);
    case 'UNKNOWN_TOPIC_OR_PARTITION':
      return new UnknownTopicOrPartitionError(cluster.topic(r.topic) ? `No such partition as ${r.topic}-${r.partition}` : `No such topic as ${r.topic}`);
  }
}

/** Kafka's controller leaves partitions needing no election out of an all-partitions answer. */
export function electWithErrors(cluster: Cluster, type: 'PREFERRED' | 'UNCLEAN', targets?: Array<{ topic: string; partition: number }>): Array<{ result: ElectionResult; error: KafkitError | undefined }> {
  return cluster
    .electLeaders(type, targets)
    .filter((r) => targets !== undefined || r.outcome !== 'ELECTION_NOT_NEEDED')
    .map((result) => ({ result, error: electionError(cluster, result) }));
}
