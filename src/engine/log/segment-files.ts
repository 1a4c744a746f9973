// Naming and low-level reads of a segment's files: <20-digit base offset>.log/.index/.timeindex.
import { closeSync, openSync, readSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { LOG_OVERHEAD, OFFSET_LAST_OFFSET_DELTA, OFFSET_MAX_TIMESTAMP } from '../record/header.js';

export function fileName(base: number, ext: '.log' | '.index' | '.timeindex'): string {
  return `${String(base).padStart(20, '0')}${ext}`;
}

export interface SegmentPaths {
  log: string;
  index: string;
  timeIndex: string;
}

export function segmentPaths(dir: string, base: number): SegmentPaths {
  return { log: join(dir, fileName(base, '.log')), index: join(dir, fileName(base, '.index')), timeIndex: join(dir, fileName(base, '.timeindex')) };
}

/** Base offsets of the segments in `dir`, ascending. */
export function listSegments(dir: string): number[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const bases: number[] = [];
  for (const n of names) if (/^\d{20}\.log$/.test(n)) bases.push(Number(n.slice(0, 20)));
  return bases.sort((a, b) => a - b);
}

/** Reads exactly `length` bytes at `position` or fewer at end of file. */
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

export interface BatchPointer {
  position: number;
  size: number;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

const HEAD = OFFSET_MAX_TIMESTAMP + 8;

/**
 * Walks batch headers from `from` to `to` without reading record bytes. Stops before a batch that
 * is not wholly inside [from, to) (a torn tail or one being written).
 */
export function* walkBatches(fd: number, from: number, to: number): Generator<BatchPointer> {
  let pos = from;
  while (pos + HEAD <= to) {
    const h = pread(fd, pos, HEAD);
    if (h.length < HEAD) return;
    const size = LOG_OVERHEAD + h.readInt32BE(8);
    if (size < 61 || pos + size > to) return;
    const baseOffset = Number(h.readBigInt64BE(0));
    yield {
      position: pos,
      size,
      baseOffset,
      lastOffset: baseOffset + h.readInt32BE(OFFSET_LAST_OFFSET_DELTA),
      maxTimestamp: Number(h.readBigInt64BE(OFFSET_MAX_TIMESTAMP)),
    };
    pos += size;
  }
}

export function withFd<T>(path: string, flags: string, fn: (fd: number) => T): T {
  const fd = openSync(path, flags);
  try {
    return fn(fd);
  } finally {
    closeSync(fd);
  }
}
