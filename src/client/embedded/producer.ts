// The embedded producer: Kafka's accumulator in miniature. Records collect per partition into v2
// batches (batch.size, linger.ms); full batches go to the local cluster a request's worth at a time.
import type { Producer, ProducerOptions, ProducerRecord, SendCallback } from '../types.js';
import { varintSize } from '../../engine/record/varint.js';
import { DefaultPartitioner } from '../partitioner.js';
import { BatchBuilder, decodeBatch, encodeBatch, estimateRecordSize, type RecordInput } from '../../engine/record/batch.js';
import { BATCH_HEADER_SIZE, batchSizeAt } from '../../engine/record/header.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import {
  LeaderNotAvailableError,
  NotEnoughReplicasError,
  NotLeaderOrFollowerError,
  RecordTooLargeError,
  RequestTimedOutError,
  UnknownTopicOrPartitionError,
  toKafkitError,
} from '../../errors.js';
import { sleepSync } from '../../engine/fs/sleep.js';

/**
 * One partition's share of the accumulator. `request` is allocated once and reused: finished
 * batches back to back from 0 to `used`, then the open batch, built in place (no copy when it is
 * finished).
 */
interface Queue {
  topic: string;
  partition: number;
  request: Buffer;
  used: number;
  /** Finished batches are sent once they take this much (max.request.size or less). */
  requestBytes: number;
  /** Where the open batch may grow to. */
  batchEnd: number;
  open: BatchBuilder | undefined;
  /** Callbacks of the open batch's records, and of the finished batches in `request` (undefined: none given). */
  openAcks: SendCallback[] | undefined;
  usedAcks: SendCallback[] | undefined;
}

/** Per-topic send state, found once per record by one Map lookup (no key string per record). */
interface TopicState {
  partitions: number;
  /** Cleared by a timer once the partition count is due for a re-read. */
  fresh: boolean;
  partitioner: DefaultPartitioner;
  queues: (Queue | undefined)[];
}

// Metadata is re-read at most this often, as a Kafka producer refreshes metadata periodically.
const METADATA_REFRESH_MS = 1000;

/** estimateRecordSize of { key: null, value of `len` bytes (-1: null), no headers }, without the object. */
function valueRecordBound(len: number): number {
  const body = 18 + (len < 0 ? 1 : varintSize(len) + len);
  return varintSize(body) + body;
}

