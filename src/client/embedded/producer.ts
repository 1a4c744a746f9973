// The embedded producer: Kafka's accumulator in miniature. Records collect per partition into v2
// batches (batch.size, linger.ms); full batches go to the local cluster a request's worth at a time.
// Its parts, as in Kafka's producer: producer/accumulator.ts (per-partition queues and batches) and
// producer/sender.ts (appends, retries, splitting).
import type { Producer, ProducerOptions, ProducerRecord, SendCallback } from '../types.js';
import { estimateRecordSize } from '../../engine/record/batch.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { UnknownTopicOrPartitionError, toKafkitError } from '../../errors.js';
import { RecordAccumulator, type Queue, type TopicState, valueRecordBound } from './producer/accumulator.js';
import { Sender } from './producer/sender.js';

export function createEmbeddedProducer(cluster: Cluster, options: ProducerOptions): Producer {
  const replicas = new ReplicaManager(cluster);
  const sender = new Sender(replicas, options);
  const accumulator = new RecordAccumulator(cluster, options, sender);
  const { batchSize, maxRequestSize } = accumulator;

  return {
    send(record: ProducerRecord, onAcknowledged?: SendCallback) {
      const size = estimateRecordSize(record);
      if (size > maxRequestSize) {
        const e = sender.fail(accumulator.tooLarge(size));
        onAcknowledged?.(e);
        return undefined;
      }
      let partition = record.partition;
      let q: Queue;
      try {
        const t = accumulator.topicState(record.topic);
        if (partition === undefined) {
          partition = t.partitioner.partition(record.key, t.partitions, size);
        } else if (partition < 0 || partition >= t.partitions) {
          throw new UnknownTopicOrPartitionError(`Partition ${partition} of topic '${record.topic}' does not exist (it has ${t.partitions} partition(s)).`);
        }
        q = accumulator.queueFor(t, record.topic, partition);
        accumulator.openBatch(q, size).append(record);
      } catch (err) {
        const e = sender.fail(toKafkitError(err));
        onAcknowledged?.(e);
        return undefined;
      }
      if (onAcknowledged !== undefined) (q.openAcks ??= []).push(onAcknowledged);
      accumulator.added(q);
      return undefined;
    },
    sendValues(topic: string, data: Buffer, starts: Int32Array, ends: Int32Array, count: number) {
      let t: TopicState;
      try {
        t = accumulator.topicState(topic);
      } catch (err) {
        sender.fail(toKafkitError(err));
        return undefined;
      }
      // A run of records at a time: the sticky partition holds for a whole batch, so one choice
      // covers all the records that fill it.
      for (let i = 0; i < count; ) {
        const size = valueRecordBound(starts[i] < 0 ? -1 : ends[i] - starts[i]);
        if (size > maxRequestSize) {
          sender.fail(accumulator.tooLarge(size));
          i++;
          continue;
        }
        const q = accumulator.queueFor(t, topic, t.partitioner.partition(null, t.partitions, 0));
        let next: number;
        try {
          const b = accumulator.openBatch(q, size);
          const before = b.sizeInBytes;
          // Within max.request.size too, so that no record after the first can be too large to send.
          next = b.appendValues(data, 0, starts, ends, i, count, Math.min(batchSize, maxRequestSize));
          t.partitioner.produced(b.sizeInBytes - before);
        } catch (err) {
          sender.fail(toKafkitError(err));
          i++;
          continue;
        }
        accumulator.added(q);
        i = next;
      }
      return undefined;
    },
    async flush() {
      accumulator.drainAll();
      const f = sender.takeFailure();
      if (f) throw f;
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
