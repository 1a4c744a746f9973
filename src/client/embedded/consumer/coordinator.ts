// The embedded consumer's part in its group, through the engine's file-based GroupCoordinator:
// join, heartbeats, the assignment, commits and leaving (Kafka's ConsumerCoordinator).
import type { ConsumerOptions, TopicPartitionOffset } from '../../types.js';
import type { Cluster } from '../../../engine/cluster/cluster.js';
import { readGroup, readOffsets, removeGroupDir } from '../../../engine/groups/group-store.js';
import type { GroupCoordinator, MemberView } from '../../../engine/groups/coordinator.js';
import { coordinatorFor } from '../group-admin.js';
import { IllegalGenerationError, KafkaStorageError, UnknownMemberIdError } from '../../../errors.js';
import { warn } from '../../../engine/warn.js';
import type { SubscriptionState } from './subscription-state.js';
import type { Fetcher } from './fetcher.js';

const METADATA_REFRESH_MS = 1000;
export const GROUP_CHECK_MS = 100;

export class ConsumerCoordinator {
  private readonly coordinator: GroupCoordinator;
  private readonly groupInstanceId: string | undefined;
  private readonly autoCommitIntervalMs: number;
  private subscribedSignature = '';
  private memberId = '';
  private generation = -1;
  private lastHeartbeat = 0;
  private lastGroupCheck = 0;
  private lastMetadata = 0;
  private lastCommit = Date.now();
  /** A private group whose membership could not be written: this consumer reads every partition alone. */
  private solo = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly options: ConsumerOptions,
    private readonly subs: SubscriptionState,
    private readonly fetcher: Fetcher,
  ) {
    this.coordinator = coordinatorFor(cluster);
    this.groupInstanceId = options.properties['group.instance.id']?.trim() || undefined;
    this.autoCommitIntervalMs = Number(options.properties['auto.commit.interval.ms'] ?? 5000);
  }

  private get groupId(): string | undefined {
    return this.options.groupId;
  }

  private resolveTopics(): string[] {
    const subscription = this.subs.subscription;
    if (subscription instanceof RegExp) {
      const re = subscription;
      return this.cluster.topics().filter((t) => !t.internal && re.test(t.name)).map((t) => t.name);
    }
    return [...subscription];
  }

  private signature(topics: string[]): string {
    return topics
      .slice()
      .sort()
      .map((t) => `${t}:${this.cluster.topic(t)?.partitions.length ?? 0}`)
      .join(',');
  }

  join(force = false): void {
    const topics = this.resolveTopics();
    this.subscribedSignature = this.signature(topics);
    if (this.solo) return this.assignAll(topics);
    let view: MemberView;
    try {
      view = this.coordinator.join({
        groupId: this.groupId!,
        memberId: this.memberId,
        groupInstanceId: this.groupInstanceId,
        clientId: this.options.clientId,
        host: '/127.0.0.1',
        sessionTimeoutMs: this.options.sessionTimeoutMs,
        strategy: this.options.assignmentStrategy,
        topics,
        force,
      });
    } catch (err) {
      // Kafka's console consumer without --group joins a group nobody else knows of; it only shows
      // in --list. On a full disk that membership cannot be written, and reading needs none of it:
      // the records are still there, and reading them is how a user finds out what the disk holds.
      if (!(err instanceof KafkaStorageError) || !this.options.privateGroup) throw err;
      warn(`${err.message.replace(/: free some disk space and retry\.$/, '')}: reading every partition without joining group ${this.groupId} (it is not listed while this runs).`);
      this.solo = true;
      return this.assignAll(topics);
    }
    this.memberId = view.memberId;
    this.lastHeartbeat = Date.now();
    this.handle(view);
  }

  /** As the sole member of a group would be assigned: every partition of the topics. */
  private assignAll(topics: string[]): void {
    this.subs.assigned = topics.flatMap((topic) => (this.cluster.topic(topic)?.partitions ?? []).map((p) => ({ topic, partition: p.partition })));
    this.subs.assignedGeneration = 0;
    this.subs.initPositions({}, (tp) => this.fetcher.resetOffset(tp));
  }

  private revoke(): void {
    this.subs.revoke();
    this.fetcher.clear();
  }

  private handle(view: MemberView): void {
    const subs = this.subs;
    if (view.rebalancing) {
      if (this.options.autoCommit && subs.assigned.length > 0) {
        try {
          this.commitPositions(view.memberGeneration);
        } catch (err) {
          if (!(err instanceof IllegalGenerationError || err instanceof UnknownMemberIdError)) throw err;
        }
      }
      this.revoke();
      view = this.coordinator.acknowledge(this.groupId!, this.memberId, view.generation, this.groupInstanceId);
    }
    this.generation = view.memberGeneration;
    if (view.state === 'Stable' && !view.rebalancing) {
      if (subs.assignedGeneration !== view.generation) {
        subs.assigned = view.assignment;
        subs.assignedGeneration = view.generation;
        const committed = this.groupId ? readOffsets(this.cluster.dataDir, this.groupId) : {};
        subs.initPositions(committed, (tp) => this.fetcher.resetOffset(tp));
      }
    } else if (subs.assignedGeneration !== view.generation) {
      subs.assigned = [];
    }
  }

  /** The group work of one round of poll(): rejoin on new metadata, heartbeat, follow the group. */
  poll(): void {
    const now = Date.now();
    const { groupInstanceId, coordinator } = this;
    const groupId = this.groupId!;
    if (now - this.lastMetadata >= METADATA_REFRESH_MS) {
      this.lastMetadata = now;
      const topics = this.resolveTopics();
      const sig = this.signature(topics);
      if (sig !== this.subscribedSignature) {
        this.join(true);
        return;
      }
    }
    if (this.solo) return;
    if (now - this.lastHeartbeat >= this.options.heartbeatIntervalMs) {
      this.lastHeartbeat = now;
      try {
        this.handle(coordinator.heartbeat(groupId, this.memberId, groupInstanceId));
      } catch (err) {
        if (!(err instanceof UnknownMemberIdError)) throw err;
        // Our session expired (we were paused too long): our partitions may be someone else's now.
        this.revoke();
        this.memberId = '';
        this.join();
      }
      return;
    }
    if (now - this.lastGroupCheck >= GROUP_CHECK_MS || this.subs.assignedGeneration < 0) {
      this.lastGroupCheck = now;
      // Cheap unlocked look: only take the lock when the group moved on or we wait for Stable.
      const g = readGroup(this.cluster.dataDir, groupId);
      const me = g?.members[this.memberId];
      // Our instance id taken by a newer member: the heartbeat reports that we were fenced.
      if (g && !me && this.memberId && groupInstanceId !== undefined && Object.values(g.members).some((m) => m.groupInstanceId === groupInstanceId)) coordinator.heartbeat(groupId, this.memberId, groupInstanceId);
      if (!g || !me) {
        this.revoke();
        this.memberId = '';
        this.join();
      } else if (g.generation !== this.generation || g.state !== 'Stable' || this.subs.assignedGeneration !== g.generation) {
        this.lastHeartbeat = now;
        this.handle(coordinator.heartbeat(groupId, this.memberId, groupInstanceId));
      }
    }
  }

  private commitPositions(gen: number): void {
    if (!this.groupId) return;
    const offsets = this.subs.committable();
    if (offsets.length === 0) return;
    this.commitOffsets(offsets, gen);
    this.lastCommit = Date.now();
  }

  /** Commits `offsets`, or the current positions when none are given. */
  commit(offsets?: TopicPartitionOffset[]): void {
    if (!offsets) return this.commitPositions(this.generation);
    this.commitOffsets(offsets, this.generation);
  }

  private commitOffsets(offsets: TopicPartitionOffset[], gen: number): void {
    const group = this.subs.mode === 'group' && !this.solo;
    this.coordinator.commit(this.groupId!, group ? this.memberId : '', group ? gen : -1, offsets);
  }

  maybeAutoCommit(): void {
    if (this.options.autoCommit && this.groupId && Date.now() - this.lastCommit >= this.autoCommitIntervalMs) this.commitPositions(this.generation);
  }

  /** The last commit, leaving the group, and dropping a group that holds nothing. */
  close(): void {
    const groupId = this.groupId;
    // A last commit that fails (a full disk) is reported, but the member still leaves, as Kafka's
    // consumer does: otherwise the next member would wait out this one's session.
    let failed: unknown;
    if (groupId && this.options.autoCommit) {
      try {
        this.commitPositions(this.generation);
      } catch (err) {
        if (!(err instanceof IllegalGenerationError || err instanceof UnknownMemberIdError)) failed = err;
      }
    }
    // A static member does not leave: its partitions wait for it until its session times out.
    try {
      if (this.subs.mode === 'group' && this.memberId && this.groupInstanceId === undefined) this.coordinator.leave(groupId!, this.memberId);
    } catch (err) {
      throw failed ?? err;
    }
    if (failed !== undefined) throw failed;
    // A group with no members and no committed offsets holds nothing worth keeping; Kafka's
    // coordinator drops such groups too. So ad-hoc reads without commits leave no trace.
    if (groupId) {
      const g = readGroup(this.cluster.dataDir, groupId);
      const offsets = readOffsets(this.cluster.dataDir, groupId);
      if (g && Object.keys(g.members).length === 0 && Object.keys(offsets).length === 0) removeGroupDir(this.cluster.dataDir, groupId);
    }
  }
}
