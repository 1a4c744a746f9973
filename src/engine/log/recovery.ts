// Log loading after a stop (Kafka's LogLoader + LogSegment.recover): orphan index files and stale
// tmp files go, indexes that are missing or fail a sanity check are rebuilt from the .log, and after
// an unclean stop every segment from the recovery point on is re-read with each batch's CRC checked.
// The first torn or corrupt batch ends the log: the .log is cut there and later segments are dropped,
// because what follows a gap cannot be trusted.
import { closeSync, fstatSync, ftruncateSync, openSync, statSync, truncateSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptRecordError } from '../../errors.js';
import { LOG_OVERHEAD, BATCH_HEADER_SIZE, OFFSET_LAST_OFFSET_DELTA, OFFSET_MAX_TIMESTAMP, validateBatchAt } from '../record/header.js';
import { forgetIndex } from './index-file.js';
import { removeStaleTmpFiles } from '../fs/atomic-file.js';
import { OFFSET_ENTRY_SIZE, encodeOffsetEntry, entriesWithin, loadOffsetIndex } from './offset-index.js';
import { TIME_ENTRY_SIZE, encodeTimeEntry, loadTimeIndex } from './time-index.js';
import { listDir, pointerAt, pread, scanBatches, segmentPaths, walkBatches, withFd, type SegmentPaths } from './segment.js';
import { RECOVERY_POINT_FILE } from './checkpoint.js';
import { warn } from '../warn.js';

const RECOVERY_WINDOW = 8 * 1024 * 1024;
const MAX_RELATIVE_OFFSET = 0x7fffffff;

export interface RecoveryResult {
  /** Base offset of the segment that was cut, or null when nothing was truncated. */
  truncatedAt: number | null;
  /** Bytes cut from that segment plus the bytes of the segments dropped after it. */
  truncatedBytes: number;
  /** Segments whose indexes were rebuilt. */
  rebuilt: number[];
  /** Where and why the log was cut (null when nothing was): the log now ends at `damage.offset`. */
  damage: LogDamage | null;
}

/** The first place a log stops being valid. */
export interface LogDamage {
  /** The segment's .log file. */
  path: string;
  segmentBase: number;
  /** Byte position of the first invalid batch (or torn bytes) in that file. */
  position: number;
  /** The first offset that is not backed by a valid batch: the log's valid prefix ends here. */
  offset: number;
  /** Bytes from `position` to the end of that file. */
  bytes: number;
  reason: string;
}

export interface SegmentCheck {
  validBytes: number;
  size: number;
  /** The offset after the last valid batch (the segment's base when none is valid). */
  nextOffset: number;
  /** Why the valid prefix ends before the end of the file (undefined when it does not). */
  reason?: string;
}

/**
 * Bytes at the start of the segment's .log that hold whole batches with a good CRC, v2 magic and
 * offsets that run on without gaps from the segment's base and fit its 32-bit relative offsets.
 */
export function validPrefix(path: string, base: number, from: { position: number; offset: number; limit: number } = { position: 0, offset: base, limit: Infinity }): SegmentCheck {
  return withFd(path, 'r', (fd) => {
    const size = statSync(path).size;
    let pos = from.position;
    let next = from.offset;
    let window: Buffer = Buffer.alloc(0);
    let windowStart = pos;
    let reason: string | undefined;
    // `limit`: stop at the first batch boundary after that many bytes (a bounded scrub step); validBytes < size then without a reason.
    while (pos < size && pos - from.position < from.limit) {
      if (pos + LOG_OVERHEAD > size) {
        reason = `torn batch: ${size - pos} byte(s) at the end, too few for a batch header`;
        break;
      }
      let p = pos - windowStart;
      if (p < 0 || p + LOG_OVERHEAD > window.length) {
        windowStart = pos;
        window = pread(fd, pos, Math.min(RECOVERY_WINDOW, size - pos));
        p = 0;
      }
      const bsize = LOG_OVERHEAD + window.readInt32BE(p + 8);
      if (bsize < BATCH_HEADER_SIZE) {
        reason = `invalid batch size ${bsize}`;
        break;
      }
      if (pos + bsize > size) {
        reason = `torn batch: ${bsize} byte(s) announced, ${size - pos} present`;
        break;
      }
      if (p + bsize > window.length) {
        windowStart = pos;
        window = pread(fd, pos, Math.min(Math.max(RECOVERY_WINDOW, bsize), size - pos));
        p = 0;
      }
      try {
        validateBatchAt(window, p);
      } catch (err) {
        if (!(err instanceof CorruptRecordError)) throw err;
        reason = err.message;
        break;
      }
      const baseOffset = Number(window.readBigInt64BE(p));
      const last = baseOffset + window.readInt32BE(p + OFFSET_LAST_OFFSET_DELTA);
      if (baseOffset !== next || last < baseOffset) {
        reason = `offsets ${baseOffset} to ${last} where offset ${next} was expected`;
        break;
      }
      if (last - base > MAX_RELATIVE_OFFSET) {
        reason = `offset ${last} does not fit the segment's 32-bit relative offsets`;
        break;
      }
      next = last + 1;
      pos += bsize;
    }
    return reason === undefined ? { validBytes: pos, size, nextOffset: next } : { validBytes: pos, size, nextOffset: next, reason };
  });
}

