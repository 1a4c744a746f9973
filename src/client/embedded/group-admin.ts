// The group half of the embedded Admin: list, describe, offsets, deletes.
import type { Admin, CommittedOffset, GroupDescription, GroupListing, ItemResult, TopicPartition, TopicPartitionOffset } from '../types.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { GroupCoordinator } from '../../engine/groups/coordinator.js';
import { groupExists, listGroupIds, readOffsets, removeGroupDir, withGroup, type GroupState } from '../../engine/groups/group-store.js';
import { GroupIdNotFoundError, GroupSubscribedToTopicError, NonEmptyGroupError } from '../../errors.js';

type GroupAdmin = Pick<Admin, 'listGroups' | 'describeGroups' | 'fetchCommittedOffsets' | 'alterCommittedOffsets' | 'deleteGroups' | 'deleteCommittedOffsets'>;

export function coordinatorFor(cluster: Cluster): GroupCoordinator {
  return new GroupCoordinator(cluster.dataDir, (t) => cluster.topic(t)?.partitions.length ?? 0);
}

/** Current state with expired members removed (what a broker would report). */
function liveGroup(cluster: Cluster, groupId: string): GroupState | null {
  if (!groupExists(cluster.dataDir, groupId)) return null;
  return withGroup(cluster.dataDir, groupId, (g) => {
    const now = Date.now();
    const expired = Object.values(g.members).filter((m) => now - m.lastHeartbeat > m.sessionTimeoutMs);
    if (expired.length > 0) {
      for (const m of expired) delete g.members[m.memberId];
      if (Object.keys(g.members).length === 0) {
        g.state = 'Empty';
        g.generation++;
        g.leader = null;
        g.protocolName = '';
        g.emptySince = now;
      } else {
        // The survivors notice at their next heartbeat and run the rebalance themselves.
        g.state = 'PreparingRebalance';
      }
    }
    return structuredClone(g);
  });
}

/**
 * An Empty group goes away, as in Kafka, once it has no committed offsets: at once when it never had
 * any (a console consumer without --group, for instance), else after offsets.retention.minutes.
 */
function expireOffsets(cluster: Cluster, g: GroupState): void {
  if (g.state !== 'Empty') return;
  const minutes = Number(cluster.settings()['offsets.retention.minutes']);
  const noOffsets = Object.keys(readOffsets(cluster.dataDir, g.groupId)).length === 0;
  if (noOffsets || Date.now() - g.emptySince > minutes * 60_000) removeGroupDir(cluster.dataDir, g.groupId);
}

/** What --describe --state shows as an embedded group's coordinator host (port -1: none). */
export const EMBEDDED_COORDINATOR_HOST = 'embedded';

export function createGroupAdmin(cluster: Cluster): GroupAdmin {
  const coordinator = coordinatorFor(cluster);
  // No broker listens for an embedded group: its coordinator's work is done in-process by whichever
  // client touches the group file. A host:port here would name a server that may not be running.
  const coordinatorBroker = () => ({ id: cluster.controllerId(), host: EMBEDDED_COORDINATOR_HOST, port: -1, rack: null });
  return {
    async listGroups(): Promise<GroupListing[]> {
      const out: GroupListing[] = [];
      for (const id of listGroupIds(cluster.dataDir)) {
        const g = liveGroup(cluster, id);
        if (!g) continue;
        expireOffsets(cluster, g);
        if (!groupExists(cluster.dataDir, id)) continue;
        out.push({ groupId: id, state: g.state, type: 'Classic', protocolType: g.protocolType });
      }
      return out;
    },
    async describeGroups(ids: string[]): Promise<GroupDescription[]> {
      return ids.map((groupId) => {
        const g = liveGroup(cluster, groupId);
        if (!g) return { groupId, state: 'Dead', type: 'Classic', protocolType: '', assignmentStrategy: '', coordinator: coordinatorBroker(), members: [] };
        return {
          groupId,
          state: g.state,
          type: 'Classic',
          protocolType: g.protocolType,
          assignmentStrategy: g.protocolName,
          coordinator: coordinatorBroker(),
          members: Object.values(g.members)
            .sort((a, b) => (a.memberId < b.memberId ? -1 : 1))
            .map((m) => ({
              memberId: m.memberId,
              groupInstanceId: m.groupInstanceId ?? null,
              clientId: m.clientId,
              host: m.host,
              assignment: m.generation === g.generation ? m.assignment : [],
            })),
        };
      });
    },
    async fetchCommittedOffsets(groupId: string, partitions?: TopicPartition[]): Promise<CommittedOffset[]> {
      const stored = readOffsets(cluster.dataDir, groupId);
      const out: CommittedOffset[] = [];
      for (const [topic, byPartition] of Object.entries(stored)) {
        for (const [p, o] of Object.entries(byPartition)) {
          const partition = Number(p);
          if (partitions && !partitions.some((tp) => tp.topic === topic && tp.partition === partition)) continue;
          out.push({ topic, partition, offset: o.offset, leaderEpoch: o.leaderEpoch, metadata: o.metadata });
        }
      }
      return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    },
    async alterCommittedOffsets(groupId: string, offsets: TopicPartitionOffset[]): Promise<void> {
      const g = liveGroup(cluster, groupId);
      if (g && Object.keys(g.members).length > 0) {
        throw new NonEmptyGroupError(`Assignments can only be reset if the group '${groupId}' is inactive, but the current state is ${g.state}.`);
      }
      coordinator.commit(groupId, '', -1, offsets);
    },
    async deleteGroups(ids: string[]): Promise<ItemResult<string>[]> {
      return ids.map((id) => {
        const g = liveGroup(cluster, id);
        if (!g) return { item: id, error: new GroupIdNotFoundError(`Group '${id}' does not exist.`) };
        if (Object.keys(g.members).length > 0) return { item: id, error: new NonEmptyGroupError('The group is not empty.') };
        removeGroupDir(cluster.dataDir, id);
        return { item: id };
      });
    },
    async deleteCommittedOffsets(groupId: string, partitions: TopicPartition[]): Promise<ItemResult<TopicPartition>[]> {
      const g = liveGroup(cluster, groupId);
      if (!g) return partitions.map((item) => ({ item, error: new GroupIdNotFoundError(`Group '${groupId}' does not exist.`) }));
      const subscribed = new Set(Object.values(g.members).flatMap((m) => m.topics));
      return withGroup(cluster.dataDir, groupId, (_g, read, save) => {
        const offsets = read();
        const results = partitions.map((item) => {
          if (subscribed.has(item.topic)) return { item, error: new GroupSubscribedToTopicError('The group is actively subscribed to the topic.') };
          delete offsets[item.topic]?.[String(item.partition)];
          if (offsets[item.topic] && Object.keys(offsets[item.topic]).length === 0) delete offsets[item.topic];
          return { item };
        });
        save(offsets);
        return results;
      });
    },
  };
}

/** A deleted topic's committed offsets go with it, in every group. */
export function removeTopicOffsets(cluster: Cluster, topic: string): void {
  for (const id of listGroupIds(cluster.dataDir)) {
    if (!readOffsets(cluster.dataDir, id)[topic]) continue;
    withGroup(cluster.dataDir, id, (_g, read, save) => {
      const offsets = read();
      delete offsets[topic];
      save(offsets);
    });
  }
}
