// kafka-delete-records output, as Kafka's DeleteRecordsCommand prints it. A failed partition shows
// the Java exception Kafka's admin client would raise for the broker's error code.
import type { DeletedRecords, ItemResult } from '../client/types.js';
import { KafkitError } from '../errors.js';

export const EXECUTING = 'Executing records delete operation\n';
export const COMPLETED = 'Records delete operation completed:\n';

// Kafka's exception class and default message per error name, for the errors DeleteRecords returns.
const JAVA_ERRORS: Record<string, [string, string]> = {
  OFFSET_OUT_OF_RANGE: ['OffsetOutOfRangeException', 'The requested offset is not within the range of offsets maintained by the server.'],
  UNKNOWN_TOPIC_OR_PARTITION: ['UnknownTopicOrPartitionException', 'This server does not host this topic-partition.'],
  LEADER_NOT_AVAILABLE: ['LeaderNotAvailableException', 'There is no leader for this topic-partition as we are in the middle of a leadership election.'],
  NOT_LEADER_OR_FOLLOWER: ['NotLeaderOrFollowerException', 'For requests intended only for the leader, this error indicates that the broker is not the current leader. For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.'],
  POLICY_VIOLATION: ['PolicyViolationException', 'Request parameters do not satisfy the configured policy.'],
  TOPIC_AUTHORIZATION_FAILED: ['TopicAuthorizationException', 'Topic authorization failed.'],
  REQUEST_TIMED_OUT: ['TimeoutException', 'The request timed out.'],
  KAFKA_STORAGE_ERROR: ['KafkaStorageException', 'Disk error when trying to access log file on the disk.'],
};

export function javaErrorText(err: Error): string {
  const known = err instanceof KafkitError ? JAVA_ERRORS[err.kafkaName] : undefined;
  return known ? `org.apache.kafka.common.errors.${known[0]}: ${known[1]}` : err.message;
}

/** The per-partition lines, sorted by partition name (Kafka prints them in hash order). */
export function formatDeleteResults(results: ItemResult<DeletedRecords>[]): string {
  const keyed = results.map((r) => ({ key: `${r.item.topic}-${r.item.partition}`, r }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map(({ key, r }) => (r.error ? `partition: ${key}\terror: ${javaErrorText(r.error)}\n` : `partition: ${key}\tlow_watermark: ${r.item.lowWatermark}\n`)).join('');
}
