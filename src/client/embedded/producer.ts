// The embedded producer: Kafka's accumulator in miniature. Records collect per partition into v2
// batches (batch.size, linger.ms); full batches go to the local cluster a request's worth at a time.
import type { Producer, ProducerOptions, ProducerRecord } from '../types.js';
import { varintSize } from '../../engine/record/varint.js';
import { DefaultPartitioner } from '../partitioner.js';
import { BatchBuilder, decodeBatch, encodeBatch, estimateRecordSize, type RecordInput } from '../../engine/record/batch.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { RecordTooLargeError, UnknownTopicOrPartitionError, toKafkitError } from '../../errors.js';

interface Pending {
  topic: string;
  partition: number;
  /** The batch, encoded record by record as they arrive; its size counts against batch.size, as in Kafka. */
  builder: BatchBuilder;
}

/** Per-topic send state, found once per record by one Map lookup (no key string per record). */
interface TopicState {
  partitions: number;
  /** Cleared by a timer once the partition count is due for a re-read. */
  fresh: boolean;
  partitioner: DefaultPartitioner;
  /** The open batch of each partition. */
  pending: (Pending | undefined)[];
}

// Metadata is re-read at most this often, as a Kafka producer refreshes metadata periodically.
const METADATA_REFRESH_MS = 1000;

export function createEmbeddedProducer(cluster: Cluster, options: ProducerOptions): Producer {
  const replicas = new ReplicaManager(cluster);
  const topics = new Map<string, TopicState>();
  const batchSize = Math.max(1, options.batchSize ?? 16384);
  const lingerMs = options.lingerMs ?? 1000;
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
    const partitions = cluster.ensureTopic(name).partitions.length;
    if (t === undefined) topics.set(name, (t = { partitions, fresh: true, partitioner: new DefaultPartitioner(batchSize), pending: [] }));
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
  // max.request.size: the producer refuses a single record bigger than this, as Kafka's does.
  const maxRequestSize = Number(options.properties['max.request.size'] ?? 1048576);

  // Full batches wait here until a request's worth (max.request.size) is ready for their
  // partition, then go to the log in one append, as Kafka's sender puts many batches in a request.
  // Only the encoded batches are kept: holding their records too would keep ~70k objects alive
  // past the young generation, and the rare retry can decode the batches again.
  const ready = new Map<string, { topic: string; partition: number; batches: Buffer[]; bytes: number }>();

  function drain(p: Pending): void {
    topics.get(p.topic)!.pending[p.partition] = undefined;
    // A batch whose only record was refused (a bad timestamp) holds nothing to send.
    if (p.builder.count === 0) return;
    const key = `${p.topic}\0${p.partition}`;
    let r = ready.get(key);
    if (!r) ready.set(key, (r = { topic: p.topic, partition: p.partition, batches: [], bytes: 0 }));
    try {
      const batch = p.builder.build();
      r.batches.push(batch);
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
        for (const batch of r.batches) {
          const records = decodeBatch(batch).records.map((d): RecordInput => ({ key: d.key, value: d.value, headers: d.headers, timestamp: d.timestamp }));
          appendSplitting(r.topic, r.partition, records);
        }
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
    for (const t of topics.values()) {
      for (const p of t.pending) if (p !== undefined) drain(p);
    }
    for (const key of [...ready.keys()]) send(key);
  }

  const tooLarge = (size: number) =>
    new RecordTooLargeError(`The message is ${size} bytes when serialized which is larger than ${maxRequestSize}, which is the value of the max.request.size configuration.`);

  /**
   * The open batch of a partition with room for a record of (at most) `size` bytes; a batch without
   * that room is drained first. Like Kafka's accumulator, what counts is the batch's real size.
   */
  function pendingFor(t: TopicState, topic: string, partition: number, size: number): Pending {
    let p = t.pending[partition];
    if (p !== undefined && p.builder.sizeInBytes + size > batchSize) {
      drain(p);
      p = undefined;
    }
    if (p === undefined) t.pending[partition] = p = { topic, partition, builder: new BatchBuilder(Math.max(batchSize, size), { compression: options.compression }) };
    return p;
  }

  /** Accounts a record just appended to `p`: drains a full batch, else makes sure linger.ms will. */
  function added(p: Pending): void {
    if (p.builder.sizeInBytes >= batchSize) drain(p);
    else if (!lingerTimer && lingerMs >= 0) lingerTimer = setTimeout(drainAll, lingerMs);
  }

  return {
    send(record: ProducerRecord) {
      const size = estimateRecordSize(record);
      if (size > maxRequestSize) {
        failure ??= tooLarge(size);
        return undefined;
      }
      let partition = record.partition;
      let t: TopicState;
      try {
        t = topicState(record.topic);
        if (partition === undefined) {
          partition = t.partitioner.partition(record.key, t.partitions, size);
        } else if (partition < 0 || partition >= t.partitions) {
          throw new UnknownTopicOrPartitionError(`Partition ${partition} of topic '${record.topic}' does not exist (it has ${t.partitions} partition(s)).`);
        }
        pendingFor(t, record.topic, partition, size).builder.append(record);
      } catch (err) {
        failure ??= toKafkitError(err);
        return undefined;
      }
      added(t.pending[partition]!);
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
      for (let i = 0; i < count; i++) {
        const start = starts[i];
        // estimateRecordSize of { key: null, value, headers: none }, without the object.
        const len = start < 0 ? -1 : ends[i] - start;
        const body = 18 + (len < 0 ? 1 : varintSize(len) + len);
        const size = varintSize(body) + body;
        if (size > maxRequestSize) {
          failure ??= tooLarge(size);
          continue;
        }
        const partition = t.partitioner.partition(null, t.partitions, size);
        const p = pendingFor(t, topic, partition, size);
        try {
          p.builder.appendValue(data, start, ends[i]);
        } catch (err) {
          failure ??= toKafkitError(err);
          continue;
        }
        added(p);
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
