// The embedded consumer: reads partition leaders of the local cluster up to the high watermark,
// and takes part in its group through the file-based coordinator (src/engine/groups).
import type { Consumer, ConsumerOptions, ConsumerRecord, TopicPartition, TopicPartitionOffset } from '../types.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import { decodeBatch } from '../../engine/record/batch.js';
import { batchSizeAt } from '../../engine/record/header.js';
import { readGroup, readOffsets, removeGroupDir } from '../../engine/groups/group-store.js';
import type { MemberView } from '../../engine/groups/coordinator.js';
import { coordinatorFor } from './group-admin.js';
import { IllegalGenerationError, InvalidGroupIdError, OffsetOutOfRangeError, UnknownMemberIdError } from '../../errors.js';

const FETCH_BYTES = 1024 * 1024;
const METADATA_REFRESH_MS = 1000;
const GROUP_CHECK_MS = 100;

const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;

export function createEmbeddedConsumer(cluster: Cluster, options: ConsumerOptions): Consumer {
  const replicas = new ReplicaManager(cluster);
  const coordinator = coordinatorFor(cluster);
  const maxPollRecords = Number(options.properties['max.poll.records'] ?? 500);
  const autoCommitIntervalMs = Number(options.properties['auto.commit.interval.ms'] ?? 5000);
  const groupId = options.groupId;

  let mode: 'none' | 'group' | 'assign' = 'none';
  let subscription: string[] | RegExp = [];
  let subscribedSignature = '';
  let memberId = '';
  let generation = -1;
  let assignedGeneration = -1;
  let assigned: TopicPartition[] = [];
  /** Next offset to hand to the application, per partition. */
  const positions = new Map<string, number>();
  /** Next offset to fetch (ahead of positions while records wait in the buffer). */
  const fetchPositions = new Map<string, number>();
  const buffered: ConsumerRecord[] = [];
  const pendingSeeks = new Map<string, number | 'earliest' | 'latest'>();
  let lastHeartbeat = 0;
  let lastGroupCheck = 0;
  let lastMetadata = 0;
  let lastCommit = Date.now();
  let woken = false;
  let waitAbort: AbortController | undefined;
  let closed = false;
  let rr = 0;

  function resolveTopics(): string[] {
    if (subscription instanceof RegExp) {
      const re = subscription;
      return cluster.topics().filter((t) => !t.internal && re.test(t.name)).map((t) => t.name);
    }
    return [...subscription];
  }

  function signature(topics: string[]): string {
    return topics
      .slice()
      .sort()
      .map((t) => `${t}:${cluster.topic(t)?.partitions.length ?? 0}`)
      .join(',');
  }

  function join(force = false): void {
    const topics = resolveTopics();
    subscribedSignature = signature(topics);
    const view = coordinator.join({
      groupId: groupId!,
      memberId,
      clientId: options.clientId,
      host: '/127.0.0.1',
      sessionTimeoutMs: options.sessionTimeoutMs,
      strategy: options.assignmentStrategy,
      topics,
      force,
    });
    memberId = view.memberId;
    lastHeartbeat = Date.now();
    handle(view);
  }

  function revoke(): void {
    assigned = [];
    assignedGeneration = -1;
    positions.clear();
    fetchPositions.clear();
    buffered.length = 0;
  }

  function handle(view: MemberView): void {
    if (view.rebalancing) {
      if (options.autoCommit && assigned.length > 0) {
        try {
          commitPositions(view.memberGeneration);
        } catch (err) {
          if (!(err instanceof IllegalGenerationError || err instanceof UnknownMemberIdError)) throw err;
        }
      }
      revoke();
      view = coordinator.acknowledge(groupId!, memberId, view.generation);
    }
    generation = view.memberGeneration;
    if (view.state === 'Stable' && !view.rebalancing) {
      if (assignedGeneration !== view.generation) {
        assigned = view.assignment;
        assignedGeneration = view.generation;
        initPositions();
      }
    } else if (assignedGeneration !== view.generation) {
      assigned = [];
    }
  }

  function initPositions(): void {
    const committed = groupId ? readOffsets(cluster.dataDir, groupId) : {};
    for (const tp of assigned) {
      if (positions.has(key(tp))) continue;
      const c = committed[tp.topic]?.[String(tp.partition)];
      const start = c ? c.offset : resetOffset(tp);
      positions.set(key(tp), start);
      fetchPositions.set(key(tp), start);
    }
  }

  function resetOffset(tp: TopicPartition): number {
    if (options.autoOffsetReset === 'none') {
      throw new OffsetOutOfRangeError(`No committed offset for partition ${tp.topic}-${tp.partition} and auto.offset.reset is none: commit an offset or use earliest/latest.`);
    }
    return replicas.listOffset(tp.topic, tp.partition, options.autoOffsetReset === 'earliest' ? 'earliest' : 'latest').offset;
  }

  function groupTick(): void {
    const now = Date.now();
    if (now - lastMetadata >= METADATA_REFRESH_MS) {
      lastMetadata = now;
      const topics = resolveTopics();
      const sig = signature(topics);
      if (sig !== subscribedSignature) {
        join(true);
        return;
      }
    }
    if (now - lastHeartbeat >= options.heartbeatIntervalMs) {
      lastHeartbeat = now;
      try {
        handle(coordinator.heartbeat(groupId!, memberId));
      } catch (err) {
        if (!(err instanceof UnknownMemberIdError)) throw err;
        // Our session expired (we were paused too long): our partitions may be someone else's now.
        revoke();
        memberId = '';
        join();
      }
      return;
    }
    if (now - lastGroupCheck >= GROUP_CHECK_MS || assignedGeneration < 0) {
      lastGroupCheck = now;
      // Cheap unlocked look: only take the lock when the group moved on or we wait for Stable.
      const g = readGroup(cluster.dataDir, groupId!);
      const me = g?.members[memberId];
      if (!g || !me) {
        revoke();
        memberId = '';
        join();
      } else if (g.generation !== generation || g.state !== 'Stable' || assignedGeneration !== g.generation) {
        lastHeartbeat = now;
        handle(coordinator.heartbeat(groupId!, memberId));
      }
    }
  }

  function applySeeks(): void {
    for (const [k, target] of pendingSeeks) {
      const tp = assigned.find((a) => key(a) === k);
      if (!tp) continue;
      const offset = target === 'earliest' || target === 'latest' ? replicas.listOffset(tp.topic, tp.partition, target).offset : target;
      positions.set(k, offset);
      fetchPositions.set(k, offset);
      for (let i = buffered.length - 1; i >= 0; i--) if (key(buffered[i]) === k) buffered.splice(i, 1);
      pendingSeeks.delete(k);
    }
  }

  function fetchInto(out: ConsumerRecord[]): void {
    const n = assigned.length;
    for (let i = 0; i < n && out.length < maxPollRecords; i++) {
      const tp = assigned[(rr + i) % n];
      const k = key(tp);
      let pos = fetchPositions.get(k);
      if (pos === undefined) {
        pos = resetOffset(tp);
        positions.set(k, pos);
        fetchPositions.set(k, pos);
      }
      let data: Buffer;
      try {
        data = replicas.read(tp.topic, tp.partition, pos, FETCH_BYTES).records;
      } catch (err) {
        if (err instanceof OffsetOutOfRangeError && options.autoOffsetReset !== 'none') {
          const reset = resetOffset(tp);
          positions.set(k, reset);
          fetchPositions.set(k, reset);
          continue;
        }
        throw err;
      }
      let next = pos;
      for (let p = 0; p < data.length; ) {
        const size = batchSizeAt(data, p);
        const batch = decodeBatch(data, p);
        p += size;
        const last = batch.header.baseOffset + batch.header.lastOffsetDelta;
        if (!batch.isControl) {
          for (const r of batch.records) {
            if (r.offset < pos) continue;
            out.push({ topic: tp.topic, partition: tp.partition, offset: r.offset, timestamp: r.timestamp, timestampType: r.timestampType, key: r.key, value: r.value, headers: r.headers, leaderEpoch: batch.header.partitionLeaderEpoch });
          }
        }
        next = Math.max(next, last + 1);
      }
      fetchPositions.set(k, next);
    }
    rr = n > 0 ? (rr + 1) % n : 0;
  }

  function take(): ConsumerRecord[] {
    const out = buffered.splice(0, maxPollRecords);
    for (const r of out) positions.set(key(r), r.offset + 1);
    return out;
  }

  function commitPositions(gen: number): void {
    if (!groupId) return;
    const offsets = assigned.filter((tp) => positions.has(key(tp))).map((tp) => ({ ...tp, offset: positions.get(key(tp))! }));
    if (offsets.length === 0) return;
    coordinator.commit(groupId, mode === 'group' ? memberId : '', mode === 'group' ? gen : -1, offsets);
    lastCommit = Date.now();
  }

  function maybeAutoCommit(): void {
    if (options.autoCommit && groupId && Date.now() - lastCommit >= autoCommitIntervalMs) commitPositions(generation);
  }

  return {
    async subscribe(topics) {
      if (!groupId) throw new InvalidGroupIdError('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
      mode = 'group';
      subscription = topics;
      join();
    },
    async assign(partitions) {
      mode = 'assign';
      assigned = [...partitions];
      for (const tp of assigned) {
        const committed = groupId ? readOffsets(cluster.dataDir, groupId)[tp.topic]?.[String(tp.partition)] : undefined;
        const start = committed ? committed.offset : resetOffset(tp);
        positions.set(key(tp), start);
        fetchPositions.set(key(tp), start);
      }
    },
    async seek(tp, offset) {
      pendingSeeks.set(key(tp), offset);
      if (assigned.some((a) => key(a) === key(tp))) applySeeks();
    },
    async poll(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      woken = false;
      for (;;) {
        if (mode === 'group') groupTick();
        applySeeks();
        if (buffered.length === 0) fetchInto(buffered);
        if (buffered.length > 0 || woken || closed || Date.now() >= deadline) {
          const out = take();
          maybeAutoCommit();
          return out;
        }
        maybeAutoCommit();
        waitAbort = new AbortController();
        const known = assigned.map((tp) => ({ ...tp, known: replicas.highWatermark(tp.topic, tp.partition) }));
        const wait = Math.max(0, Math.min(deadline - Date.now(), mode === 'group' ? GROUP_CHECK_MS : 1000));
        if (known.length === 0) await new Promise<void>((r) => {
          const t = setTimeout(r, Math.min(wait, 50));
          waitAbort!.signal.addEventListener('abort', () => (clearTimeout(t), r()), { once: true });
        });
        else await replicas.waitForData(known, wait, waitAbort.signal);
        waitAbort = undefined;
      }
    },
    assignment() {
      return [...assigned];
    },
    async commit(offsets?: TopicPartitionOffset[]) {
      if (!groupId) throw new InvalidGroupIdError('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
      if (!offsets) return commitPositions(generation);
      coordinator.commit(groupId, mode === 'group' ? memberId : '', mode === 'group' ? generation : -1, offsets);
    },
    wakeup() {
      woken = true;
      waitAbort?.abort();
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        if (groupId && options.autoCommit) {
          try {
            commitPositions(generation);
          } catch (err) {
            if (!(err instanceof IllegalGenerationError || err instanceof UnknownMemberIdError)) throw err;
          }
        }
        if (mode === 'group' && memberId) coordinator.leave(groupId!, memberId);
        // A group with no members and no committed offsets holds nothing worth keeping; Kafka's
        // coordinator drops such groups too. So ad-hoc reads without commits leave no trace.
        if (groupId) {
          const g = readGroup(cluster.dataDir, groupId);
          const offsets = readOffsets(cluster.dataDir, groupId);
          if (g && Object.keys(g.members).length === 0 && Object.keys(offsets).length === 0) removeGroupDir(cluster.dataDir, groupId);
        }
      } finally {
        replicas.close();
      }
    },
  };
}
