// The embedded consumer: reads partition leaders of the local cluster up to the high watermark,
// and takes part in its group through the file-based coordinator (src/engine/groups).
import type { ByteSink, Consumer, ConsumerOptions, ConsumerRecord, TopicPartition, TopicPartitionOffset, ValueLineFormat } from '../types.js';
import type { Cluster } from '../../engine/cluster/cluster.js';
import { ReplicaManager } from '../../engine/cluster/replica-manager.js';
import { decodeBatchEach, type RecordVisitor } from '../../engine/record/batch.js';
import { positionsView, valueLinesOf } from '../../engine/record/value-lines.js';
import { BATCH_HEADER_SIZE, CONTROL_BIT, LOG_OVERHEAD, OFFSET_ATTRIBUTES, OFFSET_LEADER_EPOCH, batchSizeAt, readBatchHeader } from '../../engine/record/header.js';
import { readGroup, readOffsets, removeGroupDir } from '../../engine/groups/group-store.js';
import type { MemberView } from '../../engine/groups/coordinator.js';
import { coordinatorFor } from './group-admin.js';
import { CorruptBatchError, CorruptRecordError, IllegalGenerationError, InvalidGroupIdError, LeaderNotAvailableError, NotLeaderOrFollowerError, OffsetOutOfRangeError, UnknownMemberIdError } from '../../errors.js';

const FETCH_BYTES = 1024 * 1024;
const METADATA_REFRESH_MS = 1000;
const GROUP_CHECK_MS = 100;

const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;

interface Fetched {
  topic: string;
  partition: number;
  key: string;
  data: Buffer;
  /** The next batch to decode. */
  pos: number;
  /** The fetch offset: records before it (in the first batch) were consumed already. */
  from: number;
}

