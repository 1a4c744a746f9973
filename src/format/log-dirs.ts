// kafka-log-dirs' JSON. Kafka builds it from Java HashMaps and Jackson prints them in HashMap
// iteration order, so the key order (`{"brokers":...,"version":1}`) and the order of partitions
// (by TopicPartition.hashCode) are reproduced here rather than sorted.
import type { BrokerLogDirs } from '../client/types.js';

function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/** Java's TopicPartition.hashCode. */
export function topicPartitionHash(topic: string, partition: number): number {
  return (Math.imul(31, 31 + partition) + javaStringHash(topic)) | 0;
}

/** The order in which a java.util.HashMap built from `items` (in this order) iterates them. */
export function javaHashMapOrder<T>(items: T[], hash: (item: T) => number): T[] {
  let capacity = 16;
  while (items.length > capacity * 0.75) capacity *= 2;
  const bucketOf = (item: T) => {
    const h = hash(item);
    return ((h ^ (h >>> 16)) & (capacity - 1)) >>> 0;
  };
  return items.map((item, i) => ({ item, i, b: bucketOf(item) })).sort((a, b) => a.b - b.b || a.i - b.i).map((x) => x.item);
}

const str = (s: string) => JSON.stringify(s);

export function formatLogDirsJson(brokers: BrokerLogDirs[], topics: Set<string>): string {
  const brokerParts = [...brokers]
    .sort((a, b) => a.broker - b.broker)
    .map((b) => {
      const dirs = b.logDirs.map((d) => {
        const replicas = d.replicas.filter((r) => topics.size === 0 || topics.has(r.topic));
        const ordered = javaHashMapOrder(replicas, (r) => topicPartitionHash(r.topic, r.partition));
        const partitions = ordered.map((r) => `{"partition":${str(`${r.topic}-${r.partition}`)},"size":${r.size},"offsetLag":${r.offsetLag},"isFuture":${r.isFuture}}`);
        return `{"partitions":[${partitions.join(',')}],"error":${d.error === null ? 'null' : str(d.error)},"logDir":${str(d.path)}}`;
      });
      return `{"broker":${b.broker},"logDirs":[${dirs.join(',')}]}`;
    });
  return `{"brokers":[${brokerParts.join(',')}],"version":1}`;
}
