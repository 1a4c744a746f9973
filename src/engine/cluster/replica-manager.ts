// The local cluster's data plane. Every replica is a real copy: an append goes to the leader's log,
// then the same bytes to each other in-sync replica, and only then does the high watermark move.
// Consumers read the leader up to the high watermark, so they never see a record that is not on
// every ISR replica. The per-partition lock serialises appends from all processes.
import { closeSync, constants, existsSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptRecordError, KafkaStorageError, NotEnoughReplicasError, UnknownTopicOrPartitionError, LeaderNotAvailableError } from '../../errors.js';
import { withLockSync } from '../fs/lock.js';
import { writeFileAtomicSync } from '../fs/atomic-file.js';
import { PartitionLog, type AppendResult } from '../log/partition-log.js';
import { effectiveTopicConfig, toLogConfig } from '../../config/topic-configs.js';
import { Cluster, unknownTopic, type PartitionState, type TopicState } from './cluster.js';
import { validateBatchAt } from '../record/header.js';
import { validateProducedBatches } from '../record/validate.js';
import { claimPartitionDir } from './partition-dirs.js';
import { checkHighWatermark } from '../log/high-watermark.js';
import { offsetOfMaxTimestamp } from '../log/max-timestamp.js';
import type { OffsetSpec } from '../../client/types.js';
import { catchUp, copyFrom, firstCorruptOffset, repairPlan } from './replica-sync.js';
import { SCRUB_START, firstHole, scrubStep, type ScrubCursor } from '../log/recovery.js';

/** A log whose dir another process deleted (its topic is gone) cannot leave a shutdown marker: that is fine. */
function closeQuietly(log: PartitionLog): void {
  try {
    log.close();
  } catch (err) {
    if (existsSync(log.dir)) throw err;
  }
}

/** A message as a sentence: one closing period. */
function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * Whether a read of committed offsets from `offset` is whole: framing and CRC of every batch
 * (hardware CRC-32C: a few ms per 100 MB), the first batch holding `offset`, and no gap between
 * batches. Offsets below the high watermark are contiguous (there is no compaction), so a read that
 * starts past `offset`, skips offsets, or is empty below the high watermark met a torn or lost region
 * of the log, e.g. an older segment cut short, which the segment reader steps over silently.
 */
function readIsWhole(records: Buffer, offset: number, hwm: number): boolean {
  if (records.length === 0) return offset >= hwm;
  try {
    let next = offset;
    for (let pos = 0; pos < records.length; ) {
      const base = Number(records.readBigInt64BE(pos));
      const size = validateBatchAt(records, pos, true);
      const last = base + records.readInt32BE(pos + 23);
      if (base > next || last < next) return false;
      next = last + 1;
      pos += size;
    }
    return true;
  } catch {
    return false;
  }
}

export interface FetchResult {
  records: Buffer;
  highWatermark: number;
  logStartOffset: number;
}

const RETENTION_CHECK_MS = 30_000;
const STORAGE_EXCEPTION = 'org.apache.kafka.common.errors.KafkaStorageException';
const POLL_MS = 20;
const RECONCILE_MS = 250;
const RELEASE_MS = 1000;
const SCRUB_VISIT_BYTES = 64 * 1024;

export class ReplicaManager {
  private logs = new Map<string, { topic: string; topicId: string; log: PartitionLog }>();
  private retentionCheckedAt = new Map<string, number>();
  private stateDirs = new Set<string>();
  private readonly unsubscribe: () => void;

  constructor(
    readonly cluster: Cluster,
    private readonly logger: (message: string) => void = (m) => void process.stderr.write(`${m}\n`),
  ) {
    this.unsubscribe = cluster.onTopicFilesRemoval((topic) => this.release((entry) => entry.topic === topic));
  }

  /** Closes the cached logs `doomed` picks: a deleted file's space comes back only once nobody holds it open. */
  private release(doomed: (entry: { topic: string; topicId: string }) => boolean): void {
    for (const [dir, entry] of this.logs) {
      if (!doomed(entry)) continue;
      closeQuietly(entry.log);
      this.logs.delete(dir);
      this.scrubCursors.delete(dir);
    }
  }

  private releasedAt = Date.now();

  /** releaseDeleted at most once a second, for clients that run long (a console consumer or producer left open). */
  maybeReleaseDeleted(): void {
    const now = Date.now();
    if (now - this.releasedAt < RELEASE_MS) return;
    this.releasedAt = now;
    this.releaseDeleted();
  }

