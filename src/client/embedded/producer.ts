// The embedded producer: Kafka's accumulator in miniature. Records collect per partition into v2
// batches (batch.size, linger.ms); full batches go to the local cluster a request's worth at a time.
import type { Producer, ProducerOptions, ProducerRecord } from '../types.js';
import { DefaultPartitioner } from '../partitioner.js';
import { encodeBatch, estimateRecordSize, type RecordInput } from '../../engine/record/batch.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { RecordTooLargeError, UnknownTopicOrPartitionError, toKafkitError } from '../../errors.js';

interface Pending {
  topic: string;
  partition: number;
  records: RecordInput[];
  bytes: number;
}

export function createEmbeddedProducer(cluster: Cluster, options: ProducerOptions): Producer {
  const replicas = new ReplicaManager(cluster);
  const partitioners = new Map<string, DefaultPartitioner>();
  const pending = new Map<string, Pending>();
  // Metadata is re-read at most this often, as a Kafka producer refreshes metadata periodically.
  const topicCache = new Map<string, { partitions: number; at: number }>();
  const partitionCount = (name: string) => {
    const hit = topicCache.get(name);
    const now = Date.now();
    if (hit && now - hit.at < 1000) return hit.partitions;
    const partitions = cluster.ensureTopic(name).partitions.length;
    topicCache.set(name, { partitions, at: now });
    return partitions;
  };
  const batchSize = Math.max(1, options.batchSize);
  let failure: Error | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;
  // max.request.size: the producer refuses a single record bigger than this, as Kafka's does.
  const maxRequestSize = Number(options.properties['max.request.size'] ?? 1048576);

  // Full batches wait here until a request's worth (max.request.size) is ready for their
  // partition, then go to the log in one append, as Kafka's sender puts many batches in a request.
  const ready = new Map<string, { topic: string; partition: number; batches: Buffer[]; records: RecordInput[][]; bytes: number }>();

  function drain(p: Pending): void {
    const key = `${p.topic}\0${p.partition}`;
    pending.delete(key);
    let r = ready.get(key);
    if (!r) ready.set(key, (r = { topic: p.topic, partition: p.partition, batches: [], records: [], bytes: 0 }));
    try {
      const batch = encodeBatch(p.records, { compression: options.compression });
      r.batches.push(batch);
      r.records.push(p.records);
      r.bytes += batch.length;
    } catch (err) {
      failure ??= toKafkitError(err);
    }
    if (r.bytes >= maxRequestSize) send(key);
  }

  function send(key: string): void {
    const r = ready.get(key);
    if (!r) return;
    ready.delete(key);
    if (r.batches.length === 0) return;
    try {
      replicas.append(r.topic, r.partition, r.batches.length === 1 ? r.batches[0] : Buffer.concat(r.batches), options.acks);
    } catch (err) {
      if (!(err instanceof RecordTooLargeError)) {
        failure ??= toKafkitError(err);
        return;
      }
      // Nothing was written: retry batch by batch, splitting any that is too large.
      try {
        for (const records of r.records) appendSplitting(r.topic, r.partition, records);
      } catch (e) {
        failure ??= toKafkitError(e);
      }
    }
  }

  // A batch above the topic's max.message.bytes is split rather than refused, as long as each
  // record fits on its own.
  function appendSplitting(topic: string, partition: number, records: RecordInput[]): void {
    const batch = encodeBatch(records, { compression: options.compression });
    try {
      replicas.append(topic, partition, batch, options.acks);
    } catch (err) {
      if (err instanceof RecordTooLargeError && records.length > 1) {
        const half = Math.ceil(records.length / 2);
        appendSplitting(topic, partition, records.slice(0, half));
        appendSplitting(topic, partition, records.slice(half));
        return;
      }
      throw err;
    }
  }

  function drainAll(): void {
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
    }
    for (const p of [...pending.values()]) drain(p);
    for (const key of [...ready.keys()]) send(key);
  }

  return {
    send(record: ProducerRecord) {
      const input: RecordInput = { key: record.key, value: record.value, headers: record.headers, timestamp: record.timestamp };
      const size = estimateRecordSize(input);
      if (size > maxRequestSize) {
        failure ??= new RecordTooLargeError(
          `The message is ${size} bytes when serialized which is larger than ${maxRequestSize}, which is the value of the max.request.size configuration.`,
        );
        return undefined;
      }
      let partition = record.partition;
      try {
        const count = partitionCount(record.topic);
        if (partition === undefined) {
          let partitioner = partitioners.get(record.topic);
          if (!partitioner) partitioners.set(record.topic, (partitioner = new DefaultPartitioner(batchSize)));
          partition = partitioner.partition(record.key, count, size);
        } else if (partition < 0 || partition >= count) {
          throw new UnknownTopicOrPartitionError(`Partition ${partition} of topic '${record.topic}' does not exist (it has ${count} partition(s)).`);
        }
      } catch (err) {
        failure ??= toKafkitError(err);
        return undefined;
      }
      const key = `${record.topic}\0${partition}`;
      let p = pending.get(key);
      if (!p) pending.set(key, (p = { topic: record.topic, partition, records: [], bytes: 0 }));
      if (p.bytes > 0 && p.bytes + size > batchSize) {
        drain(p);
        pending.set(key, (p = { topic: record.topic, partition, records: [], bytes: 0 }));
      }
      p.records.push(input);
      p.bytes += size;
      if (p.bytes >= batchSize) drain(p);
      else if (!lingerTimer && options.lingerMs >= 0) lingerTimer = setTimeout(drainAll, options.lingerMs);
      return undefined;
    },
    async flush() {
      drainAll();
      if (failure) {
        const f = failure;
        failure = undefined;
        throw f;
      }
    },
    async close() {
      try {
        await this.flush();
      } finally {
        replicas.close();
      }
    },
  };
}