/**
 * Report-only recovery: the first invalid batch (torn, bad CRC, or offsets that do not run on,
 * also across segments) in the segments holding offsets >= `fromOffset`, or null. Nothing is
 * changed; a caller that can repair the replica from another one decides what to do.
 */
export function findDamage(dir: string, fromOffset = 0): LogDamage | null {
  const { segments } = listDir(dir);
  let i = 0;
  while (i + 1 < segments.length && segments[i + 1] <= fromOffset) i++;
  let previousEnd = -1;
  for (; i < segments.length; i++) {
    const base = segments[i];
    const path = segmentPaths(dir, base).log;
    if (base < previousEnd) {
      return { path, segmentBase: base, position: 0, offset: previousEnd, bytes: statSync(path).size, reason: `the segment starts at offset ${base}, below the previous segment's end ${previousEnd}` };
    }
    const check = validPrefix(path, base);
    if (check.reason !== undefined) return damageAt(path, base, check);
    previousEnd = check.nextOffset;
  }
  return null;
}

/**
 * Where a scrub of a replica stopped: in the segment at `base`, at byte `position`, where a batch
 * starting at `offset` is due (-1: not known, e.g. at the very start).
 */
export interface ScrubCursor {
  base: number;
  position: number;
  offset: number;
}

export const SCRUB_START: ScrubCursor = { base: 0, position: 0, offset: -1 };

/**
 * One bounded step of a scrub: the checks of findDamage from `cursor` on, until about `budgetBytes`
 * were read; and, for a replicated partition's log (whose offsets run on without gaps: no
 * compaction, and followers copy their leader), a hole between two segments is damage. Returns
 * the damage found, or where the next step resumes (null: the log was checked to its end).
 */
export function scrubStep(dir: string, cursor: ScrubCursor, budgetBytes: number): { damage: LogDamage | null; next: ScrubCursor | null; read: number } {
  const { segments } = listDir(dir);
  let read = 0;
  // The cursor's segment is gone (retention, truncation): go on from the next one, not knowing what is due.
  let expected = segments.includes(cursor.base) ? cursor.offset : -1;
  for (const base of segments) {
    if (base < cursor.base) continue;
    const path = segmentPaths(dir, base).log;
    let position = base === cursor.base ? cursor.position : 0;
    if (position === 0 && expected >= 0 && base !== expected) {
      // Retention only ever removes the oldest segments: a hole between two is a lost segment.
      return { damage: { path, segmentBase: base, position: 0, offset: expected, bytes: statSync(path).size, reason: holeReason(expected, base) }, next: null, read };
    }
    if (read >= budgetBytes) return { damage: null, next: { base, position, offset: expected }, read };
    if (position === 0) expected = base;
    let check = validPrefix(path, base, { position, offset: expected, limit: budgetBytes - read });
    if (position > 0 && (check.reason !== undefined || position > check.size)) {
      // The segment changed under the cursor (cut and written again): check it from its start.
      position = 0;
      expected = base;
      check = validPrefix(path, base, { position, offset: expected, limit: Infinity });
    }
    read += check.validBytes - position;
    if (check.reason !== undefined) return { damage: damageAt(path, base, check), next: null, read };
    expected = check.nextOffset;
    if (check.validBytes < check.size) return { damage: null, next: { base, position: check.validBytes, offset: expected }, read };
  }
  return { damage: null, next: null, read };
}

