// One replica of one partition: a directory of Kafka segments (docs/engine-log.md).
//
// Several OS processes may have the same log open. Appends are serialised by <dir>/append.lock
// and re-derive the tail from the files first, so in-memory state is only a cache of the disk.
// Readers take no lock: they return only whole batches, never past the offset their caller allows
// (the high watermark), and re-list the directory when a segment rolled or went away.
import { closeSync, constants, copyFileSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readSync, statSync, writeSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { InvalidRecordError, KafkaStorageError, KafkitError, OffsetOutOfRangeError, RecordTooLargeError, CorruptRecordError, toKafkitError } from '../../errors.js';
import { withLockSync } from '../fs/lock.js';
import { removeStaleTmpFiles } from '../fs/atomic-file.js';
import { decodeBatch } from '../record/batch.js';
import {
  LOG_OVERHEAD,
  OFFSET_LAST_OFFSET_DELTA,
  OFFSET_LEADER_EPOCH,
  OFFSET_MAX_TIMESTAMP,
  OFFSET_RECORD_COUNT,
  readInt64,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  validateBatchAt,
} from '../record/header.js';
import { LOG_START_FILE, RECOVERY_POINT_FILE, cleanlyShutDown, currentBootId, readCheckpoint, removeCleanShutdownMarker, writeCheckpoint, writeCleanShutdownMarker } from './checkpoint.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './config.js';
import { forgetIndex, floorSlot, type IndexEntries } from './index-file.js';
import { OFFSET_ENTRY_SIZE, encodeOffsetEntry, entriesWithin, loadOffsetIndex, lookupSlot } from './offset-index.js';
import { deleteSegmentFiles, findDamage, rebuildIndexes, recoverLog, type LogDamage, type RecoveryResult } from './recovery.js';
import { planRetention, type SegmentInfo } from './retention.js';
import { LOG_SUFFIX, fileName, listSegments, pointerAt, pread, scanBatches, segmentPaths, walkBatches, withFd, type BatchPointer, type OffsetGap, type SegmentPaths } from './segment.js';
import { warn } from '../warn.js';
import { TIME_ENTRY_SIZE, encodeTimeEntry, entryBefore, loadTimeIndex } from './time-index.js';
import { otherLiveWriters, registerWriter, unregisterWriter } from './writers.js';
import { LeaderEpochCache } from './leader-epoch.js';

export type { LogConfig } from './config.js';
export { DEFAULT_LOG_CONFIG } from './config.js';
export type { LogDamage, RecoveryResult } from './recovery.js';

const MAX_RELATIVE_OFFSET = 0x7fffffff;
const HEAD = OFFSET_MAX_TIMESTAMP + 8;

export interface AppendOptions {
  /** false: keep the batches' own offsets (a follower copying its leader). Default true. */
  assignOffsets?: boolean;
  /** Stamped into every batch's partitionLeaderEpoch. */
  leaderEpoch?: number;
  /** The broker clock, for LogAppendTime and segment.ms (default Date.now()). */
  now?: number;
  /** The caller already serialises every append to this log with a lock of its own. */
  lockHeld?: boolean;
  /** The batches' CRCs are known good (built in this process, or checked already): only their framing is checked. */
  crcChecked?: boolean;
}

export interface AppendResult {
  firstOffset: number;
  lastOffset: number;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTime: number;
  maxTimestamp: number;
}

export interface ReadResult {
  records: Buffer;
  logStartOffset: number;
  logEndOffset: number;
}

/** The active segment as its files describe it. */
interface Tail {
  base: number;
  logPath: string;
  ino: number;
  /** File size when last looked at; `size` is where its whole batches end. */
  fileSize: number;
  size: number;
  nextOffset: number;
  indexCount: number;
  /** Position of the batch the last offset-index entry points at (0 when none). */
  lastIndexPosition: number;
  timeCount: number;
  lastTimeTimestamp: number;
  maxTimestamp: number;
  offsetOfMaxTimestamp: number;
  /** The first batch's max timestamp: what segment.ms is measured from (-1 when none). */
  firstBatchTimestamp: number;
  createdMs: number;
}

interface WriteFds {
  base: number;
  log: number;
  index: number;
  timeIndex: number;
}

export class PartitionLog {
  private config: LogConfig;
  private segments: number[] = [];
  private tail: Tail | undefined;
  private fds: WriteFds | undefined;
  private writer = false;
  private recoveryPoint = 0;
  private lastFlushMs = Date.now();
  /** Which leader epoch started where: read by catch-up to find where a returning replica diverged. */
  readonly epochs: LeaderEpochCache;
  private lastEpoch = -1;
  /** What the last recovery run by this instance found and cut (null: none ran). */
  lastRecovery: RecoveryResult | null = null;

  private constructor(
    readonly dir: string,
    config: Partial<LogConfig>,
  ) {
    this.config = { ...DEFAULT_LOG_CONFIG, ...config };
    this.epochs = new LeaderEpochCache(dir, () => this.epochsFromBatches());
  }

  /** Opens (creating the dir) without taking any lock; recovery after an unclean stop runs on the first write. */
  static open(dir: string, config: Partial<LogConfig> = {}): PartitionLog {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (err) {
      throw storageError(err, `create the log directory ${dir}`);
    }
    const log = new PartitionLog(dir, config);
    log.segments = listSegments(dir);
    return log;
  }

  updateConfig(config: Partial<LogConfig>): void {
    this.config = { ...this.config, ...config };
  }

  private get lockPath(): string {
    return join(this.dir, 'append.lock');
  }

  private locked<T>(fn: () => T): T {
    return withLockSync(this.lockPath, fn, { onBroken: () => this.recover() });
  }

  logStartOffset(): number {
    if (this.segments.length === 0) this.segments = listSegments(this.dir);
    // Retention writes the checkpoint before deleting files, so a stale segment list only ever
    // under-states the first segment and the checkpoint wins.
    const first = this.segments[0] ?? 0;
    const checkpoint = readCheckpoint(this.dir, LOG_START_FILE) ?? 0;
    if (checkpoint <= first) return first;
    const end = this.refreshTail(false)?.nextOffset;
    if (end !== undefined && checkpoint > end) {
      ignoreStartBeyondEnd(this.dir, checkpoint, end);
      return this.segments[0] ?? first;
    }
    return checkpoint;
  }

  /**
   * Where this log should start when its oldest segment(s) were lost: the first segment starts past
   * the recorded log start (retention, DeleteRecords and truncation record it before removing
   * anything), else null.
   */
  lostPrefixStart(): number | null {
    const first = listSegments(this.dir)[0];
    const recorded = readCheckpoint(this.dir, LOG_START_FILE) ?? 0;
    return first !== undefined && first > recorded ? recorded : null;
  }

  logEndOffset(): number {
    return this.refreshTail(false)?.nextOffset ?? this.logStartOffset();
  }

  // ---- the tail -------------------------------------------------------------------------------

  /**
   * The active segment's tail, re-derived from disk when another process appended, rolled, or
   * truncated. `repair` (writers, under the lock): cut a torn tail and torn index entries left by
   * a writer that died, so the next write starts at a batch boundary.
   */
  private refreshTail(repair: boolean): Tail | undefined {
    const t = this.tail;
    if (t && (!repair || t.size === t.fileSize)) {
      const st = statOrNull(t.logPath);
      if (st && st.ino === t.ino && st.size === t.fileSize) {
        // Same size: nobody appended here. A roll by another process starts at our next offset.
        if (t.nextOffset === t.base || statOrNull(join(this.dir, fileName(t.nextOffset, LOG_SUFFIX))) === null) return t;
      }
    }
    this.closeFds();
    for (let attempt = 0; ; attempt++) {
      this.segments = listSegments(this.dir);
      if (this.segments.length === 0) {
        this.tail = undefined;
        return undefined;
      }
      try {
        this.tail = this.loadTail(this.segments[this.segments.length - 1], repair);
        return this.tail;
      } catch (err) {
        // Deleted between the listing and the read (truncation in another process): list again.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 5) throw err;
      }
    }
  }

  private loadTail(base: number, repair: boolean): Tail {
    const paths = segmentPaths(this.dir, base);
    return withFd(paths.log, 'r', (fd) => {
      const st = fstatSync(fd);
      let idx = loadOffsetIndex(paths.index);
      let tix = loadTimeIndex(paths.timeIndex);
      const within = entriesWithin(idx, st.size);
      let count = within;
      let from = -1;
      // An entry that survived a torn write may point at a batch that is not whole: step back a
      // few entries before falling back to a full scan.
      while (count > 0 && count > within - 4) {
        from = verifiedPosition(fd, base, idx, count - 1, st.size);
        if (from >= 0) break;
        count--;
      }
      if (from < 0) {
        if (repair) {
          const whole = scanBatches(fd, 0, st.size, { end: 0, nextOffset: base, maxTimestamp: -1, offsetOfMaxTimestamp: base });
          rebuildIndexes(paths, base, whole.end, this.config.indexIntervalBytes);
          idx = loadOffsetIndex(paths.index);
          tix = loadTimeIndex(paths.timeIndex);
          count = idx.count;
          from = count > 0 ? idx.values[count - 1] : 0;
        } else {
          count = 0;
          from = 0;
        }
      }
      const scanFrom = (timeCount: number) =>
        scanBatches(fd, from, st.size, {
          end: from,
          nextOffset: base,
          maxTimestamp: timeCount > 0 ? tix.keys[timeCount - 1] : -1,
          offsetOfMaxTimestamp: timeCount > 0 ? base + tix.values[timeCount - 1] : base,
        });
      let timeCount = tix.count;
      let scan = scanFrom(timeCount);
      // Time entries naming offsets past the data (a torn tail) do not count, nor seed the maximum.
      while (timeCount > 0 && tix.values[timeCount - 1] >= scan.nextOffset - base) timeCount--;
      if (timeCount < tix.count) scan = scanFrom(timeCount);
      const first = st.size >= HEAD ? pointerAt(pread(fd, 0, HEAD), 0, 0) : null;
      let fileSize = st.size;
      // A whole batch with offsets that do not follow on is damage, not a torn write: cutting it
      // would drop every good batch after it, so a writer stops until the replica is repaired.
      if (repair && scan.gap) throw offsetGapError(paths.log, scan.gap);
      if (repair) {
        if (st.size > scan.end) truncateQuietly(paths.log, scan.end);
        if (idx.bytes !== count * OFFSET_ENTRY_SIZE) truncateQuietly(paths.index, count * OFFSET_ENTRY_SIZE);
        if (tix.bytes !== timeCount * TIME_ENTRY_SIZE) truncateQuietly(paths.timeIndex, timeCount * TIME_ENTRY_SIZE);
        fileSize = scan.end;
      }
      return {
        base,
        logPath: paths.log,
        ino: st.ino,
        fileSize,
        size: scan.end,
        nextOffset: scan.nextOffset,
        indexCount: count,
        lastIndexPosition: count > 0 ? idx.values[count - 1] : 0,
        timeCount,
        lastTimeTimestamp: timeCount > 0 ? tix.keys[timeCount - 1] : -1,
        maxTimestamp: scan.maxTimestamp,
        offsetOfMaxTimestamp: scan.offsetOfMaxTimestamp,
        firstBatchTimestamp: first && scan.end > 0 ? first.maxTimestamp : -1,
        createdMs: st.birthtimeMs > 0 ? st.birthtimeMs : st.ctimeMs,
      };
    });
  }

  private openFds(t: Tail): WriteFds {
    if (this.fds && this.fds.base === t.base) return this.fds;
    this.closeFds();
    const paths = segmentPaths(this.dir, t.base);
    // Positional writes need a descriptor without O_APPEND (Linux ignores the position with it).
    const flags = constants.O_RDWR | constants.O_CREAT;
    const log = openSync(paths.log, constants.O_RDWR);
    const index = openSync(paths.index, flags);
    const timeIndex = openSync(paths.timeIndex, flags);
    this.fds = { base: t.base, log, index, timeIndex };
    return this.fds;
  }

  private closeFds(): void {
    if (!this.fds) return;
    for (const fd of [this.fds.log, this.fds.index, this.fds.timeIndex]) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
    this.fds = undefined;
  }

  // ---- append ---------------------------------------------------------------------------------

  /**
   * Appends one or more v2 batches in one write. Every batch is checked (CRC, size) before
   * anything is written; a failed write is cut back, leaving the log as it was.
   */
  append(batches: Buffer, options: AppendOptions = {}): AppendResult {
    const starts: number[] = [];
    for (let pos = 0; pos < batches.length; ) {
      const size = validateBatchAt(batches, pos, !options.crcChecked);
      if (size > this.config.maxMessageBytes) {
        throw new RecordTooLargeError(
          `The record batch is ${size} bytes, larger than max.message.bytes (${this.config.maxMessageBytes}); raise the topic's max.message.bytes or send smaller batches.`,
        );
      }
      starts.push(pos);
      pos += size;
    }
    if (starts.length === 0) throw new CorruptRecordError('Nothing to append: the record set holds no batch.');
    const assign = options.assignOffsets ?? true;
    for (const pos of starts) {
      const count = batches.readInt32BE(pos + OFFSET_RECORD_COUNT);
      const delta = batches.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA);
      if (delta < 0 || (assign && count !== delta + 1)) {
        throw new InvalidRecordError(`Inconsistent batch offset range: ${count} record(s) but a last offset delta of ${delta}.`);
      }
    }
    if (options.lockHeld) return this.appendLocked(batches, starts, options);
    return this.locked(() => this.appendLocked(batches, starts, options));
  }

  private appendLocked(batches: Buffer, starts: number[], options: AppendOptions): AppendResult {
    try {
      this.ensureWriter();
      return this.writeBatches(batches, starts, options);
    } catch (err) {
      throw storageError(err, `append to ${this.dir}`);
    }
  }

  private writeBatches(batches: Buffer, starts: number[], options: AppendOptions): AppendResult {
    const assign = options.assignOffsets ?? true;
    const now = options.now ?? Date.now();
    // A follower keeps its leader's bytes, LogAppendTime stamps included: replicas stay byte-identical.
    const logAppend = this.config.messageTimestampType === 'LogAppendTime' && assign;
    const firstIncoming = readInt64(batches, starts[0]);
    let t = this.refreshTail(true);
    if (!t) t = this.createSegment(Math.max(this.logStartOffset(), assign ? 0 : firstIncoming));
    if (!assign && firstIncoming < t.nextOffset) {
      throw new InvalidRecordError(`Out of order append: batch offset ${firstIncoming} is below the log end offset ${t.nextOffset}.`);
    }
    if (!assign && firstIncoming > t.nextOffset) {
      // Offsets run on without gaps inside a segment (readers and recovery check it), so a
      // follower that skips ahead starts a segment at its first offset.
      if (t.size === 0) {
        this.closeFds();
        deleteSegmentFiles(this.dir, t.base);
        t = this.createSegment(firstIncoming);
      } else t = this.roll(t, firstIncoming);
    }
    const firstOffset = assign ? t.nextOffset : firstIncoming;
    let incomingMax = -1;
    let lastIncoming = firstOffset;
    for (const pos of starts) {
      if (!logAppend) incomingMax = Math.max(incomingMax, readInt64(batches, pos + OFFSET_MAX_TIMESTAMP));
      lastIncoming = assign ? lastIncoming + batches.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA) + 1 : readInt64(batches, pos) + batches.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA);
    }
    if (logAppend) incomingMax = now;
    if (this.shouldRoll(t, batches.length, starts.length, logAppend ? now : incomingMax, now, assign ? lastIncoming - 1 : lastIncoming)) {
      t = this.roll(t, firstOffset);
    }

    const interval = this.config.indexIntervalBytes;
    const offsetEntries: Buffer[] = [];
    const timeEntries: Buffer[] = [];
    let next = t.nextOffset;
    let lastIndexPosition = t.lastIndexPosition;
    let maxTs = t.maxTimestamp;
    let offsetOfMax = t.offsetOfMaxTimestamp;
    let lastTimeTs = t.lastTimeTimestamp;
    let appendMax = -1;
    for (const pos of starts) {
      if (assign) setBaseOffset(batches, pos, next);
      const base = readInt64(batches, pos);
      if (base !== next) throw new InvalidRecordError(`Out of order offsets in the record set: batch offset ${base} follows offset ${next - 1}.`);
      if (options.leaderEpoch !== undefined) setPartitionLeaderEpoch(batches, pos, options.leaderEpoch);
      if (logAppend) setLogAppendTime(batches, pos, now);
      const last = base + batches.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA);
      const ts = readInt64(batches, pos + OFFSET_MAX_TIMESTAMP);
      if (ts > appendMax) appendMax = ts;
      if (ts > maxTs) {
        maxTs = ts;
        offsetOfMax = last;
      }
      // Kafka's cadence: an entry once more than index.interval.bytes were written since the last.
      const position = t.size + pos;
      if (position - lastIndexPosition > interval) {
        offsetEntries.push(encodeOffsetEntry(last - t.base, position));
        lastIndexPosition = position;
        if (maxTs > lastTimeTs) {
          timeEntries.push(encodeTimeEntry(maxTs, offsetOfMax - t.base));
          lastTimeTs = maxTs;
        }
      }
      next = last + 1;
    }

    const fds = this.openFds(t);
    const before = { size: t.size, indexBytes: t.indexCount * OFFSET_ENTRY_SIZE, timeBytes: t.timeCount * TIME_ENTRY_SIZE, next: t.nextOffset, epoch: this.lastEpoch };
    try {
      writeFully(fds.log, batches, t.size);
      if (offsetEntries.length > 0) writeFully(fds.index, Buffer.concat(offsetEntries), t.indexCount * OFFSET_ENTRY_SIZE);
      if (timeEntries.length > 0) writeFully(fds.timeIndex, Buffer.concat(timeEntries), t.timeCount * TIME_ENTRY_SIZE);
      if (t.size === 0) t.firstBatchTimestamp = readInt64(batches, starts[0] + OFFSET_MAX_TIMESTAMP);
      t.size += batches.length;
      t.fileSize = t.size;
      t.nextOffset = next;
      t.indexCount += offsetEntries.length;
      t.lastIndexPosition = lastIndexPosition;
      t.timeCount += timeEntries.length;
      t.lastTimeTimestamp = lastTimeTs;
      t.maxTimestamp = maxTs;
      t.offsetOfMaxTimestamp = offsetOfMax;
      // Part of the append: a full disk that refuses the epoch checkpoint or the flush fails it too.
      this.noteEpochs(batches, starts);
      this.maybeFlush(next, now);
    } catch (err) {
      // Leave the log exactly as it was: cut back whatever part of the write landed, so that a
      // failed append never shows up later (a full disk, then space again) as records nobody acknowledged.
      try {
        ftruncateSync(fds.log, before.size);
        ftruncateSync(fds.index, before.indexBytes);
        ftruncateSync(fds.timeIndex, before.timeBytes);
      } catch {
        // the write error below is what the caller needs to see
      }
      if (this.lastEpoch !== before.epoch) {
        try {
          this.cutEpochs(before.next);
        } catch {
          // an epoch entry past the log end is cut when the log is next loaded
        }
      }
      this.tail = undefined;
      this.closeFds();
      throw err;
    }
    return { firstOffset, lastOffset: next - 1, logAppendTime: logAppend ? now : -1, maxTimestamp: appendMax };
  }

  /** A batch of a newer leader epoch than any before starts that epoch (Kafka's LeaderEpochFileCache.assign). */
  private noteEpochs(batches: Buffer, starts: number[]): void {
    for (const pos of starts) {
      const epoch = batches.readInt32BE(pos + OFFSET_LEADER_EPOCH);
      if (epoch <= this.lastEpoch) continue;
      this.epochs.assign(epoch, readInt64(batches, pos));
      this.lastEpoch = this.epochs.latest()?.epoch ?? epoch;
    }
  }

  /** The log was cut at `end`: forget the epochs that started at or after it. */
  private cutEpochs(end: number): void {
    this.epochs.truncateFromEnd(end);
    this.lastEpoch = this.epochs.latest()?.epoch ?? -1;
  }

  /** Kafka's roll rules (LogSegment.shouldRoll); a roll never leaves an empty segment behind. */
  private shouldRoll(t: Tail, bytes: number, batchCount: number, incomingTimestamp: number, now: number, lastOffset: number): boolean {
    if (t.size === 0) return false;
    if (t.size > this.config.segmentBytes - bytes) return true;
    const waited = t.firstBatchTimestamp >= 0 ? incomingTimestamp - t.firstBatchTimestamp : now - t.createdMs;
    if (waited > this.config.segmentMs) return true;
    if (t.indexCount + batchCount > Math.floor(this.config.segmentIndexBytes / OFFSET_ENTRY_SIZE)) return true;
    if (t.timeCount + batchCount > Math.floor(this.config.segmentIndexBytes / TIME_ENTRY_SIZE)) return true;
    return lastOffset - t.base > MAX_RELATIVE_OFFSET;
  }

  /**
   * Finishes the active segment (final time-index entry, fsync, recovery point moved to the new
   * base, as Kafka's roll schedules) and starts a new one at `base`.
   */
  private roll(t: Tail, base: number): Tail {
    if (t.maxTimestamp > t.lastTimeTimestamp) {
      const fds = this.openFds(t);
      writeFully(fds.timeIndex, encodeTimeEntry(t.maxTimestamp, t.offsetOfMaxTimestamp - t.base), t.timeCount * TIME_ENTRY_SIZE);
      forgetIndex(segmentPaths(this.dir, t.base).timeIndex);
    }
    this.closeFds();
    this.fsyncFrom(this.readRecoveryPoint());
    const next = this.createSegment(base);
    this.setRecoveryPoint(base);
    return next;
  }

  private createSegment(base: number): Tail {
    const paths = segmentPaths(this.dir, base);
    const fd = openSync(paths.log, constants.O_RDWR | constants.O_CREAT);
    try {
      if (fstatSync(fd).size > 0) {
        throw new KafkaStorageError(`Cannot roll to a new segment at offset ${base}: ${paths.log} already holds data; run recovery or remove the stray file.`);
      }
    } finally {
      closeSync(fd);
    }
    // Leftover indexes of an earlier segment with this base would describe other data.
    for (const p of [paths.index, paths.timeIndex]) {
      closeSync(openSync(p, 'w'));
      forgetIndex(p);
    }
    this.closeFds();
    this.segments = listSegments(this.dir);
    this.tail = this.loadTail(base, true);
    return this.tail;
  }

  // ---- flush and recovery ---------------------------------------------------------------------

  private maybeFlush(next: number, now: number): void {
    const byCount = next - this.recoveryPoint >= this.config.flushMessages;
    const byTime = now - this.lastFlushMs >= (this.config.flushMs ?? Number.MAX_SAFE_INTEGER);
    if (!byCount && !byTime) return;
    // Another process may have flushed meanwhile.
    if (byCount && !byTime && next - this.readRecoveryPoint() < this.config.flushMessages) return;
    this.flushLocked();
  }

  /** fsyncs every segment that may hold unflushed data and moves the recovery point to the log end. */
  flush(): void {
    try {
      this.locked(() => this.flushLocked());
    } catch (err) {
      throw storageError(err, `flush ${this.dir}`);
    }
  }

  private flushLocked(): void {
    // No tail repair here: with lockHeld appends another process may be mid-append right now.
    const t = this.refreshTail(false);
    if (!t) return;
    this.fsyncFrom(this.readRecoveryPoint());
    this.setRecoveryPoint(t.nextOffset);
    this.lastFlushMs = Date.now();
  }

  private fsyncFrom(recoveryPoint: number): void {
    const segs = listSegments(this.dir);
    const from = Math.max(0, floorSlot(Float64Array.from(segs), segs.length, recoveryPoint));
    for (const base of segs.slice(from)) fsyncSegment(segmentPaths(this.dir, base));
  }

  private readRecoveryPoint(): number {
    this.recoveryPoint = readCheckpoint(this.dir, RECOVERY_POINT_FILE) ?? 0;
    return this.recoveryPoint;
  }

  private setRecoveryPoint(offset: number): void {
    writeCheckpoint(this.dir, RECOVERY_POINT_FILE, offset);
    this.recoveryPoint = offset;
  }

  /**
   * Re-checks every batch's CRC from the recovery point on, cuts the log at the first torn or
   * corrupt batch, drops later segments and rebuilds indexes. Runs on its own after an unclean
   * stop and when a writer died holding the append lock.
   */
  recover(): RecoveryResult {
    return withLockSync(this.lockPath, () => {
      this.closeFds();
      this.tail = undefined;
      const result = recoverLog(this.dir, { recoveryPoint: this.readRecoveryPoint(), unclean: true, indexIntervalBytes: this.config.indexIntervalBytes });
      this.lastRecovery = result;
      this.afterLoad();
      return result;
    });
  }

  /**
   * Recovery in report-only mode: the first torn or corrupt batch, or offset gap, at or after the
   * segment holding `fromOffset`, without changing anything (no lock: a concurrent append shows
   * up at most as a torn tail). For repairing this replica from another one.
   */
  findDamage(fromOffset = 0): LogDamage | null {
    return findDamage(this.dir, fromOffset);
  }

  /** Where each leader epoch starts, from the batch headers (the leader-epoch checkpoint was missing or damaged). */
  private epochsFromBatches(): Array<{ epoch: number; startOffset: number }> {
    const out: Array<{ epoch: number; startOffset: number }> = [];
    for (const base of listSegments(this.dir)) {
      const path = segmentPaths(this.dir, base).log;
      try {
        withFd(path, 'r', (fd) => {
          for (const b of walkBatches(fd, 0, fstatSync(fd).size)) {
            if (b.leaderEpoch >= 0 && (out.length === 0 || b.leaderEpoch > out[out.length - 1].epoch)) out.push({ epoch: b.leaderEpoch, startOffset: b.baseOffset });
          }
        });
      } catch (err) {
        // Deleted meanwhile (retention, truncation): the later segments still tell.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return out;
  }

  /** After recovery cut the log below its start (Kafka's testLogEndLessThanStartAfterReopen): restart empty at the start. */
  private afterLoad(): void {
    let start = readCheckpoint(this.dir, LOG_START_FILE) ?? 0;
    const t = this.refreshTail(true);
    if (t && t.nextOffset < start) {
      // Kafka's loader deletes every segment here; a garbage checkpoint would then erase committed
      // data, so it is ignored (and rewritten) instead.
      ignoreStartBeyondEnd(this.dir, start, t.nextOffset);
      start = this.segments[0] ?? t.base;
      writeCheckpoint(this.dir, LOG_START_FILE, start);
    }
    if (this.readRecoveryPoint() > (this.tail?.nextOffset ?? start)) this.setRecoveryPoint(this.tail?.nextOffset ?? start);
    this.cutEpochs(this.tail?.nextOffset ?? start);
  }

  /**
   * First write by this instance: the first live writer loads the log (orphans, index sanity,
   * and a CRC rescan after an unclean stop), removes the clean-shutdown marker, and registers.
   */
  /** The base offsets of the segments, oldest first. */
  segmentBases(): number[] {
    this.segments = listSegments(this.dir);
    return this.segments;
  }

  /**
   * Catch-up by whole segments: `source`'s segment at `base` (this log ends there) is copied file by
   * file, in the kernel (copy_file_range). The copy's framing is checked before it counts (batch
   * headers, offsets running on to `next`), not its CRCs: the leader checked them when it appended,
   * every reader checks them again, and a damaged batch is then healed from an in-sync copy.
   * Reading the bytes to check CRCs would make catch-up several times slower than `cp`.
   * Its leader epochs come from `source`'s cache. Returns the offset after it.
   */
  adoptSegment(source: PartitionLog, base: number, next: number): number {
    return this.locked(() => {
      try {
        this.ensureWriter();
        const end = this.refreshTail(true)?.nextOffset ?? this.logStartOffset();
        if (end !== base) throw new InvalidRecordError(`Cannot adopt the segment at ${base}: this log ends at ${end}.`);
        const segs = listSegments(this.dir);
        // An empty active segment at the same base (a roll that took no batch yet) makes way.
        if (segs[segs.length - 1] === base) deleteSegmentFiles(this.dir, base);
        this.closeFds();
        this.tail = undefined;
        const from = segmentPaths(source.dir, base);
        const to = segmentPaths(this.dir, base);
        try {
          copyFileSync(from.log, to.log);
          copyFileSync(from.index, to.index);
          copyFileSync(from.timeIndex, to.timeIndex);
          forgetIndex(to.index);
          forgetIndex(to.timeIndex);
          checkSegmentFraming(to, base, next);
        } catch (err) {
          deleteSegmentFiles(this.dir, base);
          throw err;
        } finally {
          forgetIndex(to.index);
          forgetIndex(to.timeIndex);
        }
        this.segments = listSegments(this.dir);
        for (const e of source.epochs.load()) if (e.startOffset < next) this.epochs.assign(e.epoch, Math.max(e.startOffset, base));
        this.lastEpoch = this.epochs.latest()?.epoch ?? -1;
        return next;
      } catch (err) {
        throw storageError(err, `copy a segment into ${this.dir}`);
      }
    });
  }

  /** Loads the log for writing now (recovering it after an unclean stop) instead of at the first append. */
  openForWrite(): void {
    try {
      this.ensureWriter();
    } catch (err) {
      throw storageError(err, `open ${this.dir}`);
    }
  }

  private ensureWriter(): void {
    if (this.writer) return;
    // Always under append.lock (re-entrant), even for a lockHeld append, so that two processes
    // can never both decide they are the first writer and recover at the same time.
    withLockSync(this.lockPath, () => this.registerAsWriter());
  }

  private registerAsWriter(): void {
    if (otherLiveWriters(this.dir).length === 0) {
      // Checkpoints a killed writer never renamed into place.
      removeStaleTmpFiles(this.dir);
      const unclean = !cleanlyShutDown(this.dir) && listSegments(this.dir).length > 0;
      this.closeFds();
      this.tail = undefined;
      this.lastRecovery = recoverLog(this.dir, { recoveryPoint: this.readRecoveryPoint(), unclean, indexIntervalBytes: this.config.indexIntervalBytes });
      this.afterLoad();
      removeCleanShutdownMarker(this.dir);
    }
    registerWriter(this.dir);
    this.writer = true;
    this.readRecoveryPoint();
  }

  /**
   * The last writer to close leaves the clean-shutdown marker. Kafka flushes first; here the marker
   * names the machine's boot instead where the OS tells it, so that closing does not wait for the
   * disk (an fsync of a 100 MB segment is most of a 1M-line console producer's run): the page cache
   * survives the process, and after a reboot the marker no longer counts and recovery rescans.
   */
  close(): void {
    this.closeFds();
    if (!this.writer) return;
    this.writer = false;
    try {
      this.locked(() => {
        if (unregisterWriter(this.dir) && otherLiveWriters(this.dir).length === 0) {
          const boot = currentBootId();
          if (boot === undefined) this.flushLocked();
          try {
            writeCleanShutdownMarker(this.dir, boot);
          } catch (err) {
            // A full disk: without the marker the next writer rescans the log, which loses nothing.
            if (!(err instanceof KafkaStorageError)) throw err;
          }
        }
      });
    } catch (err) {
      throw storageError(err, `close ${this.dir}`);
    } finally {
      this.closeFds();
    }
  }

  // ---- read -----------------------------------------------------------------------------------

  /**
   * Whole batches from the one holding `offset`, up to `maxBytes` (at least one batch, even a
   * bigger one), never a batch whose last offset is >= `maxOffset` (the high watermark).
   */
  read(offset: number, maxBytes: number, options: { maxOffset?: number } = {}): ReadResult {
    const maxOffset = options.maxOffset ?? Number.MAX_SAFE_INTEGER;
    const start = this.logStartOffset();
    if (offset < start) throw outOfRange(offset, start, this.logEndOffset());
    if (offset < maxOffset) {
      let relisted = false;
      let i = Math.max(0, floorSlot(Float64Array.from(this.segments), this.segments.length, offset));
      while (i < this.segments.length) {
        const found = this.readSegment(this.segments[i], offset, maxBytes, maxOffset);
        if (found === 'gone') {
          // Deleted by retention or truncation in another process: start over from the listing.
          this.segments = listSegments(this.dir);
          return this.read(offset, maxBytes, options);
        }
        if (found === 'stop') break;
        if (found) return { records: found, logStartOffset: start, logEndOffset: this.logEndOffset() };
        i++;
        if (i === this.segments.length && !relisted) {
          // Past what we knew: another process may have rolled. Look again from the segment that
          // holds `offset`, not from the first new one: the writer may have appended to the segment
          // we just read (after we sized it) before rolling, and those records must not be skipped.
          relisted = true;
          this.segments = listSegments(this.dir);
          i = Math.max(0, floorSlot(Float64Array.from(this.segments), this.segments.length, offset));
        }
      }
    }
    const end = this.logEndOffset();
    if (offset > end) throw outOfRange(offset, start, end);
    return { records: Buffer.alloc(0), logStartOffset: start, logEndOffset: end };
  }

  /** Batches from one segment; null when the segment holds nothing at or after `offset`, 'stop' at maxOffset. */
  private readSegment(base: number, offset: number, maxBytes: number, maxOffset: number): Buffer | null | 'gone' | 'stop' {
    const paths = segmentPaths(this.dir, base);
    let fd: number;
    try {
      fd = openSync(paths.log, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw storageError(err, `read ${paths.log}`);
    }
    try {
      const size = fstatSync(fd).size;
      const from = this.indexedPosition(fd, paths, base, size, offset);
      // Usually one read does it all: the batches to skip after the index entry are at most about
      // index.interval.bytes plus one batch, so read that much more than asked for.
      const region = pread(fd, from, Math.min(size - from, Math.max(maxBytes, 0) + 2 * this.config.indexIntervalBytes + 1024));
      // Offsets must run on from batch to batch (from the segment's base at position 0): a batch
      // that does not follow on is damaged, and reading past it would silently skip records.
      let expected = from === 0 ? base : -1;
      const follows = (n: BatchPointer) => expected < 0 || n.baseOffset === expected;
      const check = (n: BatchPointer) => {
        if (!follows(n)) throw offsetGapError(paths.log, { position: n.position, expected, baseOffset: n.baseOffset, lastOffset: n.lastOffset });
        expected = n.lastOffset + 1;
      };
      let p = 0;
      let b = pointerAt(region, 0, from);
      while (b && p + b.size <= region.length && b.lastOffset < offset) {
        check(b);
        p += b.size;
        b = pointerAt(region, p, from + p);
      }
      if (b && p + b.size <= region.length && b.lastOffset >= offset) {
        check(b);
        if (b.lastOffset >= maxOffset) return 'stop';
        const start = p;
        p += b.size;
        for (;;) {
          const n = pointerAt(region, p, from + p);
          // A damaged batch after good ones: return the good ones; the next read reports it.
          if (!n || p + n.size > region.length || p + n.size - start > maxBytes || n.lastOffset >= maxOffset || !follows(n)) break;
          expected = n.lastOffset + 1;
          p += n.size;
        }
        return region.subarray(start, p);
      }
      let first: BatchPointer | null = null;
      for (const w of walkBatches(fd, from + p, size)) {
        check(w);
        if (w.lastOffset >= offset) {
          first = w;
          break;
        }
      }
      if (!first) return null;
      if (first.lastOffset >= maxOffset) return 'stop';
      // A long skip or a batch bigger than the first read: read again from the batch.
      const whole = pread(fd, first.position, Math.min(size - first.position, Math.max(maxBytes, first.size)));
      let end = first.size;
      while (end + LOG_OVERHEAD <= whole.length) {
        const n = pointerAt(whole, end, first.position + end);
        if (!n || end + n.size > whole.length || n.lastOffset >= maxOffset || !follows(n)) break;
        expected = n.lastOffset + 1;
        end += n.size;
      }
      return whole.subarray(0, end);
    } finally {
      closeSync(fd);
    }
  }

  /** Where a scan for `offset` may start: the offset index's floor entry if it checks out, else 0. */
  private indexedPosition(fd: number, paths: SegmentPaths, base: number, size: number, offset: number): number {
    const idx = loadOffsetIndex(paths.index);
    const slot = lookupSlot(idx, entriesWithin(idx, size), offset - base);
    return Math.max(0, verifiedPosition(fd, base, idx, slot, size));
  }

  /** ListOffsets by timestamp: the first offset at or after the log start whose timestamp is >= `timestamp`. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    this.segments = listSegments(this.dir);
    const start = this.logStartOffset();
    for (const base of this.segments) {
      const paths = segmentPaths(this.dir, base);
      let hit: { offset: number; timestamp: number } | null | 'skip';
      try {
        hit = withFd(paths.log, 'r', (fd) => {
          const size = fstatSync(fd).size;
          const tix = loadTimeIndex(paths.timeIndex);
          const slot = entryBefore(tix, tix.count, timestamp);
          const from = slot >= 0 ? this.indexedPosition(fd, paths, base, size, base + tix.values[slot]) : 0;
          for (const b of walkBatches(fd, from, size)) {
            if (b.maxTimestamp < timestamp || b.lastOffset < start) continue;
            for (const r of decodeBatch(pread(fd, b.position, b.size)).records) {
              if (r.offset >= start && r.timestamp >= timestamp) return { offset: r.offset, timestamp: r.timestamp };
            }
          }
          return null;
        });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') hit = 'skip';
        else throw err;
      }
      if (hit && hit !== 'skip') return hit;
    }
    return null;
  }

  // ---- retention and truncation ---------------------------------------------------------------

  /**
   * Deletes whole segments, oldest first and never the active one, past retention.ms (by their
   * largest timestamp), beyond retention.bytes, or wholly below the log start offset. Returns how
   * many segments were deleted.
   */
  applyRetention(now = Date.now()): number {
    try {
      return this.locked(() => {
        const segs = listSegments(this.dir);
        if (segs.length <= 1) return 0;
        const start = this.logStartOffset();
        const infos: SegmentInfo[] = segs.map((base, i) => this.segmentInfo(base, i < segs.length - 1 && this.config.retentionMs >= 0));
        const plan = planRetention(infos, this.config, start, now);
        if (plan.delete.length === 0) return 0;
        this.ensureWriter();
        // The start moves first, so a reader that still sees a doomed segment gets OffsetOutOfRange, not a hole.
        if (plan.logStartOffset > start) writeCheckpoint(this.dir, LOG_START_FILE, plan.logStartOffset);
        for (const base of plan.delete) deleteSegmentFiles(this.dir, base);
        this.segments = listSegments(this.dir);
        return plan.delete.length;
      });
    } catch (err) {
      throw storageError(err, `apply retention to ${this.dir}`);
    }
  }

  private segmentInfo(base: number, withTimestamp: boolean): SegmentInfo {
    const paths = segmentPaths(this.dir, base);
    const st = statSync(paths.log);
    if (!withTimestamp) return { base, size: st.size, largestTimestamp: -1 };
    const largest = withFd(paths.log, 'r', (fd) => {
      const tix = loadTimeIndex(paths.timeIndex);
      const idx = loadOffsetIndex(paths.index);
      const from = Math.max(0, verifiedPosition(fd, base, idx, entriesWithin(idx, st.size) - 1, st.size));
      const seed = tix.count > 0 ? tix.keys[tix.count - 1] : -1;
      return scanBatches(fd, from, st.size, { end: from, nextOffset: base, maxTimestamp: seed, offsetOfMaxTimestamp: base }).maxTimestamp;
    });
    // Kafka falls back to the file's modification time for a segment without timestamps.
    return { base, size: st.size, largestTimestamp: largest >= 0 ? largest : st.mtimeMs };
  }

  /** DeleteRecords: moves the log start offset up to `offset` and drops the segments wholly below it. */
  deleteRecordsBefore(offset: number): void {
    this.locked(() => {
      const end = this.refreshTail(false)?.nextOffset ?? this.logStartOffset();
      const start = this.logStartOffset();
      if (offset > end) throw outOfRange(offset, start, end);
      if (offset <= start) return;
      try {
        this.ensureWriter();
        writeCheckpoint(this.dir, LOG_START_FILE, offset);
        const segs = listSegments(this.dir);
        for (let i = 0; i + 1 < segs.length && segs[i + 1] <= offset; i++) deleteSegmentFiles(this.dir, segs[i]);
        this.segments = listSegments(this.dir);
      } catch (err) {
        throw storageError(err, `delete records of ${this.dir}`);
      }
    });
  }

  /** Kafka's truncateFullyAndStartAt: the log restarts empty at `offset` (a replica too far behind its leader's log start). */
  truncateFullyAndStartAt(offset: number): void {
    this.locked(() => {
      try {
        this.ensureWriter();
        this.closeFds();
        this.tail = undefined;
        writeCheckpoint(this.dir, LOG_START_FILE, offset);
        for (const base of listSegments(this.dir)) deleteSegmentFiles(this.dir, base);
        this.createSegment(offset);
        this.setRecoveryPoint(offset);
        this.epochs.clear();
        this.lastEpoch = -1;
      } catch (err) {
        throw storageError(err, `truncate ${this.dir}`);
      }
    });
  }

  /**
   * Removes every offset >= `offset` (batch granularity: a batch holding `offset` goes whole, as in
   * Kafka). Below the first segment, the log restarts empty at `offset`.
   */
  truncateTo(offset: number): void {
    this.locked(() => {
      try {
        this.ensureWriter();
        this.closeFds();
        this.tail = undefined;
        const segs = listSegments(this.dir);
        if (segs.length === 0) return;
        if (offset <= segs[0]) {
          writeCheckpoint(this.dir, LOG_START_FILE, offset);
          for (const base of segs) deleteSegmentFiles(this.dir, base);
          this.createSegment(offset);
        } else {
          for (const base of [...segs].reverse()) {
            if (base >= offset) {
              deleteSegmentFiles(this.dir, base);
              continue;
            }
            const paths = segmentPaths(this.dir, base);
            const size = statSync(paths.log).size;
            let cut = size;
            withFd(paths.log, 'r', (fd) => {
              for (const b of walkBatches(fd, 0, size)) {
                if (b.lastOffset >= offset) {
                  cut = b.position;
                  break;
                }
              }
            });
            if (cut < size) truncateQuietly(paths.log, cut, true);
            rebuildIndexes(paths, base, cut, this.config.indexIntervalBytes);
            break;
          }
        }
        const end = this.refreshTail(true)?.nextOffset ?? offset;
        if (this.readRecoveryPoint() > end) this.setRecoveryPoint(end);
        this.cutEpochs(end);
      } catch (err) {
        throw storageError(err, `truncate ${this.dir}`);
      }
    });
  }
}

/**
 * A copied segment's framing: it starts at `base`, its last offset-index entry names a whole batch,
 * and the batches from there run on to `next` and end with the file (the index vouches for the part
 * before, as it does when a log is loaded).
 */
function checkSegmentFraming(paths: SegmentPaths, base: number, next: number): void {
  const path = paths.log;
  withFd(path, 'r', (fd) => {
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(HEAD);
    const first = size >= HEAD && readSync(fd, head, 0, HEAD, 0) === HEAD ? pointerAt(head, 0, 0) : null;
    if (size > 0 && first?.baseOffset !== base) throw new CorruptRecordError(`The copy ${path} does not start at offset ${base}.`);
    const idx = loadOffsetIndex(paths.index);
    let pos = Math.max(0, verifiedPosition(fd, base, idx, entriesWithin(idx, size) - 1, size));
    let expected = pos === 0 ? base : (pointerAt(pread(fd, pos, HEAD), 0, pos)?.baseOffset ?? -1);
    while (pos < size) {
      const b = readSync(fd, head, 0, HEAD, pos) === HEAD ? pointerAt(head, 0, pos) : null;
      if (!b || pos + b.size > size || b.baseOffset !== expected) {
        throw new CorruptRecordError(`The copy ${path} does not check out at position ${pos} (offset ${expected} expected).`);
      }
      expected = b.lastOffset + 1;
      pos += b.size;
    }
    if (expected !== next) throw new CorruptRecordError(`The copy ${path} ends at offset ${expected}, not ${next}.`);
  });
}

/** Position of index slot `slot` if a whole batch there ends at the offset the entry names, else -1. */
function verifiedPosition(fd: number, base: number, idx: IndexEntries, slot: number, fileSize: number): number {
  if (slot < 0) return -1;
  const position = idx.values[slot];
  const b = pointerAt(pread(fd, position, HEAD), 0, position);
  return b && b.lastOffset === base + idx.keys[slot] && position + b.size <= fileSize ? position : -1;
}

/** A batch whose offsets do not follow on from the one before it (or from the segment's base). */
export function offsetGapError(path: string, gap: OffsetGap): CorruptRecordError {
  const before = gap.position === 0 ? `the segment starts at offset ${gap.expected}` : `the batch before it ends at offset ${gap.expected - 1}`;
  return new CorruptRecordError(
    `Corrupt log segment ${path}: the batch at position ${gap.position} holds offsets ${gap.baseOffset} to ${gap.lastOffset}, but ${before}; repair this replica from a healthy one or truncate it below offset ${gap.expected}.`,
  );
}

function ignoreStartBeyondEnd(dir: string, start: number, end: number): void {
  warn(`Ignoring ${join(dir, LOG_START_FILE)}: its log start offset ${start} is beyond the log end offset ${end}, so the file is corrupt.`);
}

function writeFully(fd: number, data: Buffer, position: number): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off, position + off);
}

