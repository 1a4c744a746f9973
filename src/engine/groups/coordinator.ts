// Group coordination without a broker process. Every member, in any process, reads and changes the
// group's state file under the group lock; whoever touches the group first after a change does the
// coordinator's work (expire silent members, start a new generation, compute its assignment).
//
// Rebalances are eager: a new generation's assignment only takes effect once every member of that
// generation has acknowledged it, and a member acknowledges only after it has committed and revoked
// the partitions of its previous generation. So within one generation no partition has two readers.
// Static members (group.instance.id) do not leave when they close: their place and partitions wait
// for them until their session times out, and a rejoin under the same instance id within it takes
// them back without a rebalance (a new member id, the same generation and assignment), as in Kafka.
// See docs/groups.md.
import { randomUUID } from 'node:crypto';
import type { AssignmentStrategy, TopicPartition } from '../../client/types.js';
import { FencedInstanceIdError, IllegalGenerationError, UnknownMemberIdError } from '../../errors.js';
import { assign } from './assignors.js';
import { isMissing, withGroup, type GroupState, type MemberState, type OffsetsFile } from './group-store.js';

export interface JoinRequest {
  groupId: string;
  /** '' to join as a new member. */
  memberId: string;
  /** group.instance.id: a static member. */
  groupInstanceId?: string;
  clientId: string;
  host: string;
  sessionTimeoutMs: number;
  strategy: AssignmentStrategy;
  topics: string[];
  /** Rebalance even if the subscription is unchanged (a subscribed topic gained partitions). */
  force?: boolean;
}

export interface MemberView {
  memberId: string;
  /** The group's current generation. */
  generation: number;
  state: GroupState['state'];
  /** The generation this member has acknowledged. */
  memberGeneration: number;
  /** The member's partitions in the group's current generation. */
  assignment: TopicPartition[];
  /** True when the group moved to a generation this member has not acknowledged yet. */
  rebalancing: boolean;
}

export class GroupCoordinator {
  constructor(
    private readonly dataDir: string,
    /** Partition count of a topic, 0 when it does not exist. */
    private readonly partitionCount: (topic: string) => number,
  ) {}

  /** Removes members whose session expired; true when membership changed. */
  private expire(g: GroupState, now: number): boolean {
    let changed = false;
    for (const m of Object.values(g.members)) {
      if (now - m.lastHeartbeat > m.sessionTimeoutMs) {
        delete g.members[m.memberId];
        changed = true;
      }
    }
    return changed;
  }

  /** Starts a new generation for the current members, with its assignment computed now. */
  private rebalance(g: GroupState, now: number): void {
    const members = Object.values(g.members).sort((a, b) => a.lastHeartbeat - b.lastHeartbeat);
    g.generation++;
    if (members.length === 0) {
      g.state = 'Empty';
      g.leader = null;
      g.protocolName = '';
      g.emptySince = now;
      return;
    }
    g.leader = g.leader && g.members[g.leader] ? g.leader : members[0].memberId;
    const strategy = g.members[g.leader].strategy;
    g.protocolName = strategy;
    const counts: Record<string, number> = {};
    for (const t of new Set(members.flatMap((m) => m.topics))) counts[t] = this.partitionCount(t);
    const result = assign(
      strategy,
      members.map((m) => ({ memberId: m.memberId, topics: m.topics, owned: m.assignment })),
      counts,
    );
    for (const m of members) m.assignment = result[m.memberId] ?? [];
    g.state = 'CompletingRebalance';
  }

  /** Stable once every member acknowledged the current generation. */
  private settle(g: GroupState): void {
    if (g.state === 'CompletingRebalance' && Object.values(g.members).every((m) => m.generation === g.generation)) g.state = 'Stable';
  }

  private view(g: GroupState, m: MemberState): MemberView {
    return {
      memberId: m.memberId,
      generation: g.generation,
      state: g.state,
      memberGeneration: m.generation,
      assignment: m.generation === g.generation ? m.assignment : [],
      rebalancing: m.generation !== g.generation,
    };
  }

  /** The member, or the error for a member that is gone: fenced when its instance id has a newer member. */
  private member(g: GroupState, memberId: string, groupInstanceId: string | undefined, gone: string): MemberState {
    const m = g.members[memberId];
    if (!isMissing(g) && m) return m;
    if (groupInstanceId !== undefined && Object.values(g.members).some((o) => o.groupInstanceId === groupInstanceId)) {
      throw new FencedInstanceIdError(`Another consumer with group.instance.id ${groupInstanceId} joined group ${g.groupId} and took its place; give each consumer its own group.instance.id.`);
    }
    throw new UnknownMemberIdError(gone);
  }