/**
 * The first offset that no segment holds between the log's first and last segment (one lost from
 * the middle), or null. Cheap enough for every catch-up: each segment but the last is read from
 * its last index entry to its end, batch headers only (from its start when that entry leads nowhere).
 */
export function firstHole(dir: string): { offset: number; reason: string } | null {
  const segments = listDir(dir).segments;
  for (let i = 0; i + 1 < segments.length; i++) {
    const base = segments[i];
    const paths = segmentPaths(dir, base);
    const end = withFd(paths.log, 'r', (fd) => {
      const size = fstatSync(fd).size;
      const idx = loadOffsetIndex(paths.index);
      const within = entriesWithin(idx, size);
      for (const from of within > 0 ? [idx.values[within - 1], 0] : [0]) {
        let next: number | null = null;
        for (const b of walkBatches(fd, from, size)) next = b.lastOffset + 1;
        if (next !== null) return next;
      }
      return base;
    });
    if (end !== segments[i + 1]) return { offset: Math.min(end, segments[i + 1]), reason: holeReason(end, segments[i + 1]) };
  }
  return null;
}

function holeReason(previousEnd: number, base: number): string {
  return base < previousEnd ? `the segment starts at offset ${base}, below the previous segment's end ${previousEnd}` : `offsets ${previousEnd} to ${base - 1} are missing: no segment holds them`;
}

function damageAt(path: string, base: number, check: SegmentCheck): LogDamage {
  return { path, segmentBase: base, position: check.validBytes, offset: check.nextOffset, bytes: check.size - check.validBytes, reason: check.reason ?? 'unknown' };
}

/**
 * Rewrites both indexes of a segment from its first `validBytes` bytes, in place (same inode, so
 * other processes' open descriptors stay valid). Entries follow Kafka's recovery rule: an offset
 * entry for a batch that starts more than index.interval.bytes after the last entry, and a time
 * entry whenever the largest timestamp grew; a final time entry records the segment's largest
 * timestamp, as Kafka writes when a segment becomes inactive.
 */
export function rebuildIndexes(paths: SegmentPaths, base: number, validBytes: number, indexIntervalBytes: number): void {
  const offsets: Buffer[] = [];
  const times: Buffer[] = [];
  let lastIndexed = 0;
  let maxTs = -1;
  let offsetOfMax = base;
  let lastTimeTs = -1;
  withFd(paths.log, 'r', (fd) => {
    for (const b of walkBatches(fd, 0, validBytes)) {
      if (b.maxTimestamp > maxTs) {
        maxTs = b.maxTimestamp;
        offsetOfMax = b.lastOffset;
      }
      if (b.position - lastIndexed > indexIntervalBytes) {
        offsets.push(encodeOffsetEntry(b.lastOffset - base, b.position));
        lastIndexed = b.position;
        if (maxTs > lastTimeTs) {
          times.push(encodeTimeEntry(maxTs, offsetOfMax - base));
          lastTimeTs = maxTs;
        }
      }
    }
  });
  if (maxTs > lastTimeTs) times.push(encodeTimeEntry(maxTs, offsetOfMax - base));
  rewriteInPlace(paths.index, Buffer.concat(offsets));
  rewriteInPlace(paths.timeIndex, Buffer.concat(times));
}

function rewriteInPlace(path: string, data: Buffer): void {
  const fd = openSync(path, 'a+');
  try {
    ftruncateSync(fd, 0);
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off, off);
  } finally {
    closeSync(fd);
  }
  forgetIndex(path);
}

/** True when both indexes exist, hold only whole ordered entries inside the log, and the last offset entry points at the batch it names. */
export function indexesLookSane(paths: SegmentPaths, base: number, logSize: number): boolean {
  const idx = loadOffsetIndex(paths.index);
  const tix = loadTimeIndex(paths.timeIndex);
  if (!idx.whole || !tix.whole || idx.bytes !== idx.count * OFFSET_ENTRY_SIZE || tix.bytes !== tix.count * TIME_ENTRY_SIZE) return false;
  if (entriesWithin(idx, logSize) !== idx.count) return false;
  const from = idx.count > 0 ? idx.values[idx.count - 1] : 0;
  return withFd(paths.log, 'r', (fd) => {
    if (idx.count > 0) {
      const b = pointerAt(pread(fd, from, OFFSET_MAX_TIMESTAMP + 8), 0, from);
      if (!b || b.lastOffset !== base + idx.keys[idx.count - 1]) return false;
    }
    if (tix.count === 0) return true;
    const scan = scanBatches(fd, from, logSize, { end: from, nextOffset: base, maxTimestamp: -1, offsetOfMaxTimestamp: base });
    return tix.values[tix.count - 1] < scan.nextOffset - base;
  });
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
  forgetIndex(path);
}

