// kafka-get-offsets' choice of partitions (Kafka's TopicPartitionFilter): either --topic-partitions
// rules, or a --topic regex with a --partitions set. A rule is `topicRegex:partitions`, where
// partitions is N, N-M (upper bound exclusive), N- or -M, or absent for all.
import { UsageError } from '../errors.js';
import { topicPattern } from './topic-filter.js';

export interface TopicPartitionFilter {
  topicAllowed(topic: string): boolean;
  partitionAllowed(topic: string, partition: number): boolean;
}

// Kafka's TOPIC_PARTITION_PATTERN, printed in its messages as it is written there.
const RULE_SOURCE = '([^:,]*)(?::(?:([0-9]*)|(?:([0-9]*)-([0-9]*))))?';
const RULE = new RegExp(`^${RULE_SOURCE}$`);
const INT_MAX = 2147483647;

export function filterFromRules(spec: string): TopicPartitionFilter {
  const rules = spec.split(',').map((rule) => {
    const m = RULE.exec(rule);
    if (!m) throw new UsageError(`Invalid rule specification: ${rule}`);
    const group = (i: number) => (m[i] ? m[i] : undefined);
    const topic = topicPattern(group(1) ?? '.*');
    let allowed: (p: number) => boolean;
    if (group(2) !== undefined) {
      const only = Number(group(2));
      allowed = (p) => p === only;
    } else {
      const low = group(3) !== undefined ? Number(group(3)) : 0;
      const high = group(4) !== undefined ? Number(group(4)) : INT_MAX;
      allowed = (p) => p >= low && p < high;
    }
    return { topic, allowed };
  });
  return {
    topicAllowed: (t) => rules.some((r) => r.topic.test(t)),
    partitionAllowed: (t, p) => rules.some((r) => r.topic.test(t) && r.allowed(p)),
  };
}

export function filterFromTopicAndPartitions(topic: string | undefined, partitions: string | undefined): TopicPartitionFilter {
  const re = topicPattern(topic ?? '.*');
  let ids: Set<number> | undefined;
  if (partitions) {
    const parts = partitions.split(',');
    if (!parts.every((p) => /^[+-]?\d+$/.test(p) && Math.abs(Number(p)) <= INT_MAX)) {
      throw new UsageError(`--partitions expects a comma separated list of numeric partition ids, but received: ${partitions}`);
    }
    ids = new Set(parts.map(Number));
  }
  return {
    topicAllowed: (t) => re.test(t),
    partitionAllowed: (t, p) => re.test(t) && (ids === undefined || ids.has(p)),
  };
}

export const TOPIC_PARTITION_PATTERN = RULE_SOURCE;
