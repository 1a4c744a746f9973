// The fetch side of the remote consumer, as Java's Fetcher: kafkajs fetches and pushes each
// partition's batch to a callback, which puts it into the FetchBuffer that poll() reads. The callback
// waits while the buffer is full, so memory stays bounded; as soon as it returns, kafkajs sends the
// next fetch, while poll() hands out this one.
import type { Consumer as KjsConsumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ConsumerOptions, TopicPartition } from '../../types.js';
import { UnknownTopicOrPartitionError } from '../../../errors.js';
import { mapRemoteError } from '../errors.js';
import { FetchBuffer } from './fetch-buffer.js';
import type { StartOffset, SubscriptionState } from './subscription-state.js';

/** Records fetched ahead of poll(): about two fetches of 100-byte records. */
const BUFFER_LIMIT = 20_000;
/** Batches of different partitions are handed over side by side: one waiting for room does not hold the others. */
const PARTITIONS_CONCURRENTLY = 4;

export class Fetcher {
  readonly buffer = new FetchBuffer();
  /** kafkajs's run loop was started: seeks go to it from now on. */
  running = false;
  /** Why fetching stopped for good (the background subscription failed, kafkajs gave up), reported by the next poll(). */
  failure: Error | undefined;
  /** kafkajs gave up on the cluster (its retries spent): there is no group left to commit to. */
  crashed = false;
  private closed = false;
  private recordWaiters: Array<() => void> = [];
  private roomWaiters: Array<() => void> = [];

  constructor(
    private readonly kafka: Kafka,
    private readonly kjs: KjsConsumer,
    private readonly bootstrap: string,
    private readonly autoOffsetReset: ConsumerOptions['autoOffsetReset'],
    private readonly subscription: SubscriptionState,
  ) {
    kjs.on(kjs.events.CRASH, (e) => {
      if (e.payload.restart) return;
      this.crashed = true;
      this.failure ??= mapRemoteError(e.payload.error, bootstrap);
      this.wake();
    });
  }

  /** Connects, subscribes and starts fetching. */
  async start(topics: string[] | RegExp): Promise<void> {
    try {
      await this.kjs.connect();
      await this.subscribe(topics);
    } catch (err) {
      const mapped = mapRemoteError(err, this.bootstrap);
      if (!(mapped instanceof UnknownTopicOrPartitionError) || !Array.isArray(topics)) throw mapped;
      // A topic the broker will not create: Java's consumer waits for it to appear, where kafkajs
      // refuses the subscription. So it is retried each second until created or the consumer closes;
      // poll() meanwhile returns nothing, so --timeout-ms and signals work as usual.
      void this.waitForTopics(topics).catch((e) => {
        this.failure = mapRemoteError(e, this.bootstrap);
        this.wake();
      });
      return;
    }
    await this.run();
  }

  private subscribe(topics: string[] | RegExp) {
    const { manual, manualStart } = this.subscription;
    return this.kjs.subscribe({
      topics: topics instanceof RegExp ? [topics] : topics,
      // The private group of a manual assignment has no offsets: this is where it starts.
      fromBeginning: manual ? manualStart === 'earliest' : this.autoOffsetReset === 'earliest',
    });
  }

  private async waitForTopics(topics: string[]): Promise<void> {
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000).unref());
      if (this.closed) return;
      try {
        await this.subscribe(topics);
        break;
      } catch (err) {
        if (!(mapRemoteError(err, this.bootstrap) instanceof UnknownTopicOrPartitionError)) throw err;
      }
    }
    await this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    await this.kjs.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: (payload) => this.fetched(payload),
    });
  }

  private async fetched({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload): Promise<void> {
    // A manual assignment's private group subscribes to the whole topic: the other partitions are
    // paused, so that they are not fetched again and again.
    if (this.subscription.isUnassignedManually(batch.topic, batch.partition)) {
      pause();
      return;
    }
    while (this.buffer.size >= BUFFER_LIMIT && !this.closed && isRunning() && !isStale()) {
      await new Promise<void>((r) => this.roomWaiters.push(r));
      await heartbeat();
    }
    if (!isRunning() || isStale() || this.closed || batch.messages.length === 0) return;
    this.buffer.add(batch.topic, batch.partition, batch.messages);
    // kafkajs fetches the partition next from here; the group's commits are ours (Coordinator).
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    this.wake();
  }

  /** Moves a partition's fetch position, dropping what was fetched from the old one. */
  async seek(tp: TopicPartition, offset: StartOffset): Promise<void> {
    this.buffer.drop(tp);
    if (typeof offset === 'number') {
      this.kjs.seek({ topic: tp.topic, partition: tp.partition, offset: String(offset) });
      this.subscription.moveTo(tp.topic, tp.partition, offset);
      return;
    }
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(tp.topic);
      const p = offsets.find((x) => x.partition === tp.partition);
      if (p) this.kjs.seek({ topic: tp.topic, partition: tp.partition, offset: offset === 'earliest' ? p.low : p.high });
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits up to timeoutMs until something was fetched, unless something is already buffered. */
  async waitForRecords(timeoutMs: number): Promise<void> {
    if (this.buffer.size > 0 || this.closed) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, timeoutMs);
      this.recordWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Ends a pending waitForRecords() at once. */
  wake(): void {
    const w = this.recordWaiters;
    this.recordWaiters = [];
    for (const f of w) f();
  }

  /** Lets a batch waiting for room in the buffer in. */
  makeRoom(): void {
    const w = this.roomWaiters;
    this.roomWaiters = [];
    for (const f of w) f();
  }

  /** Stops taking batches; kafkajs itself stops at disconnect. */
  close(): void {
    this.closed = true;
    this.wake();
    this.makeRoom();
  }
}