  join(req: JoinRequest): MemberView {
    return withGroup(
      this.dataDir,
      req.groupId,
      (g) => {
        const now = Date.now();
        const expired = this.expire(g, now);
        let existing = req.memberId ? g.members[req.memberId] : undefined;
        const holder = req.groupInstanceId === undefined ? undefined : Object.values(g.members).find((m) => m.groupInstanceId === req.groupInstanceId);
        if (holder && req.memberId && holder.memberId !== req.memberId) {
          throw new FencedInstanceIdError(`group.instance.id ${req.groupInstanceId} belongs to another member of group ${req.groupId} now.`);
        }
        let memberId = existing ? existing.memberId : `${req.clientId}-${randomUUID()}`;
        if (holder && !existing) {
          // A static member back within its session: a new member id in the old one's place.
          existing = holder;
          delete g.members[holder.memberId];
          if (g.leader === holder.memberId) g.leader = memberId;
        }
        const same = existing && existing.strategy === req.strategy && existing.topics.join('\0') === [...req.topics].sort().join('\0');
        g.members[memberId] = {
          memberId,
          ...(req.groupInstanceId === undefined ? {} : { groupInstanceId: req.groupInstanceId }),
          clientId: req.clientId,
          host: req.host,
          sessionTimeoutMs: req.sessionTimeoutMs,
          lastHeartbeat: now,
          strategy: req.strategy,
          topics: [...req.topics].sort(),
          generation: existing?.generation ?? -1,
          assignment: existing?.assignment ?? [],
        };
        if (!same || req.force || expired) this.rebalance(g, now);
        this.settle(g);
        return this.view(g, g.members[memberId]);
      },
      { create: true },
    );
  }

  /**
   * Heartbeat: keeps the session alive and reports whether a rebalance is waiting for this member.
   * Throws UnknownMemberIdError when the member was expired or removed.
   */
  heartbeat(groupId: string, memberId: string, groupInstanceId?: string): MemberView {
    return withGroup(this.dataDir, groupId, (g) => {
      const now = Date.now();
      if (this.expire(g, now)) this.rebalance(g, now);
      const m = this.member(g, memberId, groupInstanceId, `Member ${memberId} is not part of group ${groupId} (its session expired or it was removed); it must rejoin.`);
      m.lastHeartbeat = now;
      this.settle(g);
      return this.view(g, m);
    });
  }

  /** The member has committed and revoked its old partitions: it takes the current generation. */
  acknowledge(groupId: string, memberId: string, generation: number, groupInstanceId?: string): MemberView {
    return withGroup(this.dataDir, groupId, (g) => {
      const now = Date.now();
      if (this.expire(g, now)) this.rebalance(g, now);
      const m = this.member(g, memberId, groupInstanceId, `Member ${memberId} is not part of group ${groupId}; it must rejoin.`);
      m.lastHeartbeat = now;
      if (generation === g.generation) m.generation = generation;
      this.settle(g);
      return this.view(g, m);
    });
  }

  leave(groupId: string, memberId: string): void {
    withGroup(this.dataDir, groupId, (g) => {
      if (!g.members[memberId]) return;
      delete g.members[memberId];
      this.rebalance(g, Date.now());
      this.settle(g);
    });
  }

  /**
   * Commits offsets for a member of `generation`. A member may still commit for the generation it
   * holds while the group waits for it to acknowledge the next one (commit-before-revoke).
   * memberId '' with generation -1 is an admin/standalone commit (only for a group with no members).
   */
  commit(groupId: string, memberId: string, generation: number, offsets: Array<TopicPartition & { offset: number; metadata?: string; leaderEpoch?: number | null }>): void {
    withGroup(
      this.dataDir,
      groupId,
      (g, read, save) => {
        if (memberId !== '') {
          const m = g.members[memberId];
          if (!m) throw new UnknownMemberIdError(`Commit refused: member ${memberId} is no longer part of group ${groupId} (session expired); its partitions were reassigned.`);
          if (generation !== m.generation) throw new IllegalGenerationError(`Commit refused: generation ${generation} is not the member's current generation ${m.generation}.`);
          m.lastHeartbeat = Date.now();
        }
        const current: OffsetsFile = read();
        const now = Date.now();
        for (const o of offsets) {
          (current[o.topic] ??= {})[String(o.partition)] = { offset: o.offset, leaderEpoch: o.leaderEpoch ?? null, metadata: o.metadata ?? '', commitTimestamp: now };
        }
        save(current);
      },
      { create: true },
    );
  }
}
