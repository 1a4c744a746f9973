// What the embedded consumer reads: how it subscribed, the partitions assigned to it, and where it
// stands in each (Kafka's SubscriptionState).
import type { TopicPartition } from '../../types.js';
import type { OffsetsFile } from '../../../engine/groups/group-store.js';

export const tpKey = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;

export type SeekTarget = number | 'earliest' | 'latest';

export class SubscriptionState {
  mode: 'none' | 'group' | 'assign' = 'none';
  subscription: string[] | RegExp = [];
  assigned: TopicPartition[] = [];
  /** The group generation `assigned` came from (-1: none, or assigned by hand). */
  assignedGeneration = -1;
  /** Next offset to hand to the application, per partition. */
  readonly positions = new Map<string, number>();
  /** Next offset to fetch (ahead of positions while records wait in the buffer). */
  readonly fetchPositions = new Map<string, number>();
  readonly pendingSeeks = new Map<string, SeekTarget>();

  /** Both the position and the fetch position of partition `k` move to `offset`. */
  seekTo(k: string, offset: number): void {
    this.positions.set(k, offset);
    this.fetchPositions.set(k, offset);
  }

  isAssigned(tp: TopicPartition): boolean {
    const k = tpKey(tp);
    return this.assigned.some((a) => tpKey(a) === k);
  }

  /** Starts each newly assigned partition at its committed offset, else where `reset` says. */
  initPositions(committed: OffsetsFile, reset: (tp: TopicPartition) => number): void {
    for (const tp of this.assigned) {
      if (this.positions.has(tpKey(tp))) continue;
      const c = committed[tp.topic]?.[String(tp.partition)];
      this.seekTo(tpKey(tp), c ? c.offset : reset(tp));
    }
  }

  /** The positions of the assigned partitions, as a commit takes them. */
  committable(): (TopicPartition & { offset: number })[] {
    return this.assigned.filter((tp) => this.positions.has(tpKey(tp))).map((tp) => ({ ...tp, offset: this.positions.get(tpKey(tp))! }));
  }

  revoke(): void {
    this.assigned = [];
    this.assignedGeneration = -1;
    this.positions.clear();
    this.fetchPositions.clear();
  }
}
