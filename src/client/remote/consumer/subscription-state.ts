// What the member reads and how far it got, as Java's SubscriptionState: the group's assignment or
// the one manually assigned partition, and each partition's position (the offset after the last
// record handed out), which is all a commit ever covers.
import type { TopicPartition, TopicPartitionOffset } from '../../types.js';

export type StartOffset = number | 'earliest' | 'latest';

const keyOf = (topic: string, partition: number) => `${topic}\0${partition}`;

export class SubscriptionState {
  /** The manually assigned partition (--partition). kafkajs has no manual assignment: see Fetcher. */
  manual: TopicPartition | undefined;
  /** Where the manual partition starts, as seek() said before the first poll. */
  manualStart: StartOffset | undefined;
  /** What the group's last join gave this member. */
  private assigned: TopicPartition[] = [];
  private readonly positions = new Map<string, TopicPartitionOffset>();

  assignment(): TopicPartition[] {
    return this.manual ? [this.manual] : [...this.assigned];
  }

  /** The partitions the group gave this member. */
  assignedByGroup(partitions: TopicPartition[]): void {
    this.assigned = partitions;
  }

  /** True for a partition of the manual assignment's topic other than the one assigned. */
  isUnassignedManually(topic: string, partition: number): boolean {
    return this.manual !== undefined && (topic !== this.manual.topic || partition !== this.manual.partition);
  }

  /** Moves a partition's position; also FetchBuffer's PositionSink. */
  readonly moveTo = (topic: string, partition: number, offset: number): void => {
    this.positions.set(keyOf(topic, partition), { topic, partition, offset });
  };

  hasPosition(tp: TopicPartition): boolean {
    return this.positions.has(keyOf(tp.topic, tp.partition));
  }

  allPositions(): TopicPartitionOffset[] {
    return [...this.positions.values()];
  }
}
