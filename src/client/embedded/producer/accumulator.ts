// The embedded producer's accumulator: records collect per partition into v2 batches (batch.size,
// linger.ms), built in place in a request buffer the partition reuses; a request's worth of
// finished batches goes to the Sender (Kafka's RecordAccumulator).
import type { ProducerOptions, SendCallback } from '../../types.js';
import type { Cluster } from '../../../engine/cluster/cluster.js';
import { varintSize } from '../../../engine/record/varint.js';
import { DefaultPartitioner } from '../../partitioner.js';
import { BatchBuilder } from '../../../engine/record/batch.js';
import { BATCH_HEADER_SIZE } from '../../../engine/record/header.js';
import { RecordTooLargeError, toKafkitError } from '../../../errors.js';
import { type Sender, settle } from './sender.js';

/**
 * One partition's share of the accumulator. `request` is allocated once and reused: finished
 * batches back to back from 0 to `used`, then the open batch, built in place (no copy when it is
 * finished).
 */
export interface Queue {
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
export interface TopicState {
  partitions: number;
  /** Cleared by a timer once the partition count is due for a re-read. */
  fresh: boolean;
  partitioner: DefaultPartitioner;
  queues: (Queue | undefined)[];
}

// Metadata is re-read at most this often, as a Kafka producer refreshes metadata periodically.
const METADATA_REFRESH_MS = 1000;

/** estimateRecordSize of { key: null, value of `len` bytes (-1: null), no headers }, without the object. */
export function valueRecordBound(len: number): number {
  const body = 18 + (len < 0 ? 1 : varintSize(len) + len);
  return varintSize(body) + body;
}

export class RecordAccumulator {
  readonly batchSize: number;
  private readonly lingerMs: number;
  // max.request.size: the producer refuses a single record bigger than this, as Kafka's does, and
  // sends a partition's full batches together up to it, as Kafka's sender fills a request.
  readonly maxRequestSize: number;
  // buffer.memory bounds what all partitions hold, as it bounds Kafka's accumulator.
  private readonly bufferMemory: number;
  private readonly topics = new Map<string, TopicState>();
  // The topic of the previous send: consecutive records of one topic skip the Map lookup.
  private lastTopic: TopicState | undefined;
  private lastTopicName = '';
  private lingerTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ProducerOptions,
    private readonly sender: Sender,
  ) {
    this.batchSize = Math.max(1, options.batchSize ?? 16384);
    this.lingerMs = options.lingerMs ?? 1000;
    this.maxRequestSize = Number(options.properties['max.request.size'] ?? 1048576);
    this.bufferMemory = Number(options.properties['buffer.memory'] ?? 33554432);
  }

  topicState(name: string): TopicState {
    if (name === this.lastTopicName && this.lastTopic!.fresh) return this.lastTopic!;
    let t = this.topics.get(name);
    if (t !== undefined && t.fresh) {
      this.lastTopicName = name;
      this.lastTopic = t;
      return t;
    }
    const existed = t !== undefined || this.cluster.topic(name) !== undefined;
    const partitions = this.cluster.ensureTopic(name).partitions.length;
    if (!existed) this.options.onTopicCreated?.(name);
    if (t === undefined) this.topics.set(name, (t = { partitions, fresh: true, partitioner: new DefaultPartitioner(this.batchSize), queues: [] }));
    t.partitions = partitions;
    t.fresh = true;
    const state = t;
    // A timer rather than a clock read per record: Date.now() was a tenth of the cost of send().
    setTimeout(() => (state.fresh = false), METADATA_REFRESH_MS).unref();
    this.lastTopicName = name;
    this.lastTopic = t;
    return t;
  }

  queueFor(t: TopicState, topic: string, partition: number): Queue {
    let q = t.queues[partition];
    if (q === undefined) {
      const { batchSize } = this;
      const requestBytes = Math.max(1, Math.min(this.maxRequestSize, Math.max(batchSize, Math.floor(this.bufferMemory / t.partitions))));
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
  private drain(q: Queue): void {
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
      settle(acks, this.sender.fail(toKafkitError(err)));
      return;
    }
    if (batch.buffer === q.request.buffer && batch.byteOffset === q.request.byteOffset + q.used) {
      q.used += batch.length;
      if (acks !== undefined) q.usedAcks = q.usedAcks === undefined ? acks : q.usedAcks.concat(acks);
      if (q.used >= q.requestBytes) this.sender.send(q);
    } else {
      // It outgrew its room in the request: what came before goes first.
      this.sender.send(q);
      settle(acks, this.sender.appendRequest(q.topic, q.partition, batch));
    }
  }

  /** Finishes every open batch and sends everything (linger.ms is up, or flush()). */
  readonly drainAll = (): void => {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    for (const t of this.topics.values()) {
      for (const q of t.queues) {
        if (q === undefined) continue;
        this.drain(q);
        this.sender.send(q);
      }
    }
  };

  tooLarge(size: number): RecordTooLargeError {
    return new RecordTooLargeError(`The message is ${size} bytes when serialized which is larger than ${this.maxRequestSize}, which is the value of the max.request.size configuration.`);
  }

  /**
   * The open batch of a partition with room for a record of (at most) `size` bytes; a batch without
   * that room is drained first. Like Kafka's accumulator, what counts is the batch's real size.
   */
  openBatch(q: Queue, size: number): BatchBuilder {
    const { batchSize } = this;
    let b = q.open;
    if (b !== undefined && b.sizeInBytes + size > batchSize) {
      this.drain(q);
      b = undefined;
    }
    if (b === undefined) {
      q.open = b = new BatchBuilder(Math.max(batchSize, size), { compression: this.options.compression }, Date.now(), { buf: q.request, start: q.used, end: q.batchEnd });
    }
    return b;
  }

  /** Accounts records just appended to the open batch: drains a full one, else makes sure linger.ms will. */
  added(q: Queue): void {
    if (q.open!.sizeInBytes >= this.batchSize) this.drain(q);
    else if (!this.lingerTimer && this.lingerMs >= 0) this.lingerTimer = setTimeout(this.drainAll, this.lingerMs);
  }
}