function fsyncSegment(paths: SegmentPaths): void {
  for (const p of [paths.log, paths.index, paths.timeIndex]) {
    let fd: number;
    try {
      fd = openSync(p, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

function statOrNull(path: string): Stats | null {
  // No exception for a missing file: building one costs more than the stat itself.
  return statSync(path, { throwIfNoEntry: false }) ?? null;
}

function truncateQuietly(path: string, size: number, strict = false): void {
  try {
    const fd = openSync(path, constants.O_RDWR);
    try {
      ftruncateSync(fd, size);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    if (strict || (err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  forgetIndex(path);
}

/** fs failures become KafkaStorageError naming the operation; our typed errors pass through. */
function storageError(err: unknown, what: string): Error {
  // A full disk met while writing a checkpoint: still say which operation failed.
  if (err instanceof KafkaStorageError && !err.message.startsWith('Cannot ')) return new KafkaStorageError(`Cannot ${what}: ${err.message}`, { cause: err });
  if (err instanceof KafkitError) return err;
  if (!(err as NodeJS.ErrnoException)?.code) return err as Error;
  const mapped = toKafkitError(err);
  if (mapped instanceof KafkaStorageError) return new KafkaStorageError(`Cannot ${what}: ${mapped.message}`, { cause: err });
  return new KafkaStorageError(`Cannot ${what}: ${(err as Error).message}; check the disk and the data dir.`, { cause: err });
}

function outOfRange(offset: number, start: number, end: number): OffsetOutOfRangeError {
  return new OffsetOutOfRangeError(`Offset ${offset} is out of range: the log holds offsets ${start} to ${end}.`);
}
