// kafkajs pushes batches to a callback; the tools want poll(). A bounded buffer of fetched batches
// sits between the two (FetchBuffer). Offsets are committed by us,
// from the positions of records poll() handed out, so a commit never covers an unseen record.
import type { Consumer as KjsConsumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { Consumer, ConsumerOptions, TopicPartition, TopicPartitionOffset } from '../types.js';
import { FetchBuffer } from './consumer/fetch-buffer.js';
import { BrokerNotAvailableError, InvalidGroupIdError, UnknownTopicOrPartitionError } from '../../errors.js';
import { mapRemoteError } from './errors.js';
import { partitionAssigners } from './assigners.js';

// Records fetched ahead of poll(): about two fetches of 100-byte records.
const BUFFER_LIMIT = 20_000;
const PARTITIONS_CONCURRENTLY = 4;
// Java's max.poll.records default.
const MAX_POLL_RECORDS = 500;

export async function createRemoteConsumer(kafka: Kafka, bootstrap: string, options: ConsumerOptions): Promise<Consumer> {
  if (!options.groupId) throw new InvalidGroupIdError('The remote backend needs a group id for every consumer.');
  const kafkajs = (await import('kafkajs')).default;
  const kjs: KjsConsumer = kafka.consumer({
    groupId: options.groupId,
    partitionAssigners: partitionAssigners(kafkajs, options.assignmentStrategy),
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
  const buffer = new FetchBuffer();
  const moved = (topic: string, partition: number, offset: number) => positions.set(`${topic}\0${partition}`, { topic, partition, offset });
  let waiters: Array<() => void> = [];
  let spaceWaiters: Array<() => void> = [];
  const positions = new Map<string, TopicPartitionOffset>();
  let manual: TopicPartition | undefined;
  let manualStart: number | 'earliest' | 'latest' | undefined;
  let assigned: TopicPartition[] = [];
  let running = false;
  /** A manual assignment's private group was started (at the first poll). */
  let started = false;
  /** A failure of the background subscription (waitForTopics), reported by the next poll(). */
  let startFailure: Error | undefined;
  let closed = false;
  let lastCommit = Date.now();
  const autoCommitInterval = Number(options.properties['auto.commit.interval.ms'] ?? 5000);
  const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };

  // Java's consumer commits the position of every assigned partition, also of one it received no
  // record from (the position its reset policy gave it): kafkajs only knows offsets it resolved.
  // So on each assignment the start position of partitions with no committed offset is looked up.
  let startPositions: Promise<void> = Promise.resolve();
  async function resolveStartPositions(partitions: TopicPartition[]): Promise<void> {
    if (!options.autoCommit || manual || options.autoOffsetReset === 'none' || partitions.length === 0) return;
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = [...new Set(partitions.map((p) => p.topic))];
      const committed = await admin.fetchOffsets({ groupId: options.groupId!, topics });
      for (const t of committed) {
        const ends = await admin.fetchTopicOffsets(t.topic);
        for (const p of t.partitions) {
          const k = key({ topic: t.topic, partition: p.partition });
          if (Number(p.offset) >= 0 || positions.has(k) || !partitions.some((x) => key(x) === k)) continue;
          const end = ends.find((e) => e.partition === p.partition);
          if (end) positions.set(k, { topic: t.topic, partition: p.partition, offset: Number(options.autoOffsetReset === 'earliest' ? end.low : end.high) });
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  kjs.on(kjs.events.GROUP_JOIN, (e) => {
    assigned = Object.entries(e.payload.memberAssignment).flatMap(([topic, ps]) => (ps as number[]).map((partition) => ({ topic, partition })));
    // The manual partition's start offset, set here, before the first fetch: a seek after run()
    // would wait for a fetch already sent from the default position (up to fetch.max.wait.ms).
    if (manual && typeof manualStart === 'number') {
      kjs.seek({ topic: manual.topic, partition: manual.partition, offset: String(manualStart) });
      positions.set(key(manual), { ...manual, offset: manualStart });
    }
    // Best effort: without it, only partitions that yielded records get a commit (as before).
    startPositions = resolveStartPositions(assigned).catch(() => undefined);
  });

  // kafkajs gives up on a cluster it lost (its retries spent) with a crash it does not restart:
  // the next poll() reports it, and close() has no group left to commit to.
  let crashed = false;
  kjs.on(kjs.events.CRASH, (e) => {
    if (e.payload.restart) return;
    crashed = true;
    startFailure ??= mapRemoteError(e.payload.error, bootstrap);
    wake();
  });

  const subscribe = (subscription: string[] | RegExp) =>
    kjs.subscribe({
      topics: subscription instanceof RegExp ? [subscription] : subscription,
      // The private group of a manual assignment has no offsets: this is where it starts.
      fromBeginning: manual ? manualStart === 'earliest' : options.autoOffsetReset === 'earliest',
    });

  async function start(subscription: string[] | RegExp): Promise<void> {
    try {
      await kjs.connect();
      await subscribe(subscription);
    } catch (err) {
      const mapped = mapRemoteError(err, bootstrap);
      if (!(mapped instanceof UnknownTopicOrPartitionError) || !Array.isArray(subscription)) throw mapped;
      // A topic the broker will not create: Java's consumer waits for it to appear, where kafkajs
      // refuses the subscription. So it is retried each second until created or the consumer closes;
      // poll() meanwhile returns nothing, so --timeout-ms and signals work as usual.
      void waitForTopics(subscription).catch((e) => {
        startFailure = mapRemoteError(e, bootstrap);
        wake();
      });
      return;
    }
    await run();
  }

  async function waitForTopics(subscription: string[]): Promise<void> {
    for (;;) {
      await new Promise((r) => setTimeout(r, 1000).unref());
      if (closed) return;
      try {
        await subscribe(subscription);
        break;
      } catch (err) {
        if (!(mapRemoteError(err, bootstrap) instanceof UnknownTopicOrPartitionError)) throw err;
      }
    }
    await run();
  }

  async function run(): Promise<void> {
    running = true;
    await kjs.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      // Batches of different partitions are handed over side by side, so that one partition waiting
      // for room in the buffer does not hold the others' fetches.
      partitionsConsumedConcurrently: PARTITIONS_CONCURRENTLY,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, pause }: EachBatchPayload) => {
        // A manual assignment's private group subscribes to the whole topic: the other partitions
        // are paused, so that they are not fetched again and again.
        if (manual && (batch.topic !== manual.topic || batch.partition !== manual.partition)) {
          pause();
          return;
        }
        // The callback waits while the buffer is full, so memory stays bounded; kafkajs fetches the
        // next batch as soon as it returns, while poll() hands out this one.
        while (buffer.size >= BUFFER_LIMIT && !closed && isRunning() && !isStale()) {
          await new Promise<void>((r) => spaceWaiters.push(r));
          await heartbeat();
        }
        if (!isRunning() || isStale() || closed || batch.messages.length === 0) return;
        buffer.add(batch.topic, batch.partition, batch.messages);
        // kafkajs fetches the partition next from here; the group's commits are ours (commitPositions).
        resolveOffset(batch.messages[batch.messages.length - 1].offset);
        wake();
      },
    });
  }

  async function commitPositions(): Promise<void> {
    if (positions.size === 0) return;
    const offsets = [...positions.values()].map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) }));
    await kjs.commitOffsets(offsets).catch((err) => {
      const mapped = mapRemoteError(err, bootstrap);
      // kafkajs says this while it reconnects after losing the cluster.
      if (/not initialized/.test(mapped.message)) {
        throw new BrokerNotAvailableError(`Could not commit the offsets of group ${options.groupId}: the cluster at ${bootstrap} is not reachable; the group resumes from its last commit.`);
      }
      throw mapped;
    });
    lastCommit = Date.now();
  }

  /** Lets a fetch waiting for room in the buffer go on. */
  function makeRoom(): void {
    const s = spaceWaiters;
    spaceWaiters = [];
    for (const f of s) f();
  }

  /**
   * Waits up to timeoutMs for fetched records, then makes room for the next fetch and commits if
   * auto-commit is due. The caller then hands records out, which moves the positions.
   */
  async function waitForRecords(timeoutMs: number): Promise<void> {
    if (manual && !started) {
      started = true;
      await start([manual.topic]);
    }
    if (startFailure) throw startFailure;
    if (buffer.size === 0 && !closed) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, timeoutMs);
        waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    // As in Java's consumer, a failed auto-commit (the cluster away, a rebalance) is retried at the
    // next interval or on close, not fatal. It runs before this poll's records move the positions:
    // it covers what earlier polls handed out (and the caller processed), never what it returns now.
    if (options.autoCommit && Date.now() - lastCommit >= autoCommitInterval) {
      await commitPositions().catch(() => {
        lastCommit = Date.now();
      });
    }
  }

  const consumer: Consumer = {
    async subscribe(topics) {
      await start(topics);
    },
    async assign(partitions) {
      // kafkajs has no manual assignment: a private group (never committed) subscribes to the
      // topic and everything but the one partition is skipped. It starts at the first poll(), once
      // seek() has said where.
      manual = partitions[0];
    },
    async seek(tp, offset) {
      if (!running) {
        manualStart = offset;
        return;
      }
      buffer.drop(tp);
      if (typeof offset === 'number') {
        kjs.seek({ topic: tp.topic, partition: tp.partition, offset: String(offset) });
        positions.set(key(tp), { ...tp, offset });
        return;
      }
      const admin = kafka.admin();
      await admin.connect();
      try {
        const offsets = await admin.fetchTopicOffsets(tp.topic);
        const p = offsets.find((x) => x.partition === tp.partition);
        if (p) kjs.seek({ topic: tp.topic, partition: tp.partition, offset: offset === 'earliest' ? p.low : p.high });
      } finally {
        await admin.disconnect();
      }
    },
    async poll(timeoutMs) {
      await waitForRecords(timeoutMs);
      const out = buffer.records(MAX_POLL_RECORDS, moved);
      makeRoom();
      return out;
    },
    async pollValues(timeoutMs, max, format, sink) {
      await waitForRecords(timeoutMs);
      const n = buffer.values(max, format, sink, moved);
      makeRoom();
      return n;
    },
    assignment() {
      return manual ? [manual] : [...assigned];
    },
    async commit(offsets) {
      if (offsets) for (const o of offsets) positions.set(key(o), o);
      await commitPositions();
    },
    wakeup() {
      wake();
    },
    async close() {
      if (closed) return;
      closed = true;
      wake();
      for (const f of spaceWaiters) f();
      try {
        if (options.autoCommit && !manual && !crashed) {
          await startPositions;
          await commitPositions();
        }
      } finally {
        await kjs.disconnect();
      }
    },
  };
  return consumer;
}