export function createEmbeddedProducer(cluster: Cluster, options: ProducerOptions): Producer {
  const replicas = new ReplicaManager(cluster);
  const topics = new Map<string, TopicState>();
  const batchSize = Math.max(1, options.batchSize ?? 16384);
  const lingerMs = options.lingerMs ?? 1000;
  // max.request.size: the producer refuses a single record bigger than this, as Kafka's does, and
  // sends a partition's full batches together up to it, as Kafka's sender fills a request.
  const maxRequestSize = Number(options.properties['max.request.size'] ?? 1048576);
  // buffer.memory bounds what all partitions hold, as it bounds Kafka's accumulator.
  const bufferMemory = Number(options.properties['buffer.memory'] ?? 33554432);
  // The topic of the previous send: consecutive records of one topic skip the Map lookup.
  let lastTopic: TopicState | undefined;
  let lastTopicName = '';
  const topicState = (name: string): TopicState => {
    if (name === lastTopicName && lastTopic!.fresh) return lastTopic!;
    let t = topics.get(name);
    if (t !== undefined && t.fresh) {
      lastTopicName = name;
      lastTopic = t;
      return t;
    }
    const existed = t !== undefined || cluster.topic(name) !== undefined;
    const partitions = cluster.ensureTopic(name).partitions.length;
    if (!existed) options.onTopicCreated?.(name);
    if (t === undefined) topics.set(name, (t = { partitions, fresh: true, partitioner: new DefaultPartitioner(batchSize), queues: [] }));
    t.partitions = partitions;
    t.fresh = true;
    const state = t;
    // A timer rather than a clock read per record: Date.now() was a tenth of the cost of send().
    setTimeout(() => (state.fresh = false), METADATA_REFRESH_MS).unref();
    lastTopicName = name;
    lastTopic = t;
    return t;
  };
  let failure: Error | undefined;
  let lingerTimer: NodeJS.Timeout | undefined;

  function queueFor(t: TopicState, topic: string, partition: number): Queue {
    let q = t.queues[partition];
    if (q === undefined) {
      const requestBytes = Math.max(1, Math.min(maxRequestSize, Math.max(batchSize, Math.floor(bufferMemory / t.partitions))));
      const batchEnd = requestBytes + BATCH_HEADER_SIZE + batchSize;
      t.queues[partition] = q = {
        topic,
        partition,
        request: Buffer.allocUnsafeSlow(batchEnd),
        used: 0,
        requestBytes,
        batchEnd,
        open: undefined,
        openAcks: undefined,
        usedAcks: undefined,
      };
    }
    return q;
  }

  /** Finishes the open batch; a request's worth of finished batches is sent. */
  function drain(q: Queue): void {
    const b = q.open;
    const acks = q.openAcks;
    q.open = undefined;
    q.openAcks = undefined;
    // A batch whose only record was refused (a bad timestamp) holds nothing to send.
    if (b === undefined || b.count === 0) return;
    let batch: Buffer;
    try {
      batch = b.build();
    } catch (err) {
      const e = toKafkitError(err);
      failure ??= e;
      settle(acks, e);
      return;
    }
    if (batch.buffer === q.request.buffer && batch.byteOffset === q.request.byteOffset + q.used) {
      q.used += batch.length;
      if (acks !== undefined) q.usedAcks = q.usedAcks === undefined ? acks : q.usedAcks.concat(acks);
      if (q.used >= q.requestBytes) send(q);
    } else {
      // It outgrew its room in the request: what came before goes first.
      send(q);
      settle(acks, appendRequest(q.topic, q.partition, batch));
    }
  }

  function send(q: Queue): void {
    if (q.used === 0) return;
    const data = q.request.subarray(0, q.used);
    const acks = q.usedAcks;
    q.used = 0;
    q.usedAcks = undefined;
    settle(acks, appendRequest(q.topic, q.partition, data));
  }

  /** The records' acknowledgement: the append returned, so every replica `acks` asks for has them. */
  function settle(acks: SendCallback[] | undefined, error: Error | undefined): void {
    if (acks === undefined) return;
    for (const ack of acks) ack(error);
  }

  // The log takes the batches as they are (no second CRC pass: they were just built here); the
  // request buffer is free again when append returns. Returns the failure, if any.
  function appendRequest(topic: string, partition: number, data: Buffer): Error | undefined {
    try {
      withRetries(topic, partition, () => replicas.append(topic, partition, data, options.acks, { crcChecked: true }));
    } catch (err) {
      if (!(err instanceof RecordTooLargeError)) {
        const e = toKafkitError(err);
        failure ??= e;
        return e;
      }
      // Nothing was written: retry batch by batch, splitting any that is too large.
      try {
        for (let pos = 0; pos < data.length; pos += batchSizeAt(data, pos)) {
          const records = decodeBatch(data, pos).records.map((d): RecordInput => ({ key: d.key, value: d.value, headers: d.headers, timestamp: d.timestamp }));
          appendSplitting(topic, partition, records);
        }
      } catch (e) {
        const error = toKafkitError(e);
        failure ??= error;
        return error;
      }
    }
    return undefined;
  }

  // A batch above the topic's max.message.bytes is split rather than refused, as long as each
  // record fits on its own.
  function appendSplitting(topic: string, partition: number, records: RecordInput[]): void {
    const batch = encodeBatch(records, { compression: options.compression });
    try {
      withRetries(topic, partition, () => replicas.append(topic, partition, batch, options.acks));
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

  // Kafka's producer through a failover: a partition without a leader holds its batches until
  // delivery.timeout.ms; a NOT_ENOUGH_REPLICAS answer is retried `retries` times, retry.backoff.ms
  // apart. Nothing was written by a refused attempt, so a retry never duplicates.
  const retries = Number(options.properties.retries ?? 2147483647);
  const backoffMs = Number(options.properties['retry.backoff.ms'] ?? 100);
  const deliveryTimeoutMs = Number(options.properties['delivery.timeout.ms'] ?? 120000);
  function withRetries<T>(topic: string, partition: number, attempt: () => T): T {
    const started = Date.now();
    for (let tries = 0; ; ) {
      try {
        return attempt();
      } catch (err) {
        const waiting = err instanceof LeaderNotAvailableError || err instanceof NotLeaderOrFollowerError;
        if (!waiting && !(err instanceof NotEnoughReplicasError)) throw err;
        if (!waiting && tries++ >= retries) throw err;
        if (Date.now() - started + backoffMs > deliveryTimeoutMs) {
          if (!waiting) throw err;
          throw new RequestTimedOutError(
            `org.apache.kafka.common.errors.TimeoutException: Expiring record(s) for ${topic}-${partition}: ${deliveryTimeoutMs} ms has passed since batch creation (${(err as Error).message})`,
          );
        }
        sleepSync(backoffMs);
      }
    }
  }

  function drainAll(): void {
    if (lingerTimer) {
      clearTimeout(lingerTimer);
      lingerTimer = undefined;
    }
    for (const t of topics.values()) {
      for (const q of t.queues) {
        if (q === undefined) continue;
        drain(q);
        send(q);
      }
    }
  }

  const tooLarge = (size: number) =>
    new RecordTooLargeError(`The message is ${size} bytes when serialized which is larger than ${maxRequestSize}, which is the value of the max.request.size configuration.`);

  /**
   * The open batch of a partition with room for a record of (at most) `size` bytes; a batch without
   * that room is drained first. Like Kafka's accumulator, what counts is the batch's real size.
   */
  function openBatch(q: Queue, size: number): BatchBuilder {
    let b = q.open;
    if (b !== undefined && b.sizeInBytes + size > batchSize) {
      drain(q);
      b = undefined;
    }
    if (b === undefined) {
      q.open = b = new BatchBuilder(Math.max(batchSize, size), { compression: options.compression }, Date.now(), { buf: q.request, start: q.used, end: q.batchEnd });
    }
    return b;
  }

  /** Accounts records just appended to the open batch: drains a full one, else makes sure linger.ms will. */
  function added(q: Queue): void {
    if (q.open!.sizeInBytes >= batchSize) drain(q);
    else if (!lingerTimer && lingerMs >= 0) lingerTimer = setTimeout(drainAll, lingerMs);
  }

  return {
    send(record: ProducerRecord, onAcknowledged?: SendCallback) {
      const size = estimateRecordSize(record);
      if (size > maxRequestSize) {
        const e = tooLarge(size);
        failure ??= e;
        onAcknowledged?.(e);
        return undefined;
      }
      let partition = record.partition;
      let q: Queue;
      try {
        const t = topicState(record.topic);
        if (partition === undefined) {
          partition = t.partitioner.partition(record.key, t.partitions, size);
        } else if (partition < 0 || partition >= t.partitions) {
          throw new UnknownTopicOrPartitionError(`Partition ${partition} of topic '${record.topic}' does not exist (it has ${t.partitions} partition(s)).`);
        }
        q = queueFor(t, record.topic, partition);
        openBatch(q, size).append(record);
      } catch (err) {
        const e = toKafkitError(err);
        failure ??= e;
        onAcknowledged?.(e);
        return undefined;
      }
      if (onAcknowledged !== undefined) (q.openAcks ??= []).push(onAcknowledged);
      added(q);
      return undefined;
    },
    sendValues(topic: string, data: Buffer, starts: Int32Array, ends: Int32Array, count: number) {
      let t: TopicState;
      try {
        t = topicState(topic);
      } catch (err) {
        failure ??= toKafkitError(err);
        return undefined;
      }
      // A run of records at a time: the sticky partition holds for a whole batch, so one choice
      // covers all the records that fill it.
      for (let i = 0; i < count; ) {
        const size = valueRecordBound(starts[i] < 0 ? -1 : ends[i] - starts[i]);
        if (size > maxRequestSize) {
          failure ??= tooLarge(size);
          i++;
          continue;
        }
        const q = queueFor(t, topic, t.partitioner.partition(null, t.partitions, 0));
        let next: number;
        try {
          const b = openBatch(q, size);
          const before = b.sizeInBytes;
          // Within max.request.size too, so that no record after the first can be too large to send.
          next = b.appendValues(data, 0, starts, ends, i, count, Math.min(batchSize, maxRequestSize));
          t.partitioner.produced(b.sizeInBytes - before);
        } catch (err) {
          failure ??= toKafkitError(err);
          i++;
          continue;
        }
        added(q);
        i = next;
      }
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
