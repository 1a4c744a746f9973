// Kafka's sparse indexes. .index: 8-byte entries (offset - baseOffset: int32, position: int32).
// .timeindex: 12-byte entries (timestamp: int64, offset - baseOffset: int32). Files are not
// preallocated (several processes append to them), so the entry count is the file size / entry size.
import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';

export const OFFSET_ENTRY = 8;
export const TIME_ENTRY = 12;

export interface IndexEntries {
  /** Relative offsets (offset index) or relative offsets of the time entries. */
  offsets: Int32Array;
  /** Positions (offset index) or timestamps (time index). */
  values: Float64Array;
}

const cache = new Map<string, { size: number; entries: IndexEntries }>();

/** Reads an index, trusting only whole, monotonic entries that point inside the segment (`limit`). */
export function readIndex(path: string, kind: 'offset' | 'time', limit = Number.MAX_SAFE_INTEGER): IndexEntries {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return { offsets: new Int32Array(0), values: new Float64Array(0) };
  }
  const hit = cache.get(path);
  if (hit && hit.size === size) return hit.entries;
  const buf = readFileSync(path);
  const width = kind === 'offset' ? OFFSET_ENTRY : TIME_ENTRY;
  const n = Math.floor(buf.length / width);
  const offsets = new Int32Array(n);
  const values = new Float64Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const p = i * width;
    const rel = kind === 'offset' ? buf.readInt32BE(p) : buf.readInt32BE(p + 8);
    const value = kind === 'offset' ? buf.readInt32BE(p + 4) : Number(buf.readBigInt64BE(p));
    if (count > 0 && (rel < offsets[count - 1] || value < values[count - 1])) break;
    if (kind === 'offset' && (value < 0 || value >= limit)) break;
    offsets[count] = rel;
    values[count] = value;
    count++;
  }
  const entries = { offsets: offsets.subarray(0, count), values: values.subarray(0, count) };
  cache.set(path, { size, entries });
  return entries;
}

/** Index of the last entry whose key (relative offset, or timestamp for `byValue`) is <= target; -1 if none. */
export function floorEntry(keys: ArrayLike<number>, target: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] <= target) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

export function encodeOffsetEntry(relOffset: number, position: number): Buffer {
  const b = Buffer.allocUnsafe(OFFSET_ENTRY);
  b.writeInt32BE(relOffset, 0);
  b.writeInt32BE(position, 4);
  return b;
}

export function encodeTimeEntry(timestamp: number, relOffset: number): Buffer {
  const b = Buffer.allocUnsafe(TIME_ENTRY);
  b.writeBigInt64BE(BigInt(timestamp), 0);
  b.writeInt32BE(relOffset, 8);
  return b;
}

export function appendToFile(path: string, data: Buffer): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, data);
  } finally {
    closeSync(fd);
  }
}

export function forgetIndex(path: string): void {
  cache.delete(path);
}
