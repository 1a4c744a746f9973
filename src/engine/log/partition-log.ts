// One replica of one partition: a directory of Kafka segments (see docs/engine-log.md).
//
// Several OS processes may have the same log open. Appends are serialised by a lock file and
// re-derive the tail from disk first, so in-memory state is only ever a cache of the files.
// Readers take no lock: they read whole batches up to the offset their caller allows (the high
// watermark), which the writer only advances after the bytes are written.
import { existsSync, ftruncateSync, fsyncSync, mkdirSync, openSync, closeSync, readdirSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { KafkaStorageError, OffsetOutOfRangeError, RecordTooLargeError, CorruptRecordError, toKafkitError } from '../../errors.js';
import { withLockSync } from '../fs/lock.js';
import { readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';
import { decodeBatch } from '../record/batch.js';
import {
  LOG_OVERHEAD,
  OFFSET_LAST_OFFSET_DELTA,
  OFFSET_MAX_TIMESTAMP,
  setBaseOffset,
  setLogAppendTime,
  setPartitionLeaderEpoch,
  validateBatchAt,
} from '../record/header.js';
import { DEFAULT_LOG_CONFIG, type LogConfig } from './config.js';
import { OFFSET_ENTRY, appendToFile, encodeOffsetEntry, encodeTimeEntry, floorEntry, forgetIndex, readIndex } from './index-file.js';
import { listSegments, pread, segmentPaths, walkBatches, withFd, type BatchPointer } from './segment-files.js';

export type { LogConfig } from './config.js';
export { DEFAULT_LOG_CONFIG } from './config.js';

const CLEAN_SHUTDOWN = '.kafka_cleanshutdown';
const RECOVERY_POINT = 'recovery-point-offset-checkpoint';
const LOG_START = 'log-start-offset-checkpoint';
const WRITERS = 'writers';
const READ_WINDOW = 64 * 1024;

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

/** What the tail of the active segment looks like, derived from its files. */
interface Tail {
  base: number;
  size: number;
  nextOffset: number;
  /** Position of the last offset-index entry's batch (0 when none): entries go every index.interval.bytes. */
  lastIndexedPosition: number;
  indexEntries: number;
  /** Largest timestamp in the time index, -1 when empty; the time index only grows. */
  lastIndexedTimestamp: number;
  maxTimestamp: number;
  firstBatchTimestamp: number;
}

export class PartitionLog {
  private config: LogConfig;
  private segments: number[] = [];
  private tail: Tail | undefined;
  private writer = false;
  private dirStamp = -1n;
  private unflushed = 0;

  private constructor(
    readonly dir: string,
    config: Partial<LogConfig>,
  ) {
    this.config = { ...DEFAULT_LOG_CONFIG, ...config };
  }

  static open(dir: string, config: Partial<LogConfig> = {}): PartitionLog {
    mkdirSync(dir, { recursive: true });
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

  logStartOffset(): number {
    const stored = readFileIfExists(join(this.dir, LOG_START));
    const fromFile = stored ? Number(stored.toString().trim()) || 0 : 0;
    this.segments = listSegments(this.dir);
    return Math.max(fromFile, this.segments[0] ?? 0);
  }

  logEndOffset(): number {
    return this.refreshTail().nextOffset;
  }

  /** Re-derives the active segment's tail from disk (another process may have appended or rolled). */
  private refreshTail(): Tail {
    // Creating or deleting a segment changes the directory's mtime: only then re-list it.
    const dirStamp = statSync(this.dir, { bigint: true }).mtimeNs;
    if (dirStamp !== this.dirStamp || !this.tail) {
      this.segments = listSegments(this.dir);
      this.dirStamp = dirStamp;
    }
    if (this.segments.length === 0) {
      const start = this.logStartOffsetFromFile();
      this.tail = emptyTail(start);
      return this.tail;
    }
    const base = this.segments[this.segments.length - 1];
    const paths = segmentPaths(this.dir, base);
    const size = statSync(paths.log).size;
    const t = this.tail;
    if (t && t.base === base && t.size === size) return t;
    let next: Tail;
    if (t && t.base === base && size > t.size) next = { ...t };
    else {
      const idx = readIndex(paths.index, 'offset', size);
      const tix = readIndex(paths.timeIndex, 'time');
      const n = idx.offsets.length;
      next = {
        base,
        size: n > 0 ? idx.values[n - 1] : 0,
        nextOffset: base,
        lastIndexedPosition: n > 0 ? idx.values[n - 1] : 0,
        indexEntries: n,
        lastIndexedTimestamp: tix.values.length > 0 ? tix.values[tix.values.length - 1] : -1,
        maxTimestamp: tix.values.length > 0 ? tix.values[tix.values.length - 1] : -1,
        firstBatchTimestamp: -1,
      };
    }
    withFd(paths.log, 'r', (fd) => {
      if (next.firstBatchTimestamp < 0 && size >= 61) next.firstBatchTimestamp = Number(pread(fd, OFFSET_MAX_TIMESTAMP, 8).readBigInt64BE(0));
      for (const b of walkBatches(fd, next.size, size)) {
        next.nextOffset = b.lastOffset + 1;
        next.size = b.position + b.size;
        if (b.maxTimestamp > next.maxTimestamp) next.maxTimestamp = b.maxTimestamp;
      }
    });
    if (next.nextOffset === base && next.size > 0) {
      // The index pointed into the segment but no batch followed it: scan the whole segment.
      next.size = 0;
      withFd(paths.log, 'r', (fd) => {
        for (const b of walkBatches(fd, 0, size)) {
          next.nextOffset = b.lastOffset + 1;
          next.size = b.position + b.size;
        }
      });
    }
    this.tail = next;
    return next;
  }

  private logStartOffsetFromFile(): number {
    const stored = readFileIfExists(join(this.dir, LOG_START));
    return stored ? Number(stored.toString().trim()) || 0 : 0;
  }

  /**
   * Appends one or more v2 batches. Offsets are assigned here unless `assignOffsets` is false
   * (a follower copying its leader's batches). Everything is validated before anything is written.
   */
  append(batches: Buffer, options: { assignOffsets?: boolean; leaderEpoch?: number; now?: number; lockHeld?: boolean } = {}): AppendResult {
    const starts: number[] = [];
    for (let pos = 0; pos < batches.length; ) {
      const size = validateBatchAt(batches, pos);
      if (size - LOG_OVERHEAD > this.config.maxMessageBytes) {
        throw new RecordTooLargeError(
          `The record batch is ${size - LOG_OVERHEAD} bytes, larger than max.message.bytes (${this.config.maxMessageBytes}); raise the topic's max.message.bytes or send smaller records.`,
        );
      }
      starts.push(pos);
      pos += size;
    }
    if (starts.length === 0) throw new CorruptRecordError('Nothing to append: no record batch given.');
    // lockHeld: the caller (ReplicaManager) serialises every append to this log with its own lock.
    if (options.lockHeld) return this.appendLocked(batches, starts, options);
    return withLockSync(this.lockPath, () => this.appendLocked(batches, starts, options), { onBroken: () => this.recover() });
  }

  private appendLocked(batches: Buffer, starts: number[], options: { assignOffsets?: boolean; leaderEpoch?: number; now?: number }): AppendResult {
    this.registerWriter();
    const now = options.now ?? Date.now();
    const logAppend = this.config.messageTimestampType === 'LogAppendTime';
    let tail = this.refreshTail();
    let incomingMaxTimestamp = -1;
    for (const pos of starts) incomingMaxTimestamp = Math.max(incomingMaxTimestamp, Number(batches.readBigInt64BE(pos + OFFSET_MAX_TIMESTAMP)));
    if (this.shouldRoll(tail, batches.length, logAppend ? now : incomingMaxTimestamp)) tail = this.roll(tail);

    const assign = options.assignOffsets ?? true;
    let next = tail.nextOffset;
    const pointers: BatchPointer[] = [];
    let maxTimestamp = -1;
    for (const pos of starts) {
      if (assign) setBaseOffset(batches, pos, next);
      const base = Number(batches.readBigInt64BE(pos));
      if (!assign && base < next) {
        throw new CorruptRecordError(`Out of order append: batch offset ${base} is below the log end offset ${next}.`);
      }
      if (options.leaderEpoch !== undefined) setPartitionLeaderEpoch(batches, pos, options.leaderEpoch);
      if (logAppend) setLogAppendTime(batches, pos, now);
      const size = LOG_OVERHEAD + batches.readInt32BE(pos + 8);
      const last = base + batches.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA);
      const ts = Number(batches.readBigInt64BE(pos + OFFSET_MAX_TIMESTAMP));
      if (ts > maxTimestamp) maxTimestamp = ts;
      pointers.push({ position: tail.size + pos, size, baseOffset: base, lastOffset: last, maxTimestamp: ts });
      next = last + 1;
    }

    const paths = segmentPaths(this.dir, tail.base);
    const fd = openSync(paths.log, 'a');
    try {
      let written = 0;
      while (written < batches.length) written += writeSync(fd, batches, written, batches.length - written);
    } catch (err) {
      // Leave the log exactly as it was: cut back whatever part of the write landed.
      try {
        ftruncateSync(fd, tail.size);
      } catch {
        // the storage error below is what matters
      }
      closeSync(fd);
      const e = toKafkitError(err);
      throw e instanceof KafkaStorageError ? e : new KafkaStorageError(`Cannot append to ${paths.log}: ${(err as Error).message}`);
    }
    closeSync(fd);

    this.indexBatches(tail, pointers);
    tail.size += batches.length;
    tail.nextOffset = next;
    if (tail.firstBatchTimestamp < 0) tail.firstBatchTimestamp = pointers[0].maxTimestamp;
    this.unflushed += next - pointers[0].baseOffset;
    if (this.unflushed >= this.config.flushMessages) this.flushLocked();
    return { firstOffset: pointers[0].baseOffset, lastOffset: next - 1, logAppendTime: logAppend ? now : -1, maxTimestamp };
  }

  private indexBatches(tail: Tail, pointers: BatchPointer[]): void {
    const paths = segmentPaths(this.dir, tail.base);
    const offsetEntries: Buffer[] = [];
    const timeEntries: Buffer[] = [];
    for (const p of pointers) {
      if (p.maxTimestamp > tail.maxTimestamp) tail.maxTimestamp = p.maxTimestamp;
      if (p.position + p.size - tail.lastIndexedPosition > this.config.indexIntervalBytes) {
        offsetEntries.push(encodeOffsetEntry(p.lastOffset - tail.base, p.position));
        tail.lastIndexedPosition = p.position;
        tail.indexEntries++;
        if (tail.maxTimestamp > tail.lastIndexedTimestamp) {
          timeEntries.push(encodeTimeEntry(tail.maxTimestamp, p.lastOffset - tail.base));
          tail.lastIndexedTimestamp = tail.maxTimestamp;
        }
      }
    }
    if (offsetEntries.length > 0) appendToFile(paths.index, Buffer.concat(offsetEntries));
    if (timeEntries.length > 0) appendToFile(paths.timeIndex, Buffer.concat(timeEntries));
  }

  /** Kafka's roll rules; segment.ms compares the incoming timestamp with the segment's first batch. */
  private shouldRoll(tail: Tail, appendSize: number, incomingTimestamp: number): boolean {
    if (this.segments.length === 0) return true;
    if (tail.size === 0) return false;
    if (tail.size + appendSize > this.config.segmentBytes) return true;
    if ((tail.indexEntries + 1) * OFFSET_ENTRY > this.config.segmentIndexBytes) return true;
    return tail.firstBatchTimestamp >= 0 && incomingTimestamp - tail.firstBatchTimestamp > this.config.segmentMs;
  }

  private roll(tail: Tail): Tail {
    const base = tail.nextOffset;
    const paths = segmentPaths(this.dir, base);
    if (this.segments.length > 0) {
      // The finished segment's data is made durable before a new one starts, as Kafka does on roll.
      this.fsyncSegment(tail.base);
    }
    writeFileSync(paths.log, '', { flag: 'a' });
    this.segments = listSegments(this.dir);
    this.tail = emptyTail(base);
    return this.tail;
  }

  private fsyncSegment(base: number): void {
    const paths = segmentPaths(this.dir, base);
    for (const p of [paths.log, paths.index, paths.timeIndex]) {
      if (!existsSync(p)) continue;
      withFd(p, 'r+', (fd) => fsyncSync(fd));
    }
  }

  /**
   * Whole batches from the one containing `offset`, up to `maxBytes` (at least one batch), never
   * including a batch that ends at or past `maxOffset`.
   */
  read(offset: number, maxBytes: number, options: { maxOffset?: number } = {}): ReadResult {
    const maxOffset = options.maxOffset ?? Number.MAX_SAFE_INTEGER;
    const start = this.logStartOffset();
    if (this.segments.length === 0) {
      if (offset === start) return { records: Buffer.alloc(0), logStartOffset: start, logEndOffset: start };
      throw outOfRange(offset, start, start);
    }
    if (offset < start) throw outOfRange(offset, start, this.logEndOffset());
    if (offset >= maxOffset) {
      const end = this.logEndOffset();
      if (offset > end) throw outOfRange(offset, start, end);
      return { records: Buffer.alloc(0), logStartOffset: start, logEndOffset: end };
    }
    let i = floorEntry(this.segments, offset);
    if (i < 0) i = 0;
    for (; i < this.segments.length; i++) {
      const base = this.segments[i];
      const found = this.readSegment(base, offset, maxBytes, maxOffset);
      if (found === 'gone') return this.read(offset, maxBytes, options);
      if (found) return { records: found, logStartOffset: start, logEndOffset: this.tail?.nextOffset ?? -1 };
    }
    const end = this.logEndOffset();
    if (offset > end) throw outOfRange(offset, start, end);
    return { records: Buffer.alloc(0), logStartOffset: start, logEndOffset: end };
  }

  private readSegment(base: number, offset: number, maxBytes: number, maxOffset: number): Buffer | null | 'gone' {
    const paths = segmentPaths(this.dir, base);
    let fd: number;
    try {
      fd = openSync(paths.log, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
      throw err;
    }
    try {
      const size = statSync(paths.log).size;
      const idx = readIndex(paths.index, 'offset', size);
      const e = floorEntry(idx.offsets, offset - base);
      let pos = e >= 0 ? idx.values[e] : 0;
      const chunks: Buffer[] = [];
      let taken = 0;
      while (pos < size) {
        const want = Math.max(READ_WINDOW, Math.min(maxBytes - taken, 8 * 1024 * 1024));
        const window = pread(fd, pos, Math.min(want, size - pos));
        let p = 0;
        let progressed = false;
        while (p + LOG_OVERHEAD <= window.length) {
          const bsize = LOG_OVERHEAD + window.readInt32BE(p + 8);
          if (bsize < 61) return chunks.length ? Buffer.concat(chunks) : null;
          if (p + bsize > window.length) {
            if (p === 0) {
              // A batch bigger than the window: read it alone.
              if (pos + bsize > size) return chunks.length ? Buffer.concat(chunks) : null;
              const whole = pread(fd, pos, bsize);
              const last = Number(whole.readBigInt64BE(0)) + whole.readInt32BE(OFFSET_LAST_OFFSET_DELTA);
              if (last >= maxOffset) return chunks.length ? Buffer.concat(chunks) : null;
              if (last >= offset) {
                if (taken > 0 && taken + bsize > maxBytes) return Buffer.concat(chunks);
                chunks.push(whole);
                taken += bsize;
              }
              pos += bsize;
              progressed = true;
            }
            break;
          }
          const baseOffset = Number(window.readBigInt64BE(p));
          const last = baseOffset + window.readInt32BE(p + OFFSET_LAST_OFFSET_DELTA);
          if (last >= maxOffset) return chunks.length ? Buffer.concat(chunks) : null;
          if (last >= offset) {
            if (taken > 0 && taken + bsize > maxBytes) return Buffer.concat(chunks);
            chunks.push(window.subarray(p, p + bsize));
            taken += bsize;
          }
          p += bsize;
          progressed = true;
        }
        if (!progressed) break;
        if (p > 0) pos += p;
        if (taken >= maxBytes) break;
      }
      return chunks.length ? Buffer.concat(chunks) : null;
    } finally {
      closeSync(fd);
    }
  }

  /** ListOffsets by timestamp: the first offset whose record timestamp is >= `timestamp`. */
  offsetForTimestamp(timestamp: number): { offset: number; timestamp: number } | null {
    const start = this.logStartOffset();
    for (const base of [...this.segments]) {
      const paths = segmentPaths(this.dir, base);
      if (!existsSync(paths.log)) continue;
      const size = statSync(paths.log).size;
      const tix = readIndex(paths.timeIndex, 'time');
      const idx = readIndex(paths.index, 'offset', size);
      // Entries whose max timestamp so far is below the target: everything up to them is older.
      let from = 0;
      const t = lowerBound(tix.values, timestamp) - 1;
      if (t >= 0) {
        const e = floorEntry(idx.offsets, tix.offsets[t]);
        if (e >= 0) from = idx.values[e];
      }
      const hit = withFd(paths.log, 'r', (fd) => {
        for (const b of walkBatches(fd, from, size)) {
          if (b.maxTimestamp < timestamp || b.lastOffset < start) continue;
          const batch = decodeBatch(pread(fd, b.position, b.size));
          for (const r of batch.records) if (r.offset >= start && r.timestamp >= timestamp) return { offset: r.offset, timestamp: r.timestamp };
        }
        return null;
      });
      if (hit) return hit;
    }
    return null;
  }

  /** fsync everything and move the recovery point to the log end. */
  flush(): void {
    withLockSync(this.lockPath, () => this.flushLocked());
  }

  private flushLocked(): void {
    const tail = this.refreshTail();
    if (this.segments.length > 0) this.fsyncSegment(tail.base);
    writeFileAtomicSync(join(this.dir, RECOVERY_POINT), `${tail.nextOffset}\n`);
    this.unflushed = 0;
  }

  private recoveryPoint(): number {
    const stored = readFileIfExists(join(this.dir, RECOVERY_POINT));
    return stored ? Number(stored.toString().trim()) || 0 : 0;
  }

  /**
   * After an unclean stop: re-check every batch after the recovery point, cut the log at the first
   * torn or corrupt one, drop everything after it, and rebuild the indexes of what was rescanned.
   */
  recover(): { truncatedAt: number | null } {
    return withLockSync(this.lockPath, () => {
      this.segments = listSegments(this.dir);
      this.tail = undefined;
      const rp = this.recoveryPoint();
      let i = Math.max(0, floorEntry(this.segments, rp));
      let truncatedAt: number | null = null;
      for (; i < this.segments.length; i++) {
        const base = this.segments[i];
        const paths = segmentPaths(this.dir, base);
        const size = statSync(paths.log).size;
        let good = 0;
        withFd(paths.log, 'r', (fd) => {
          while (good < size) {
            const head = pread(fd, good, LOG_OVERHEAD);
            if (head.length < LOG_OVERHEAD) break;
            const bsize = LOG_OVERHEAD + head.readInt32BE(8);
            if (bsize < 61 || good + bsize > size) break;
            try {
              validateBatchAt(pread(fd, good, bsize));
            } catch {
              break;
            }
            good += bsize;
          }
        });
        this.rebuildIndexes(base, good);
        if (good < size) {
          truncateSync(paths.log, good);
          truncatedAt = base;
          for (const later of this.segments.slice(i + 1)) this.deleteSegmentFiles(later);
          break;
        }
      }
      this.segments = listSegments(this.dir);
      this.refreshTail();
      return { truncatedAt };
    });
  }

  private rebuildIndexes(base: number, validBytes: number): void {
    const paths = segmentPaths(this.dir, base);
    const offsetEntries: Buffer[] = [];
    const timeEntries: Buffer[] = [];
    let lastIndexed = 0;
    let maxTs = -1;
    let lastTs = -1;
    withFd(paths.log, 'r', (fd) => {
      for (const b of walkBatches(fd, 0, validBytes)) {
        if (b.maxTimestamp > maxTs) maxTs = b.maxTimestamp;
        if (b.position + b.size - lastIndexed > this.config.indexIntervalBytes) {
          offsetEntries.push(encodeOffsetEntry(b.lastOffset - base, b.position));
          lastIndexed = b.position;
          if (maxTs > lastTs) {
            timeEntries.push(encodeTimeEntry(maxTs, b.lastOffset - base));
            lastTs = maxTs;
          }
        }
      }
    });
    writeFileAtomicSync(paths.index, Buffer.concat(offsetEntries), { fsync: false });
    writeFileAtomicSync(paths.timeIndex, Buffer.concat(timeEntries), { fsync: false });
    forgetIndex(paths.index);
    forgetIndex(paths.timeIndex);
  }

  private deleteSegmentFiles(base: number): void {
    const paths = segmentPaths(this.dir, base);
    for (const p of [paths.log, paths.index, paths.timeIndex]) {
      try {
        unlinkSync(p);
      } catch {
        // already gone
      }
      forgetIndex(p);
    }
  }

  /**
   * Deletes whole segments, oldest first and never the active one, that are past retention.ms
   * (by their largest timestamp) or beyond retention.bytes. Returns how many were deleted.
   */
  applyRetention(now = Date.now()): number {
    if (this.config.retentionMs < 0 && this.config.retentionBytes < 0) return 0;
    return withLockSync(this.lockPath, () => {
      this.refreshTail();
      const candidates = this.segments.slice(0, -1);
      const sizes = this.segments.map((b) => statSync(segmentPaths(this.dir, b).log).size);
      let total = sizes.reduce((a, b) => a + b, 0);
      let deleted = 0;
      for (let i = 0; i < candidates.length; i++) {
        const base = candidates[i];
        const byTime = this.config.retentionMs >= 0 && now - this.segmentMaxTimestamp(base) > this.config.retentionMs;
        const bySize = this.config.retentionBytes >= 0 && total - sizes[i] >= this.config.retentionBytes;
        if (!byTime && !bySize) break;
        this.setLogStartOffset(this.segments[i + 1]);
        this.deleteSegmentFiles(base);
        total -= sizes[i];
        deleted++;
      }
      this.segments = listSegments(this.dir);
      return deleted;
    });
  }

  private segmentMaxTimestamp(base: number): number {
    const paths = segmentPaths(this.dir, base);
    const size = statSync(paths.log).size;
    const tix = readIndex(paths.timeIndex, 'time');
    let max = tix.values.length ? tix.values[tix.values.length - 1] : -1;
    const idx = readIndex(paths.index, 'offset', size);
    const from = idx.values.length ? idx.values[idx.values.length - 1] : 0;
    withFd(paths.log, 'r', (fd) => {
      for (const b of walkBatches(fd, from, size)) if (b.maxTimestamp > max) max = b.maxTimestamp;
    });
    return max;
  }

  private setLogStartOffset(offset: number): void {
    writeFileAtomicSync(join(this.dir, LOG_START), `${offset}\n`, { fsync: false });
  }

  /** DeleteRecords: moves the log start offset up and drops segments wholly below it. */
  deleteRecordsBefore(offset: number): void {
    withLockSync(this.lockPath, () => {
      const tail = this.refreshTail();
      if (offset > tail.nextOffset) throw outOfRange(offset, this.logStartOffset(), tail.nextOffset);
      if (offset <= this.logStartOffset()) return;
      this.setLogStartOffset(offset);
      for (let i = 0; i + 1 < this.segments.length && this.segments[i + 1] <= offset; i++) this.deleteSegmentFiles(this.segments[i]);
      this.segments = listSegments(this.dir);
    });
  }

  /** Cuts the log back to `offset` (batch granularity): a follower realigning with its leader. */
  truncateTo(offset: number): void {
    withLockSync(this.lockPath, () => {
      this.refreshTail();
      for (const base of [...this.segments].reverse()) {
        if (base >= offset && base !== this.segments[0]) {
          this.deleteSegmentFiles(base);
          continue;
        }
        const paths = segmentPaths(this.dir, base);
        const size = statSync(paths.log).size;
        let cut = size;
        withFd(paths.log, 'r', (fd) => {
          for (const b of walkBatches(fd, 0, size)) {
            if (b.baseOffset >= offset) {
              cut = b.position;
              break;
            }
          }
        });
        if (cut < size) {
          truncateSync(paths.log, cut);
          this.rebuildIndexes(base, cut);
        }
        break;
      }
      this.tail = undefined;
      this.refreshTail();
    });
  }

  /**
   * First append of this process: if the last writer did not stop cleanly and nobody else is
   * writing now, recover; then register as a writer until close().
   */
  private registerWriter(): void {
    if (this.writer) return;
    const dir = join(this.dir, WRITERS);
    mkdirSync(dir, { recursive: true });
    const others = liveWriters(dir).filter((pid) => pid !== process.pid);
    const marker = join(this.dir, CLEAN_SHUTDOWN);
    if (others.length === 0 && !existsSync(marker) && listSegments(this.dir).length > 0) this.recover();
    writeFileSync(join(dir, String(process.pid)), '');
    try {
      unlinkSync(marker);
    } catch {
      // not there
    }
    this.writer = true;
  }

  /** The last writer to close flushes and leaves the clean-shutdown marker. */
  close(): void {
    if (!this.writer) return;
    withLockSync(this.lockPath, () => {
      const dir = join(this.dir, WRITERS);
      try {
        unlinkSync(join(dir, String(process.pid)));
      } catch {
        // already gone
      }
      this.writer = false;
      if (liveWriters(dir).length === 0) {
        this.flushLocked();
        writeFileAtomicSync(join(this.dir, CLEAN_SHUTDOWN), '');
      }
    });
  }
}

function emptyTail(base: number): Tail {
  return { base, size: 0, nextOffset: base, lastIndexedPosition: 0, indexEntries: 0, lastIndexedTimestamp: -1, maxTimestamp: -1, firstBatchTimestamp: -1 };
}

function lowerBound(values: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid] < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function liveWriters(dir: string): number[] {
  const live: number[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return live;
  }
  for (const n of names) {
    const pid = Number(n);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch (err) {
      alive = (err as NodeJS.ErrnoException).code === 'EPERM';
    }
    if (alive) live.push(pid);
    else {
      try {
        unlinkSync(join(dir, n));
      } catch {
        // another process cleaned it
      }
    }
  }
  return live;
}

function outOfRange(offset: number, start: number, end: number): OffsetOutOfRangeError {
  return new OffsetOutOfRangeError(`Offset ${offset} is out of range: the log holds offsets ${start} to ${end}.`);
}
