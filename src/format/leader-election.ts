// kafka-leader-election's report, as Kafka 4.1's LeaderElectionCommand prints it: the elected
// partitions, those that needed no election, then one line per failure. Kafka collects each group
// in a java.util.HashSet/HashMap, so partitions come in that iteration order, not sorted.
import type { ElectionType, ItemResult, TopicPartition } from '../client/types.js';
import { ElectionNotNeededError } from '../errors.js';
import { javaHashMapOrder, topicPartitionHash } from './log-dirs.js';

export interface ElectionReport {
  /** The lines for stdout. */
  text: string;
  /** How many partitions could not be elected (the command then fails). */
  failed: number;
}

const name = (p: TopicPartition) => `${p.topic}-${p.partition}`;
const javaOrder = <T extends { item: TopicPartition }>(items: T[]) => javaHashMapOrder(items, (r) => topicPartitionHash(r.item.topic, r.item.partition));

/** Kafka prints the exception itself: its class, then its message. */
export function javaExceptionText(err: Error): string {
  return `org.apache.kafka.common.errors.${err.constructor.name.replace(/Error$/, 'Exception')}: ${err.message}`;
}

export function formatElectionResults(type: ElectionType, results: ItemResult<TopicPartition>[]): ElectionReport {
  const succeeded = results.filter((r) => !r.error);
  const noop = results.filter((r) => r.error instanceof ElectionNotNeededError);
  const failed = results.filter((r) => r.error && !(r.error instanceof ElectionNotNeededError));
  const lines: string[] = [];
  if (succeeded.length > 0) lines.push(`Successfully completed leader election (${type}) for partitions ${javaOrder(succeeded).map((r) => name(r.item)).join(', ')}`);
  if (noop.length > 0) lines.push(`Valid replica already elected for partitions ${javaOrder(noop).map((r) => name(r.item)).join(', ')}`);
  for (const r of javaOrder(failed)) lines.push(`Error completing leader election (${type}) for partition: ${name(r.item)}: ${javaExceptionText(r.error!)}`);
  return { text: lines.map((l) => `${l}\n`).join(''), failed: failed.length };
}

/** What Kafka's command throws after printing the failures (its message goes to stderr). */
export function electionFailureText(failed: number): string {
  return `${failed} replica(s) could not be elected`;
}
