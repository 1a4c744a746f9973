// The group side of the remote consumer, as Java's ConsumerCoordinator: what a join assigned, and
// the commits. kafkajs joins and heartbeats; the offsets committed are ours, from the positions of
// records the caller was handed, so a commit never covers an unseen record.
import type { Consumer as KjsConsumer, Kafka } from 'kafkajs';
import type { ConsumerOptions, TopicPartition } from '../../types.js';
import { BrokerNotAvailableError } from '../../../errors.js';
import { mapRemoteError } from '../errors.js';
import type { SubscriptionState } from './subscription-state.js';

export class Coordinator {
  private lastCommit = Date.now();
  private readonly autoCommitInterval: number;
  /** The lookup of the start positions of the last assignment (resolveStartPositions). */
  private startPositions: Promise<void> = Promise.resolve();

  constructor(
    private readonly kafka: Kafka,
    private readonly kjs: KjsConsumer,
    private readonly bootstrap: string,
    private readonly options: ConsumerOptions,
    private readonly subscription: SubscriptionState,
  ) {
    this.autoCommitInterval = Number(options.properties['auto.commit.interval.ms'] ?? 5000);
    kjs.on(kjs.events.GROUP_JOIN, (e) => {
      this.joined(Object.entries(e.payload.memberAssignment).flatMap(([topic, ps]) => (ps as number[]).map((partition) => ({ topic, partition }))));
    });
  }

  private joined(assigned: TopicPartition[]): void {
    const { subscription, kjs } = this;
    subscription.assignedByGroup(assigned);
    // The manual partition's start offset, set here, before the first fetch: a seek after run()
    // would wait for a fetch already sent from the default position (up to fetch.max.wait.ms).
    const { manual, manualStart } = subscription;
    if (manual && typeof manualStart === 'number') {
      kjs.seek({ topic: manual.topic, partition: manual.partition, offset: String(manualStart) });
      subscription.moveTo(manual.topic, manual.partition, manualStart);
    }
    // Best effort: without it, only partitions that yielded records get a commit (as before).
    this.startPositions = this.resolveStartPositions(assigned).catch(() => undefined);
  }

  /**
   * Java's consumer commits the position of every assigned partition, also of one it received no
   * record from (the position its reset policy gave it): kafkajs only knows offsets it resolved.
   * So on each assignment the start position of partitions with no committed offset is looked up.
   */
  private async resolveStartPositions(partitions: TopicPartition[]): Promise<void> {
    const { options, subscription } = this;
    if (!options.autoCommit || subscription.manual || options.autoOffsetReset === 'none' || partitions.length === 0) return;
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = [...new Set(partitions.map((p) => p.topic))];
      const committed = await admin.fetchOffsets({ groupId: options.groupId!, topics });
      for (const t of committed) {
        const ends = await admin.fetchTopicOffsets(t.topic);
        for (const p of t.partitions) {
          const tp = { topic: t.topic, partition: p.partition };
          if (Number(p.offset) >= 0 || subscription.hasPosition(tp) || !partitions.some((x) => x.topic === tp.topic && x.partition === tp.partition)) continue;
          const end = ends.find((e) => e.partition === p.partition);
          if (end) subscription.moveTo(t.topic, p.partition, Number(options.autoOffsetReset === 'earliest' ? end.low : end.high));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** Commits every partition's position. */
  async commit(): Promise<void> {
    const positions = this.subscription.allPositions();
    if (positions.length === 0) return;
    const offsets = positions.map((p) => ({ topic: p.topic, partition: p.partition, offset: String(p.offset) }));
    await this.kjs.commitOffsets(offsets).catch((err) => {
      const mapped = mapRemoteError(err, this.bootstrap);
      // kafkajs says this while it reconnects after losing the cluster.
      if (/not initialized/.test(mapped.message)) {
        throw new BrokerNotAvailableError(`Could not commit the offsets of group ${this.options.groupId}: the cluster at ${this.bootstrap} is not reachable; the group resumes from its last commit.`);
      }
      throw mapped;
    });
    this.lastCommit = Date.now();
  }

  /**
   * enable.auto.commit at each poll. As in Java's consumer, a failed auto-commit (the cluster away,
   * a rebalance) is retried at the next interval or on close, not fatal.
   */
  async commitIfDue(): Promise<void> {
    if (!this.options.autoCommit || Date.now() - this.lastCommit < this.autoCommitInterval) return;
    await this.commit().catch(() => {
      this.lastCommit = Date.now();
    });
  }

  /** The auto-commit on close, of a group member (a manual assignment's private group never commits). */
  async commitOnClose(): Promise<void> {
    if (!this.options.autoCommit || this.subscription.manual) return;
    await this.startPositions;
    await this.commit();
  }
}
