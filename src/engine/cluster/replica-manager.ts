// The local cluster's data plane. Every replica is a real copy: an append goes to the leader's log,
// then the same bytes to each other in-sync replica, and only then does the high watermark move.
// Consumers read the leader up to the high watermark, so they never see a record that is not on
// every ISR replica. The per-partition lock serialises appends from all processes.
import { closeSync, constants, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { NotEnoughReplicasError, UnknownTopicOrPartitionError, LeaderNotAvailableError } from '../../errors.js';
import { withLockSync } from '../fs/lock.js';
import { PartitionLog, type AppendResult } from '../log/partition-log.js';
import { effectiveTopicConfig, toLogConfig } from '../../config/topic-configs.js';
import { Cluster, unknownTopic, type PartitionState, type TopicState } from './cluster.js';

export interface FetchResult {
  records: Buffer;
  highWatermark: number;
  logStartOffset: number;
}

const RETENTION_CHECK_MS = 30_000;
const POLL_MS = 20;

export class ReplicaManager {
  private logs = new Map<string, { topicId: string; log: PartitionLog }>();
  private retentionCheckedAt = new Map<string, number>();
  private stateDirs = new Set<string>();

  constructor(readonly cluster: Cluster) {}

  private partition(topic: string, partition: number): { t: TopicState; p: PartitionState } {
    const t = this.cluster.topic(topic);
    if (!t) throw unknownTopic(topic);
    const p = t.partitions[partition];
    if (!p) throw new UnknownTopicOrPartitionError(`Partition ${partition} of topic '${topic}' does not exist (it has ${t.partitions.length} partition(s)).`);
    return { t, p };
  }

  /** Topic configs change rarely: derive the log config once per metadata object. */
  private configs = new WeakMap<TopicState, { log: ReturnType<typeof toLogConfig>; minIsr: number }>();
  private topicSettings(t: TopicState): { log: ReturnType<typeof toLogConfig>; minIsr: number } {
    let c = this.configs.get(t);
    if (!c) {
      const effective = effectiveTopicConfig(t.configs, this.cluster.settings());
      c = { log: toLogConfig(effective), minIsr: Number(effective['min.insync.replicas']) };
      this.configs.set(t, c);
    }
    return c;
  }

  private log(t: TopicState, broker: number, partition: number): PartitionLog {
    const dir = this.cluster.replicaDir(broker, t.name, partition);
    const cached = this.logs.get(dir);
    const config = this.topicSettings(t).log;
    if (cached && cached.topicId === t.topicId) {
      cached.log.updateConfig(config);
      return cached.log;
    }
    const log = PartitionLog.open(dir, config);
    this.logs.set(dir, { topicId: t.topicId, log });
    return log;
  }

  private hwmPath(topic: string, partition: number): string {
    return join(this.cluster.partitionStateDir(topic, partition), 'high-watermark');
  }

  highWatermark(topic: string, partition: number): number {
    let fd: number;
    try {
      fd = openSync(this.hwmPath(topic, partition), 'r');
    } catch {
      return 0;
    }
    try {
      const b = Buffer.alloc(8);
      return readSync(fd, b, 0, 8, 0) === 8 ? Number(b.readBigInt64BE(0)) : 0;
    } finally {
      closeSync(fd);
    }
  }

  private writeHighWatermark(topic: string, partition: number, hwm: number): void {
    // Rewritten in place (no truncation), so a reader never sees an empty file.
    const w = openSync(this.hwmPath(topic, partition), constants.O_RDWR | constants.O_CREAT);
    try {
      const b = Buffer.alloc(8);
      b.writeBigInt64BE(BigInt(hwm));
      writeSync(w, b, 0, 8, 0);
    } finally {
      closeSync(w);
    }
  }

  /**
   * Appends batches to a partition and replicates them to every in-sync replica.
   * acks=-1 needs ISR size >= min.insync.replicas. `crcChecked`: the batches were built in this
   * process, so their CRCs need no second pass.
   */
  append(topic: string, partition: number, batches: Buffer, acks: 0 | 1 | -1, options: { crcChecked?: boolean } = {}): AppendResult {
    const { t, p } = this.partition(topic, partition);
    if (p.leader === null) throw new LeaderNotAvailableError(`Partition ${topic}-${partition} has no leader.`);
    const { minIsr } = this.topicSettings(t);
    if (acks === -1 && p.isr.length < minIsr) {
      throw new NotEnoughReplicasError(
        `The size of the current ISR [${p.isr.join(', ')}] is insufficient to satisfy the min.isr requirement of ${minIsr} for partition ${topic}-${partition}.`,
      );
    }
    const stateDir = this.cluster.partitionStateDir(topic, partition);
    if (!this.stateDirs.has(stateDir)) {
      mkdirSync(stateDir, { recursive: true });
      this.stateDirs.add(stateDir);
    }
    // One lock per partition covers every replica's log, so the logs' own locks are not taken again.
    const replicas = p.isr.map((b) => this.log(t, b, partition));
    const result = withLockSync(
      join(stateDir, 'append.lock'),
      () => {
        const leader = this.log(t, p.leader!, partition);
        const res = leader.append(batches, { leaderEpoch: p.leaderEpoch, lockHeld: true, crcChecked: options.crcChecked });
        for (const b of p.isr) {
          if (b === p.leader) continue;
          const follower = this.log(t, b, partition);
          this.catchUp(leader, follower, res.firstOffset);
          // The leader checked the batches.
          follower.append(batches, { assignOffsets: false, lockHeld: true, crcChecked: true });
        }
        this.writeHighWatermark(topic, partition, res.lastOffset + 1);
        return res;
      },
      // A writer died holding the lock: any replica may have a torn tail.
      { onBroken: () => replicas.forEach((log) => log.recover()) },
    );
    this.maybeApplyRetention(t, p);
    return result;
  }

  /** A follower that missed appends (its writer died between replicas) copies them from the leader first. */
  private catchUp(leader: PartitionLog, follower: PartitionLog, upTo: number): void {
    let end = follower.logEndOffset();
    if (end > upTo) {
      follower.truncateTo(upTo);
      end = follower.logEndOffset();
    }
    while (end < upTo) {
      const { records } = leader.read(end, 1 << 20, { maxOffset: upTo });
      if (records.length === 0) break;
      const r = follower.append(records, { assignOffsets: false });
      end = r.lastOffset + 1;
    }
  }

  private maybeApplyRetention(t: TopicState, p: PartitionState): void {
    const key = `${t.name}-${p.partition}`;
    const now = Date.now();
    if (now - (this.retentionCheckedAt.get(key) ?? 0) < RETENTION_CHECK_MS) return;
    this.retentionCheckedAt.set(key, now);
    for (const b of p.replicas) this.log(t, b, p.partition).applyRetention(now);
  }

  /** Runs retention now on every replica of every partition of `topic`. */
  applyRetention(topic: string, now = Date.now()): number {
    const t = this.cluster.topic(topic);
    if (!t) throw unknownTopic(topic);
    let deleted = 0;
    for (const p of t.partitions) for (const b of p.replicas) deleted += this.log(t, b, p.partition).applyRetention(now);
    return deleted;
  }

  read(topic: string, partition: number, offset: number, maxBytes: number): FetchResult {
    const { t, p } = this.partition(topic, partition);
    if (p.leader === null) throw new LeaderNotAvailableError(`Partition ${topic}-${partition} has no leader.`);
    const hwm = this.highWatermark(topic, partition);
    const log = this.log(t, p.leader, partition);
    const r = log.read(offset, maxBytes, { maxOffset: hwm });
    return { records: r.records, highWatermark: hwm, logStartOffset: r.logStartOffset };
  }

  logStartOffset(topic: string, partition: number): number {
    const { t, p } = this.partition(topic, partition);
    return this.log(t, p.leader ?? p.replicas[0], partition).logStartOffset();
  }

  /** ListOffsets: earliest, latest (the high watermark) or the first offset with timestamp >= T (-1 if none). */
  listOffset(topic: string, partition: number, spec: 'earliest' | 'latest' | { timestamp: number }): { offset: number; timestamp: number } {
    const { t, p } = this.partition(topic, partition);
    const hwm = this.highWatermark(topic, partition);
    const log = this.log(t, p.leader ?? p.replicas[0], partition);
    if (spec === 'earliest') return { offset: log.logStartOffset(), timestamp: -1 };
    if (spec === 'latest') return { offset: hwm, timestamp: -1 };
    const hit = log.offsetForTimestamp(spec.timestamp);
    if (!hit || hit.offset >= hwm) return { offset: -1, timestamp: -1 };
    return hit;
  }

  /** DeleteRecords on every replica. */
  deleteRecordsBefore(topic: string, partition: number, offset: number): void {
    const { t, p } = this.partition(topic, partition);
    for (const b of p.replicas) this.log(t, b, partition).deleteRecordsBefore(offset);
  }

  /**
   * Resolves when the high watermark of any of `partitions` moves past `known`, or after
   * `timeoutMs`. Polls small files at a short interval: no busy spin, and records another process
   * appends show up within ~20 ms.
   */
  async waitForData(partitions: Array<{ topic: string; partition: number; known: number }>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      for (const p of partitions) if (this.highWatermark(p.topic, p.partition) !== p.known) return;
      await new Promise<void>((resolve) => {
        const onAbort = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.min(POLL_MS, Math.max(0, deadline - Date.now())));
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
  }

  close(): void {
    for (const { log } of this.logs.values()) log.close();
    this.logs.clear();
  }
}