  /** Lets go of the logs of topics deleted since (by this process or another); a long-running server calls it on a timer. */
  releaseDeleted(): void {
    const ids = new Map(this.cluster.topics().map((t) => [t.name, t.topicId]));
    this.release((entry) => ids.get(entry.topic) !== entry.topicId);
  }

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
    // A log of a deleted topic of the same name: let go of it (its files may be gone already).
    if (cached) closeQuietly(cached.log);
    claimPartitionDir(dir, t.topicId);
    const log = PartitionLog.open(dir, config);
    this.logs.set(dir, { topic: t.name, topicId: t.topicId, log });
    return log;
  }

  private hwmPath(topic: string, partition: number): string {
    return join(this.cluster.partitionStateDir(topic, partition), 'high-watermark');
  }

  highWatermark(topic: string, partition: number): number {
    this.claimStateDir(topic, partition);
    const path = this.hwmPath(topic, partition);
    let raw: Buffer | null = null;
    try {
      const fd = openSync(path, 'r');
      try {
        const b = Buffer.alloc(8);
        raw = b.subarray(0, readSync(fd, b, 0, 8, 0));
      } finally {
        closeSync(fd);
      }
    } catch {
      raw = null;
    }
    const ends = this.isrLogEnds(topic, partition);
    if (ends.length === 0) return raw?.length === 8 ? Math.max(0, Number(raw.readBigInt64BE(0))) : 0;
    // Read after the file: a sound high watermark never passes every in-sync replica's end. (It may
    // pass a damaged leader's, which syncIsr then repairs from a follower.)
    const checked = checkHighWatermark(path, raw, Math.max(...ends));
    if (typeof checked === 'number') return checked;
    if (checked === null && Math.max(...ends) === 0) return 0;
    return this.recomputeHighWatermark(topic, partition);
  }

  private isrLogEnds(topic: string, partition: number): number[] {
    const t = this.cluster.topic(topic);
    const p = t?.partitions[partition];
    if (!t || !p) return [];
    const live = this.cluster.liveBrokerIds();
    return p.isr.filter((b) => live.has(b)).map((b) => this.log(t, b, partition).logEndOffset());
  }

  /** A missing or damaged high-watermark file: the in-sync replicas' common end, written back under the partition lock. */
  private recomputeHighWatermark(topic: string, partition: number): number {
    return withLockSync(join(this.claimStateDir(topic, partition), 'append.lock'), () => {
      const ends = this.isrLogEnds(topic, partition);
      const hwm = ends.length > 0 ? Math.min(...ends) : 0;
      this.writeHighWatermark(topic, partition, hwm);
      return hwm;
    });
  }

  private writeHighWatermark(topic: string, partition: number, hwm: number): void {
    const path = this.hwmPath(topic, partition);
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(BigInt(hwm));
    let w: number;
    try {
      w = openSync(path, constants.O_RDWR);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // The first one is renamed into place: a reader polling meanwhile sees no file, never an empty one.
      writeFileAtomicSync(path, b, { fsync: false });
      return;
    }
    // Then rewritten in place (no truncation, no new block: a full disk does not refuse it).
    try {
      writeSync(w, b, 0, 8, 0);
    } finally {
      closeSync(w);
    }
  }

  /** Fences dead brokers and re-elects at most every RECONCILE_MS: a few stats, not a metadata write, when nothing changed. */
  private reconciledAt = 0;
  private maybeReconcile(): void {
    const now = Date.now();
    if (now - this.reconciledAt < RECONCILE_MS) return;
    this.reconciledAt = now;
    this.cluster.reconcile();
  }

  /**
   * Appends batches to a partition's leader and replicates them to every live in-sync replica;
   * the high watermark then moves to the new end. acks=-1 needs ISR size >= min.insync.replicas.
   * `crcChecked`: the batches were built in this process, so their CRCs need no second pass.
   */
  append(topic: string, partition: number, batches: Buffer, acks: 0 | 1 | -1, options: { crcChecked?: boolean } = {}): AppendResult {
    try {
      return this.appendToReplicas(topic, partition, batches, acks, options);
    } catch (err) {
      // As a Java producer prints a failed send: the exception's class, then the broker's message.
      if (err instanceof KafkaStorageError && !err.message.startsWith(STORAGE_EXCEPTION)) throw new KafkaStorageError(`${STORAGE_EXCEPTION}: ${err.message}`, { cause: err });
      throw err;
    }
  }

  private appendToReplicas(topic: string, partition: number, batches: Buffer, acks: 0 | 1 | -1, options: { crcChecked?: boolean }): AppendResult {
    this.maybeReconcile();
    this.maybeReleaseDeleted();
    this.checkWritable(topic, partition, acks);
    // Batches from outside this process are checked record by record, as Kafka's LogValidator does.
    if (!options.crcChecked) validateProducedBatches(batches, `${topic}-${partition}`);
    const stateDir = this.claimStateDir(topic, partition);
    let t: TopicState | undefined;
    let p: PartitionState | undefined;
    const result = withLockSync(
      join(stateDir, 'append.lock'),
      () => {
        // The metadata may have changed while we waited (a failover, an ISR change): decide on what holds now.
        ({ t, p } = this.checkWritable(topic, partition, acks));
        const live = this.cluster.liveBrokerIds();
        let isr = this.syncIsr(t, p, live);
        const leader = this.log(t, p.leader!, partition);
        let res: AppendResult;
        try {
          res = leader.append(batches, { leaderEpoch: p.leaderEpoch, lockHeld: true, crcChecked: options.crcChecked });
        } catch (err) {
          // The leader's active segment is damaged (an offset gap, a corrupt batch it re-read): recovery
          // cuts it there, syncIsr copies the committed part back from a follower, and the append retries.
          if (!(err instanceof CorruptRecordError) || !leader.findDamage()) throw err;
          leader.recover();
          isr = this.syncIsr(t, p, live);
          res = leader.append(batches, { leaderEpoch: p.leaderEpoch, lockHeld: true, crcChecked: options.crcChecked });
        }
        try {
          for (const b of isr) {
            if (b === p.leader) continue;
            try {
              // The leader checked the batches.
              this.log(t, b, partition).append(batches, { assignOffsets: false, lockHeld: true, crcChecked: true });
            } catch (err) {
              this.dropFromIsr(t, p, b, err);
            }
          }
          this.writeHighWatermark(topic, partition, res.lastOffset + 1);
        } catch (err) {
          // Not committed (a full disk refused the ISR change or the high watermark): the producer is
          // told so, and the records must not be committed later by the next append either.
          this.cutUncommitted(t, p, isr, res.firstOffset);
          throw err;
        }
        this.catchUpOutOfSync(t, p, live);
        return res;
      },
      // A writer died holding the lock: any replica may have a torn tail. syncIsr repairs the rest.
      { onBroken: () => this.recoverReplicas(topic, partition) },
    );
    if (t && p) this.maybeApplyRetention(t, p);
    return result;
  }

  /** Cuts the replicas an append reached back to `offset` (above the high watermark), as far as the disk lets it. */
  private cutUncommitted(t: TopicState, p: PartitionState, isr: number[], offset: number): void {
    for (const b of isr) {
      try {
        const log = this.log(t, b, p.partition);
        if (log.logEndOffset() > offset) log.truncateTo(offset);
      } catch {
        // Still past the high watermark: syncIsr cuts a follower there at the next append.
      }
    }
  }

  private checkWritable(topic: string, partition: number, acks: 0 | 1 | -1): { t: TopicState; p: PartitionState } {
    const { t, p } = this.partition(topic, partition);
    if (p.leader === null || !this.cluster.liveBrokerIds().has(p.leader)) {
      throw new LeaderNotAvailableError(`Partition ${topic}-${partition} has no leader: its in-sync replicas' brokers (${p.isr.join(', ')}) are all stopped. Start one (kafka-server-start --node-id ${p.isr[0]}).`);
    }
    const { minIsr } = this.topicSettings(t);
    if (acks === -1 && p.isr.length < minIsr) {
      throw new NotEnoughReplicasError(
        `org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required (partition ${topic}-${partition}: ISR [${p.isr.join(', ')}], min.insync.replicas=${minIsr}). Start the stopped brokers, or send with acks=1.`,
      );
    }
    return { t, p };
  }

  private recoverReplicas(topic: string, partition: number): void {
    const t = this.cluster.topic(topic);
    const p = t?.partitions[partition];
    if (!t || !p) return;
    for (const b of p.isr) this.log(t, b, partition).recover();
  }

  /**
   * Before an append (partition lock held): every live ISR replica holds exactly the leader's log.
   * A leader that lost committed records (a torn or corrupt tail cut by recovery) gets them back
   * from a follower that has them; a follower past the leader's end loses only its uncommitted
   * tail; one behind is caught up; one that cannot be is dropped from the ISR. Returns the ISR
   * members to write to.
   */
  private syncIsr(t: TopicState, p: PartitionState, live: Set<number>): number[] {
    const leaderId = p.leader!;
    const leader = this.log(t, leaderId, p.partition);
    leader.openForWrite();
    const followers = p.isr.filter((b) => b !== leaderId && live.has(b)).filter((b) => {
      try {
        this.log(t, b, p.partition).openForWrite();
        return true;
      } catch (err) {
        this.dropFromIsr(t, p, b, err);
        return false;
      }
    });
    const hwm = this.highWatermark(t.name, p.partition);
    let leaderEnd = leader.logEndOffset();
    if (leaderEnd < hwm) {
      const source = followers.find((b) => this.log(t, b, p.partition).logEndOffset() >= hwm);
      if (source !== undefined) {
        const from = leaderEnd;
        leaderEnd = copyFrom(this.log(t, source, p.partition), leader, hwm);
        this.notice(`Repaired ${t.name}-${p.partition} on broker ${leaderId}: offsets ${from} to ${hwm - 1}, lost by its recovery, copied back from broker ${source}.`);
      } else {
        this.notice(`${t.name}-${p.partition}: the leader (broker ${leaderId}) ends at ${leaderEnd}, below the high watermark ${hwm}, and no in-sync replica holds the missing records.`);
      }
    }
    const isr = [leaderId];
    for (const b of followers) {
      const f = this.log(t, b, p.partition);
      try {
        if (f.logEndOffset() !== leaderEnd) catchUp(leader, f);
        if (f.logEndOffset() !== leaderEnd) throw new Error(`it ends at ${f.logEndOffset()}, the leader at ${leaderEnd}`);
        isr.push(b);
      } catch (err) {
        this.dropFromIsr(t, p, b, err);
      }
    }
    return isr;
  }

  private dropFromIsr(t: TopicState, p: PartitionState, broker: number, err: unknown): void {
    if (this.cluster.shrinkIsr(t.name, p.partition, broker)) {
      this.notice(`Broker ${broker} left the ISR of ${t.name}-${p.partition}: ${sentence((err as Error).message)} It is rebuilt from the leader and rejoins once caught up.`);
    }
  }

  /**
   * Live replicas outside the ISR (a broker that came back, a follower dropped after a failed
   * write) copy what they miss from the leader and rejoin the ISR once level with it. A broker's
   * own server does the same on a timer (catchUpBroker), so a copy also happens without appends.
   */
  private catchUpOutOfSync(t: TopicState, p: PartitionState, live: Set<number>): void {
    for (const b of p.replicas) {
      if (p.isr.includes(b) || !live.has(b) || p.leader === null) continue;
      try {
        this.catchUpReplica(t, p, b);
      } catch (err) {
        // The append is committed already: a replica that cannot catch up now (a full disk) tries again later.
        if (!(err instanceof KafkaStorageError)) throw err;
      }
    }
  }

  private catchUpReplica(t: TopicState, p: PartitionState, broker: number): boolean {
    const leader = this.log(t, p.leader!, p.partition);
    const follower = this.log(t, broker, p.partition);
    try {
      follower.openForWrite();
      // Level at the end is not enough: a replica that lost its oldest segment(s) while its broker
      // was down would rejoin without them, and once it leads, readers from the beginning skip them.
      const leaderStart = leader.logStartOffset();
      const followerStart = follower.logStartOffset();
      if (followerStart > leaderStart && leaderStart < leader.logEndOffset()) {
        this.notice(`Rebuilding ${t.name}-${p.partition} on broker ${broker} from offset ${leaderStart} from the leader (broker ${p.leader}): its log starts at ${followerStart}, its leader's at ${leaderStart}.`);
        follower.truncateFullyAndStartAt(leaderStart);
      }
      // So is one that lost a segment from the middle: it would rejoin with the hole.
      const hole = firstHole(this.cluster.replicaDir(broker, t.name, p.partition));
      if (hole && hole.offset < leader.logEndOffset()) {
        this.notice(`Rebuilding ${t.name}-${p.partition} on broker ${broker} from offset ${hole.offset} from the leader (broker ${p.leader}): ${hole.reason}.`);
        follower.truncateTo(hole.offset);
      }
      if (catchUp(leader, follower) !== leader.logEndOffset()) return false;
    } catch (err) {
      // A disk that refused a write damaged nothing: the copy goes on from where it got, once there is space.
      if (err instanceof KafkaStorageError) return false;
      // A damaged copy: start it over from the leader's log start.
      this.notice(`Rebuilding ${t.name}-${p.partition} on broker ${broker} from the leader (broker ${p.leader}): ${(err as Error).message}`);
      follower.truncateFullyAndStartAt(leader.logStartOffset());
      if (copyFrom(leader, follower, leader.logEndOffset()) !== leader.logEndOffset()) return false;
    }
    if (this.cluster.expandIsr(t.name, p.partition, broker)) {
      this.notice(`Broker ${broker} caught up on ${t.name}-${p.partition} at offset ${leader.logEndOffset()} and rejoined the ISR.`);
    }
    return true;
  }

  /**
   * A returning broker's own catch-up (kafka-server-start runs it on a timer): each of its
   * replicas outside the ISR copies from its leader, under the partition lock, and rejoins.
   * Returns how many are still behind.
   */
  catchUpBroker(broker: number): number {
    this.maybeReconcile();
    let behind = 0;
    for (const t0 of this.cluster.topics()) {
      for (const p0 of t0.partitions) {
        if (!p0.replicas.includes(broker) || p0.isr.includes(broker) || p0.leader === null) continue;
        const stateDir = this.claimStateDir(t0.name, p0.partition);
        const ok = withLockSync(join(stateDir, 'append.lock'), () => {
          const t = this.cluster.topic(t0.name);
          const p = t?.partitions[p0.partition];
          if (!t || !p || p.leader === null || p.isr.includes(broker) || !this.cluster.liveBrokerIds().has(broker)) return true;
          this.syncIsr(t, p, this.cluster.liveBrokerIds());
          return this.catchUpReplica(t, p, broker);
        });
        if (!ok) behind++;
      }
    }
    return behind;
  }

  private scrubCursors = new Map<string, ScrubCursor>();
  private scrubTurn = 0;

  /**
   * Kafka does not do this: a broker's server re-reads its own replicas in the background, a
   * bounded number of bytes per call, checking every batch's framing and CRC and that the segments
   * run on without a hole. A damaged follower leaves the ISR and is rebuilt from its leader (cut at
   * the damage, then copied); a damaged leader is healed from an in-sync copy. Without it, damage to
   * a follower nobody reads would stay until that replica led, or forever in an "in-sync" copy.
   */
  scrubBroker(broker: number, budgetBytes: number): void {
    const mine = this.cluster.topics().flatMap((t0) => t0.partitions.filter((p0) => p0.replicas.includes(broker) && p0.leader !== null).map((p0) => ({ t0, p0 })));
    // Each call goes on where the last one ran out of budget, so that a big replica starves no other.
    for (let n = 0; n < mine.length; n++) {
      const { t0, p0 } = mine[(this.scrubTurn + n) % mine.length];
      const dir = this.cluster.replicaDir(broker, t0.name, p0.partition);
      const cursor = this.scrubCursors.get(dir) ?? SCRUB_START;
      const stateDir = this.claimStateDir(t0.name, p0.partition);
      let spent = 0;
      withLockSync(join(stateDir, 'append.lock'), () => {
        const t = this.cluster.topic(t0.name);
        const p = t?.partitions[p0.partition];
        if (!t || !p || p.leader === null || !this.cluster.liveBrokerIds().has(broker)) return;
        const log = this.log(t, broker, p.partition);
        const step = scrubStep(dir, cursor, budgetBytes);
        spent = step.read;
        this.scrubCursors.set(dir, step.next ?? SCRUB_START);
        if (broker === p.leader && cursor === SCRUB_START && this.restoreLeaderStart(t, p)) return;
        const leaderStart = broker === p.leader ? null : this.log(t, p.leader, p.partition).logStartOffset();
        let damage: { offset: number; reason: string } | null = step.damage;
        // A follower whose first segment starts past its leader's log start lost its oldest segment(s).
        if (!damage && leaderStart !== null && cursor === SCRUB_START && log.logStartOffset() > leaderStart && leaderStart < this.highWatermark(t.name, p.partition)) {
          damage = { offset: leaderStart, reason: `its log starts at ${log.logStartOffset()}, its leader's at ${leaderStart}` };
        }
        if (!damage || damage.offset >= log.logEndOffset()) {
          // Cut short (a torn or lost tail): an in-sync follower no longer level with its leader is
          // brought level now, as the next append would, or leaves the ISR; with no append coming
          // it would otherwise stay short while counted in sync.
          const leaderEnd = this.log(t, p.leader, p.partition).logEndOffset();
          const end = log.logEndOffset();
          if (broker === p.leader || !p.isr.includes(broker) || end === leaderEnd) return;
          if (end < leaderEnd) this.notice(`Rebuilding ${t.name}-${p.partition} on broker ${broker} from offset ${end} from the leader (broker ${p.leader}): it ends there, its leader at ${leaderEnd}.`);
          this.syncIsr(t, p, this.cluster.liveBrokerIds());
          return;
        }
        if (broker === p.leader) {
          this.heal(t.name, p.partition, damage.offset);
          return;
        }
        this.dropFromIsr(t, p, broker, new Error(`damaged at offset ${damage.offset}`));
        this.notice(`Rebuilding ${t.name}-${p.partition} on broker ${broker} from offset ${damage.offset} from the leader (broker ${p.leader}): ${damage.reason.replace(/\.$/, '')}.`);
        log.openForWrite();
        log.truncateTo(damage.offset);
        const now = this.cluster.topic(t.name)!.partitions[p.partition];
        this.catchUpReplica(this.cluster.topic(t.name)!, now, broker);
      });
      // A visit costs a lock and a listing even when there is little to read: many small partitions share the budget too.
      budgetBytes -= Math.max(spent, SCRUB_VISIT_BYTES);
      if (budgetBytes <= 0) {
        this.scrubTurn = (this.scrubTurn + n) % mine.length;
        return;
      }
    }
  }

  /**
   * A leader that lost its oldest segment(s) (readers from the beginning would skip them) while an
   * in-sync follower still starts earlier, whole up to the high watermark: the leader's log is made
   * again from that follower's, from the recorded log start on. Call with the partition's append lock held.
   */
  private restoreLeaderStart(t: TopicState, p: PartitionState): boolean {
    const leader = this.log(t, p.leader!, p.partition);
    // Only a lost prefix: records deleted on purpose (retention, DeleteRecords) stay deleted.
    const recorded = leader.lostPrefixStart();
    if (recorded === null) return false;
    const start = leader.logStartOffset();
    const hwm = this.highWatermark(t.name, p.partition);
    const live = this.cluster.liveBrokerIds();
    const source = p.isr
      .filter((b) => b !== p.leader && live.has(b))
      .map((broker) => ({ broker, log: this.log(t, broker, p.partition) }))
      .find((s) => s.log.logStartOffset() < start && s.log.logEndOffset() >= hwm && firstHole(this.cluster.replicaDir(s.broker, t.name, p.partition)) === null);
    if (!source) return false;
    const from = Math.max(source.log.logStartOffset(), recorded);
    leader.openForWrite();
    leader.truncateFullyAndStartAt(from);
    copyFrom(source.log, leader, source.log.logEndOffset());
    this.notice(`Repaired ${t.name}-${p.partition} on broker ${p.leader}: its log started at ${start}, broker ${source.broker}'s at ${from}; made again from broker ${source.broker} (${from} to ${leader.logEndOffset() - 1}).`);
    return true;
  }

  private notice(message: string): void {
    this.logger(`[kafkit] ${message}`);
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
    for (let attempt = 0; ; attempt++) {
      const { t, p } = this.partition(topic, partition);
      const live = this.cluster.liveBrokerIds();
      if (p.leader === null || !live.has(p.leader)) {
        this.maybeReconcile();
        throw new LeaderNotAvailableError(`Partition ${topic}-${partition} has no leader: its in-sync replicas' brokers (${p.isr.join(', ')}) are all stopped.`);
      }
      const hwm = this.highWatermark(topic, partition);
      const r = this.log(t, p.leader, partition).read(offset, maxBytes, { maxOffset: hwm });
      // A damaged batch below the high watermark is healed from an in-sync copy before anyone sees it.
      if (attempt === 0 && !readIsWhole(r.records, offset, hwm) && this.heal(topic, partition, offset)) continue;
      return { records: r.records, highWatermark: hwm, logStartOffset: r.logStartOffset };
    }
  }

  /**
   * Kafka cannot do this: when the leader's copy of committed records is damaged and another live
   * in-sync replica holds them intact, the leader's log is cut at the first bad batch and the rest
   * copied back from that replica. Returns whether anything was repaired; with no valid copy the
   * reader meets the damage as before.
   */
  heal(topic: string, partition: number, offset: number): boolean {
    const stateDir = this.claimStateDir(topic, partition);
    return withLockSync(join(stateDir, 'append.lock'), () => {
      const { t, p } = this.partition(topic, partition);
      if (p.leader === null) return false;
      const leader = this.log(t, p.leader, partition);
      const hwm = this.highWatermark(topic, partition);
      const bad = firstCorruptOffset(leader, offset, hwm);
      if (bad === null) return false;
      const live = this.cluster.liveBrokerIds();
      const sources = p.isr.filter((b) => b !== p.leader && live.has(b));
      const plan = repairPlan(sources.map((b) => ({ broker: b, log: this.log(t, b, partition) })), bad, hwm);
      if (!plan) return false;
      const end = leader.logEndOffset();
      leader.openForWrite();
      leader.truncateTo(bad);
      for (const step of plan) copyFrom(step.log, leader, step.to);
      // Past the high watermark (uncommitted) the last source's tail is taken as it is, if it is whole.
      const last = plan[plan.length - 1].log;
      try {
        copyFrom(last, leader, Math.max(end, last.logEndOffset()));
      } catch {
        // The followers are cut back to the leader's end at the next append.
      }
      const from = plan.map((s) => `broker ${s.broker} (${s.from} to ${s.to - 1})`).join(', ');
      this.notice(`Repaired ${topic}-${partition} on broker ${p.leader}: a damaged batch at offset ${bad} and what followed were copied back from ${from} (${leader.logEndOffset() - bad} offsets).`);
      return true;
    });
  }

  /**
   * OffsetForLeaderEpoch on the leader: the largest epoch <= `epoch` its log knows and where that
   * epoch ends (its log end for the latest), -1/-1 when none is known.
   */
  endOffsetForEpoch(topic: string, partition: number, epoch: number): { epoch: number; endOffset: number } {
    const { t, p } = this.partition(topic, partition);
    const log = this.log(t, p.leader ?? p.replicas[0], partition);
    return log.epochs.endOffsetFor(epoch, log.logEndOffset());
  }

  logStartOffset(topic: string, partition: number): number {
    const { t, p } = this.partition(topic, partition);
    return this.log(t, p.leader ?? p.replicas[0], partition).logStartOffset();
  }

  /** ListOffsets over the committed records (below the high watermark); offset -1 when none matches. */
  listOffset(topic: string, partition: number, spec: OffsetSpec): { offset: number; timestamp: number } {
    const { t, p } = this.partition(topic, partition);
    const hwm = this.highWatermark(topic, partition);
    const log = this.log(t, p.leader ?? p.replicas[0], partition);
    // No tiered storage: the local log is the whole log, and nothing is tiered (Kafka answers -1 then).
    if (spec === 'earliest' || spec === 'earliest-local') return { offset: log.logStartOffset(), timestamp: -1 };
    if (spec === 'latest-tiered') return { offset: -1, timestamp: -1 };
    if (spec === 'latest') return { offset: hwm, timestamp: -1 };
    if (spec === 'max-timestamp') {
      const read = (offset: number, maxBytes: number) => this.read(topic, partition, offset, maxBytes).records;
      return offsetOfMaxTimestamp(read, log.logStartOffset(), hwm) ?? { offset: -1, timestamp: -1 };
    }
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
    this.unsubscribe();
    for (const { log } of this.logs.values()) closeQuietly(log);
    this.logs.clear();
  }

  /** The partition's shared state dir (append lock, high watermark), made or reclaimed for this topic id once per process. */
  private claimStateDir(topic: string, partition: number): string {
    const dir = this.cluster.partitionStateDir(topic, partition);
    const id = this.cluster.topic(topic)?.topicId;
    const key = `${dir}\0${id}`;
    if (id !== undefined && !this.stateDirs.has(key)) {
      claimPartitionDir(dir, id);
      this.stateDirs.add(key);
    }
    return dir;
  }
}
