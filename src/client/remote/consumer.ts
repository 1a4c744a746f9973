// The remote consumer: kafkajs under the poll() interface the tools use. Its parts are named as in
// Java's consumer: SubscriptionState (what is read and the positions), Fetcher (kafkajs's fetches
// into a bounded FetchBuffer), Coordinator (the assignment and the commits).
import type { Kafka } from 'kafkajs';
import type { Consumer, ConsumerOptions } from '../types.js';
import { InvalidGroupIdError, UsageError } from '../../errors.js';
import { partitionAssigners } from './assigners.js';
import { Coordinator } from './consumer/coordinator.js';
import { Fetcher } from './consumer/fetcher.js';
import { SubscriptionState } from './consumer/subscription-state.js';

/** Java's max.poll.records default. */
const MAX_POLL_RECORDS = 500;

export async function createRemoteConsumer(kafka: Kafka, bootstrap: string, options: ConsumerOptions): Promise<Consumer> {
  if (!options.groupId) throw new InvalidGroupIdError('The remote backend needs a group id for every consumer.');
  if (options.properties['group.instance.id']) {
    throw new UsageError('group.instance.id (static membership) is not available with --bootstrap-server: its client, kafkajs, has no static membership. Leave it out, or use the embedded engine.');
  }
  const kafkajs = (await import('kafkajs')).default;
  const subscription = new SubscriptionState();
  const kjs = kafka.consumer({
    groupId: options.groupId,
    // The current assignment is read when the assigner is asked for its metadata, i.e. at the next join.
    partitionAssigners: partitionAssigners(kafkajs, options.assignmentStrategy, () => ({ partitions: subscription.assignment(), generation: -1 })),
    sessionTimeout: options.sessionTimeoutMs,
    heartbeatInterval: options.heartbeatIntervalMs,
    readUncommitted: options.isolationLevel === 'read_uncommitted',
    // Java's default: subscribing to a missing topic has a broker with auto.create.topics.enable create it.
    allowAutoTopicCreation: options.properties['allow.auto.create.topics'] !== 'false',
    // Java's fetch defaults, not kafkajs's: its 5 s fetch wait also held every close (so every
    // --max-messages run) for up to 5 s, since kafkajs disconnects only after the fetch in flight.
    maxWaitTimeInMs: Number(options.properties['fetch.max.wait.ms'] ?? 500),
    minBytes: Number(options.properties['fetch.min.bytes'] ?? 1),
    maxBytes: Number(options.properties['fetch.max.bytes'] ?? 52428800),
    maxBytesPerPartition: Number(options.properties['max.partition.fetch.bytes'] ?? 1048576),
  });
  const fetcher = new Fetcher(kafka, kjs, bootstrap, options.autoOffsetReset, subscription);
  const coordinator = new Coordinator(kafka, kjs, bootstrap, options, subscription);
  /** A manual assignment's private group was started (at the first poll). */
  let started = false;
  let closed = false;

  /**
   * What every poll does before it hands records out: starts a manual assignment's group, waits
   * up to timeoutMs for fetched records, and auto-commits if due. The commit runs before this
   * poll's records move the positions: it covers what earlier polls handed out (and the caller
   * processed), never what this one returns.
   */
  async function beforeHandOut(timeoutMs: number): Promise<void> {
    if (subscription.manual && !started) {
      started = true;
      await fetcher.start([subscription.manual.topic]);
    }
    if (fetcher.failure) throw fetcher.failure;
    await fetcher.waitForRecords(timeoutMs);
    await coordinator.commitIfDue();
  }

  return {
    async subscribe(topics) {
      await fetcher.start(topics);
    },
    async assign(partitions) {
      // kafkajs has no manual assignment: a private group (never committed) subscribes to the
      // topic, and the Fetcher pauses every partition but this one. It starts at the first poll(),
      // once seek() has said where.
      subscription.manual = partitions[0];
    },
    async seek(tp, offset) {
      if (fetcher.running) await fetcher.seek(tp, offset);
      else subscription.manualStart = offset;
    },
    async poll(timeoutMs) {
      await beforeHandOut(timeoutMs);
      const records = fetcher.buffer.records(MAX_POLL_RECORDS, subscription.moveTo);
      fetcher.makeRoom();
      return records;
    },
    async pollValues(timeoutMs, max, format, sink) {
      await beforeHandOut(timeoutMs);
      const n = fetcher.buffer.values(max, format, sink, subscription.moveTo);
      fetcher.makeRoom();
      return n;
    },
    assignment() {
      return subscription.assignment();
    },
    async commit(offsets) {
      if (offsets) for (const o of offsets) subscription.moveTo(o.topic, o.partition, o.offset);
      await coordinator.commit();
    },
    wakeup() {
      fetcher.wake();
    },
    async close() {
      if (closed) return;
      closed = true;
      fetcher.close();
      try {
        if (!fetcher.crashed) await coordinator.commitOnClose();
      } finally {
        await kjs.disconnect();
      }
    },
  };
}