export function createEmbeddedConsumer(cluster: Cluster, options: ConsumerOptions): Consumer {
  const replicas = new ReplicaManager(cluster);
  const coordinator = coordinatorFor(cluster);
  const maxPollRecords = Number(options.properties['max.poll.records'] ?? 500);
  // check.crcs, as Java's consumer has it: on by default.
  const checkCrcs = options.properties['check.crcs']?.trim().toLowerCase() !== 'false';
  const autoCommitIntervalMs = Number(options.properties['auto.commit.interval.ms'] ?? 5000);
  const groupId = options.groupId;
  const groupInstanceId = options.properties['group.instance.id']?.trim() || undefined;

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
  /**
   * Fetched record sets, decoded a batch at a time as poll() needs records: a 1 MiB fetch decoded
   * at once would be ~70k objects that outlive the young generation while they wait to be polled.
   */
  const fetched: Fetched[] = [];
  /** Decoded records not yet handed out; those before bufferedHead were (no O(n) splice per poll). */
  const buffered: ConsumerRecord[] = [];
  let bufferedHead = 0;
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
      groupInstanceId,
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
    fetched.length = 0;
    buffered.length = 0;
    bufferedHead = 0;
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
      view = coordinator.acknowledge(groupId!, memberId, view.generation, groupInstanceId);
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
        handle(coordinator.heartbeat(groupId!, memberId, groupInstanceId));
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
      // Our instance id taken by a newer member: the heartbeat reports that we were fenced.
      if (g && !me && memberId && groupInstanceId !== undefined && Object.values(g.members).some((m) => m.groupInstanceId === groupInstanceId)) coordinator.heartbeat(groupId!, memberId, groupInstanceId);
      if (!g || !me) {
        revoke();
        memberId = '';
        join();
      } else if (g.generation !== generation || g.state !== 'Stable' || assignedGeneration !== g.generation) {
        lastHeartbeat = now;
        handle(coordinator.heartbeat(groupId!, memberId, groupInstanceId));
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
      buffered.splice(0, bufferedHead);
      bufferedHead = 0;
      for (let i = buffered.length - 1; i >= 0; i--) if (key(buffered[i]) === k) buffered.splice(i, 1);
      for (let i = fetched.length - 1; i >= 0; i--) if (fetched[i].key === k) fetched.splice(i, 1);
      pendingSeeks.delete(k);
    }
  }

  function fetchInto(): void {
    const n = assigned.length;
    let records = 0;
    for (let i = 0; i < n && records < maxPollRecords; i++) {
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
        // No live leader (its brokers are stopped): wait for one, as Kafka's consumer waits for metadata.
        if (err instanceof LeaderNotAvailableError || err instanceof NotLeaderOrFollowerError) continue;
        throw err;
      }
      // Batch headers give the next fetch offset; the records are decoded (and checked) by decodeMore.
      let next = pos;
      for (let p = 0; p < data.length; ) {
        const size = batchSizeAt(data, p);
        if (size < BATCH_HEADER_SIZE || size > data.length - p) {
          throw new CorruptRecordError(`Record batch at position ${p} of the fetch from ${tp.topic}-${tp.partition} offset ${pos} has invalid length ${size - LOG_OVERHEAD}.`);
        }
        const h = readBatchHeader(data, p);
        next = Math.max(next, h.baseOffset + h.lastOffsetDelta + 1);
        records += h.recordCount;
        p += size;
      }
      if (data.length > 0) fetched.push({ topic: tp.topic, partition: tp.partition, key: k, data, pos: 0, from: pos });
      fetchPositions.set(k, next);
    }
    rr = n > 0 ? (rr + 1) % n : 0;
  }

  // The fetch being decoded and its batch's leader epoch and control flag, for `visit`.
  let current: Fetched | undefined;
  let leaderEpoch = -1;
  let control = false;
  // Records go straight from the batch into ConsumerRecords: one object per record.
  const visit: RecordVisitor = (offset, timestamp, timestampType, recordKey, value, headers) => {
    const f = current!;
    if (!control && offset >= f.from) buffered.push({ topic: f.topic, partition: f.partition, offset, timestamp, timestampType, key: recordKey, value, headers, leaderEpoch });
  };

  /** Decodes fetched batches until a poll's worth of records is buffered (or nothing is left). */
  function decodeMore(): void {
    if (bufferedHead > 0) {
      buffered.splice(0, bufferedHead);
      bufferedHead = 0;
    }
    while (buffered.length < maxPollRecords && fetched.length > 0) {
      const f = fetched[0];
      current = f;
      leaderEpoch = f.data.readInt32BE(f.pos + OFFSET_LEADER_EPOCH);
      // Control batches carry no records for the application: only their offsets count.
      control = (f.data.readInt16BE(f.pos + OFFSET_ATTRIBUTES) & CONTROL_BIT) !== 0;
      const mark = buffered.length;
      try {
        f.pos += decodeBatchEach(f.data, f.pos, visit, checkCrcs).size;
      } catch (err) {
        // A corrupt batch hands out none of its records, however far the decoder got. The records
        // of the batches before it go out first; the next poll meets the batch again and throws.
        buffered.length = mark;
        if (!(err instanceof CorruptRecordError)) throw err;
        if (mark > bufferedHead) return;
        throw corruptBatch(f, err);
      } finally {
        current = undefined;
      }
      if (f.pos >= f.data.length) fetched.shift();
    }
  }

  const view = positionsView();

  /**
   * The error for the unreadable batch at f.pos, naming the partition and offset and where reading
   * goes on: the next batch of the fetch if there is one (its offset is sure), else the offset
   * after this batch by its own header (which a bad CRC may have garbled: at least one past it).
   */
  function corruptBatch(f: Fetched, err: CorruptRecordError): CorruptBatchError {
    const h = readBatchHeader(f.data, f.pos);
    const after = f.pos + batchSizeAt(f.data, f.pos);
    const next = after + BATCH_HEADER_SIZE <= f.data.length ? readBatchHeader(f.data, after).baseOffset : Math.max(h.baseOffset + h.lastOffsetDelta + 1, h.baseOffset + 1, f.from + 1);
    const offset = Math.max(h.baseOffset, f.from);
    // The decoder's position is within this fetch, not the segment file: it would mislead.
    const reason = err.message.replace(/ at position \d+| \(position \d+\)/, '').replace(/\.?$/, '.');
    return new CorruptBatchError(f.topic, f.partition, offset, Math.max(next, offset + 1), reason);
  }

  /** Appends up to `max` fetched records to `sink` (pollValues); positions move past each one. */
  function printValues(max: number, format: ValueLineFormat, sink: ByteSink): number {
    if (buffered.length > bufferedHead) throw new Error('pollValues() after poll() left records buffered: use one or the other on a consumer.');
    let n = 0;
    while (n < max && fetched.length > 0) {
      const f = fetched[0];
      let r;
      try {
        r = valueLinesOf(f.data, f.pos, f.from, max - n, format, sink, view, checkCrcs);
      } catch (err) {
        // A malformed record after the last one printed: stay there, as Java's consumer does. What
        // was printed is returned; the next call meets the malformed record first and throws.
        if (view.next > f.from) {
          f.from = view.next;
          positions.set(f.key, view.next);
        }
        if (!(err instanceof CorruptRecordError)) throw err;
        n += view.visited;
        if (n > 0) return n;
        throw corruptBatch(f, err);
      }
      n += r.visited;
      if (r.visited > 0) positions.set(f.key, r.position);
      f.from = r.position;
      if (r.complete) {
        f.pos += r.size;
        if (f.pos >= f.data.length) fetched.shift();
      }
    }
    return n;
  }

  /** Hands out up to max.poll.records buffered records; the position moves once per partition, not per record. */
  function take(): ConsumerRecord[] {
    const end = Math.min(bufferedHead + maxPollRecords, buffered.length);
    const out = buffered.slice(bufferedHead, end);
    bufferedHead = end;
    if (bufferedHead === buffered.length) {
      buffered.length = 0;
      bufferedHead = 0;
    }
    for (let i = 0; i < out.length; i++) {
      const r = out[i];
      const last = i + 1 === out.length || out[i + 1].partition !== r.partition || out[i + 1].topic !== r.topic;
      if (last) positions.set(key(r), r.offset + 1);
    }
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

  /**
   * poll()'s loop: group work, seeks, a fetch when nothing is waiting, then `deliver`; returns
   * what it delivered once that is something, or when woken, closed or out of time, else waits for
   * data (no busy spin) and goes round again.
   */
  async function waitFor<T>(timeoutMs: number, deliver: () => T, delivered: (out: T) => boolean): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    woken = false;
    for (;;) {
      if (mode === 'group') groupTick();
      applySeeks();
      if (buffered.length === bufferedHead && fetched.length === 0) fetchInto();
      // Before deliver(), as Java's poll() does: the commit covers what earlier polls handed out,
      // which the caller has processed (printed) by now, never what this poll is about to hand out.
      maybeAutoCommit();
      const out = deliver();
      if (delivered(out) || woken || closed || Date.now() >= deadline) return out;
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
  }

  return {
    async subscribe(topics) {
      if (!groupId) throw new InvalidGroupIdError('To use the group management or offset commit APIs, you must provide a valid group.id in the consumer configuration.');
      mode = 'group';
      subscription = topics;
      // As Java's consumer (allow.auto.create.topics=true) on a stock broker: a missing topic that is
      // subscribed to by name is created with the cluster defaults.
      if (Array.isArray(topics) && options.properties['allow.auto.create.topics'] !== 'false' && cluster.settings()['auto.create.topics.enable'] === 'true') {
        for (const t of topics) {
          const existed = cluster.topic(t) !== undefined;
          cluster.ensureTopic(t);
          if (!existed) options.onTopicCreated?.(t);
        }
      }
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
    poll(timeoutMs) {
      return waitFor(
        timeoutMs,
        () => {
          decodeMore();
          return take();
        },
        (out) => out.length > 0,
      );
    },
    pollValues(timeoutMs, max, format, sink) {
      return waitFor(timeoutMs, () => printValues(max, format, sink), (n) => n > 0);
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
        // A static member does not leave: its partitions wait for it until its session times out.
        if (mode === 'group' && memberId && groupInstanceId === undefined) coordinator.leave(groupId!, memberId);
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
