// A segment's files (<20-digit base offset>.log/.index/.timeindex) and the header-only walks over
// its .log that everything else builds on. The .log is the only source of truth; the indexes are
// caches that can always be rebuilt from it.
import { closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BATCH_HEADER_SIZE, LOG_OVERHEAD, MAGIC_V2, OFFSET_LAST_OFFSET_DELTA, OFFSET_LEADER_EPOCH, OFFSET_MAGIC, OFFSET_MAX_TIMESTAMP, readInt64 } from '../record/header.js';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';

export function fileName(base: number, suffix: string): string {
  return `${String(base).padStart(20, '0')}${suffix}`;
}

export interface SegmentPaths {
  log: string;
  index: string;
  timeIndex: string;
}

export function segmentPaths(dir: string, base: number): SegmentPaths {
  return { log: join(dir, fileName(base, LOG_SUFFIX)), index: join(dir, fileName(base, INDEX_SUFFIX)), timeIndex: join(dir, fileName(base, TIME_INDEX_SUFFIX)) };
}

const SEGMENT_FILE = /^(\d{20})\.(log|index|timeindex)$/;

/** Base offsets of the segments (.log files) in `dir`, ascending, and index files that have no .log. */
export function listDir(dir: string): { segments: number[]; orphans: string[] } {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { segments: [], orphans: [] };
    throw err;
  }
  const logs = new Set<number>();
  const indexes: Array<[number, string]> = [];
  for (const n of names) {
    const m = SEGMENT_FILE.exec(n);
    if (!m) continue;
    const base = Number(m[1]);
    if (m[2] === 'log') logs.add(base);
    else indexes.push([base, n]);
  }
  return { segments: [...logs].sort((a, b) => a - b), orphans: indexes.filter(([b]) => !logs.has(b)).map(([, n]) => join(dir, n)) };
}

export function listSegments(dir: string): number[] {
  return listDir(dir).segments;
}

/** Reads `length` bytes at `position`, or fewer at the end of the file. */
export function pread(fd: number, position: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, buf, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? buf : buf.subarray(0, got);
}

export function withFd<T>(path: string, flags: string, fn: (fd: number) => T): T {
  const fd = openSync(path, flags);
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}

export interface BatchPointer {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  /** The partitionLeaderEpoch stamped by the leader that appended it. */
  leaderEpoch: number;
}

/** Bytes of header a walk needs: everything up to and including maxTimestamp. */
const HEAD = OFFSET_MAX_TIMESTAMP + 8;
const WALK_WINDOW = 64 * 1024;

/** The batch whose header starts at `p` in `buf`, or null when it is not a plausible v2 batch. */
export function pointerAt(buf: Buffer, p: number, position: number): BatchPointer | null {
  if (buf.length - p < HEAD) return null;
  const size = LOG_OVERHEAD + buf.readInt32BE(p + 8);
  if (size < BATCH_HEADER_SIZE || buf.readInt8(p + OFFSET_MAGIC) !== MAGIC_V2) return null;
  const baseOffset = readInt64(buf, p);
  const delta = buf.readInt32BE(p + OFFSET_LAST_OFFSET_DELTA);
  if (baseOffset < 0 || delta < 0) return null;
  return { position, size, baseOffset, lastOffset: baseOffset + delta, maxTimestamp: readInt64(buf, p + OFFSET_MAX_TIMESTAMP), leaderEpoch: buf.readInt32BE(p + OFFSET_LEADER_EPOCH) };
}

/**
 * Walks batch headers from `from` up to `to` without reading record bytes (one 64 KiB read covers
 * many small batches). Stops before a batch that is not wholly inside [from, to) or not plausible:
 * a torn tail, a batch still being written, or garbage. CRCs are not checked here (recovery does).
 */
export function* walkBatches(fd: number, from: number, to: number): Generator<BatchPointer> {
  let pos = from;
  let window: Buffer = Buffer.alloc(0);
  let windowStart = from;
  while (pos + HEAD <= to) {
    if (pos < windowStart || pos + HEAD > windowStart + window.length) {
      windowStart = pos;
      window = pread(fd, pos, Math.min(WALK_WINDOW, to - pos));
    }
    const b = pointerAt(window, pos - windowStart, pos);
    if (!b || pos + b.size > to) return;
    yield b;
    pos += b.size;
  }
}

/** Where the whole batches of a .log end (from `from`), with the last offset and largest timestamp seen. */
export interface ScanResult {
  end: number;
  nextOffset: number;
  maxTimestamp: number;
  /** Last offset of the batch holding maxTimestamp (Kafka's offsetOfMaxTimestampSoFar). */
  offsetOfMaxTimestamp: number;
  /** Set when the scan stopped at a whole batch whose offsets do not follow on: corruption, not a torn tail. */
  gap?: OffsetGap;
}

export interface OffsetGap {
  position: number;
  /** The offset the batch should start at. */
  expected: number;
  baseOffset: number;
  lastOffset: number;
}

/**
 * Inside a segment offsets run on without gaps: the batch at position 0 starts at the segment's
 * base (`start.nextOffset` when `from` is 0) and each next batch right after the previous one. A
 * scan from an index entry takes the first batch's offsets as they are (the entry vouched for them).
 */
export function scanBatches(fd: number, from: number, to: number, start: ScanResult): ScanResult {
  const r = { ...start };
  let known = from === 0;
  for (const b of walkBatches(fd, from, to)) {
    if (known ? b.baseOffset !== r.nextOffset : b.baseOffset < r.nextOffset) {
      r.gap = { position: b.position, expected: r.nextOffset, baseOffset: b.baseOffset, lastOffset: b.lastOffset };
      break;
    }
    known = true;
    r.end = b.position + b.size;
    r.nextOffset = b.lastOffset + 1;
    if (b.maxTimestamp > r.maxTimestamp) {
      r.maxTimestamp = b.maxTimestamp;
      r.offsetOfMaxTimestamp = b.lastOffset;
    }
  }
  return r;
}