export function deleteSegmentFiles(dir: string, base: number): void {
  const paths = segmentPaths(dir, base);
  // The .log goes first: a crash in between leaves orphan indexes, which the next load removes.
  removeQuietly(paths.log);
  removeQuietly(paths.index);
  removeQuietly(paths.timeIndex);
}

/**
 * The recovery point, unless it lies beyond the log end: then the checkpoint file is garbage, and
 * trusting it would skip the rescan of segments that may hold unflushed data, so every segment is
 * rescanned (recovery point 0), as for a log without a checkpoint.
 */
function checkedRecoveryPoint(dir: string, segments: number[], recoveryPoint: number): number {
  if (segments.length === 0 || recoveryPoint <= segments[segments.length - 1]) return recoveryPoint;
  const base = segments[segments.length - 1];
  const path = segmentPaths(dir, base).log;
  const end = withFd(path, 'r', (fd) => scanBatches(fd, 0, statSync(path).size, { end: 0, nextOffset: base, maxTimestamp: -1, offsetOfMaxTimestamp: base }).nextOffset);
  if (recoveryPoint <= end) return recoveryPoint;
  warn(`Ignoring ${join(dir, RECOVERY_POINT_FILE)}: its recovery point ${recoveryPoint} is beyond the log end offset ${end}, so the file is corrupt; rescanning every segment.`);
  return 0;
}

/**
 * Loads the log for writing. Must run under the append lock with no other live writer.
 * `unclean`: the last stop was not clean, so segments holding offsets >= `recoveryPoint` are re-read.
 */
export function recoverLog(dir: string, options: { recoveryPoint: number; unclean: boolean; indexIntervalBytes: number }): RecoveryResult {
  removeStaleTmpFiles(dir);
  const { segments, orphans } = listDir(dir);
  for (const o of orphans) removeQuietly(o);
  const result: RecoveryResult = { truncatedAt: null, truncatedBytes: 0, rebuilt: [], damage: null };
  const recoveryPoint = options.unclean ? checkedRecoveryPoint(dir, segments, options.recoveryPoint) : options.recoveryPoint;
  for (let i = 0; i < segments.length; i++) {
    const base = segments[i];
    const paths = segmentPaths(dir, base);
    const holdsUnflushed = i === segments.length - 1 || segments[i + 1] > recoveryPoint;
    if (options.unclean && holdsUnflushed) {
      const check = validPrefix(paths.log, base);
      const { validBytes, size } = check;
      if (validBytes < size) {
        result.damage = damageAt(paths.log, base, check);
        truncateSync(paths.log, validBytes);
      }
      rebuildIndexes(paths, base, validBytes, options.indexIntervalBytes);
      result.rebuilt.push(base);
      if (validBytes < size) {
        result.truncatedAt = base;
        result.truncatedBytes = size - validBytes;
        for (const later of segments.slice(i + 1)) {
          result.truncatedBytes += statSync(segmentPaths(dir, later).log).size;
          deleteSegmentFiles(dir, later);
        }
        break;
      }
    } else {
      const size = statSync(paths.log).size;
      if (!indexesLookSane(paths, base, size)) {
        rebuildIndexes(paths, base, size, options.indexIntervalBytes);
        result.rebuilt.push(base);
      }
    }
  }
  const d = result.damage;
  // A torn last batch is what a writer killed mid-append leaves: expected, and not worth a line.
  const tornTail = d !== null && d.segmentBase === segments[segments.length - 1] && d.reason.startsWith('torn batch');
  if (d && !tornTail) {
    warn(`Recovery of ${dir}: ${d.reason.replace(/\.$/, '')} in ${d.path} at position ${d.position}; the log was truncated to offset ${d.offset} (${result.truncatedBytes} bytes dropped).`);
  }
  return result;
}
