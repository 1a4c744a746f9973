// Kafka's sparse indexes have no checksum, so a loaded index is only trusted up to its first entry
// that breaks monotonicity. Files are appended to by several processes and never preallocated, so
// the entry count is the file size / entry width; a reader re-reads only the bytes added since.
import { closeSync, openSync, fstatSync } from 'node:fs';
import { pread } from './segment.js';

export interface IndexKind {
  width: number;
  /** Decodes entry `i`'s (key, value) at byte `p` into the output arrays; false when it breaks the order. */
  decode(buf: Buffer, p: number, keys: Float64Array, values: Float64Array, count: number): boolean;
  /** Decodes the first `n` entries of `buf` as entries `start`...; returns how many kept the order. Optional fast path. */
  decodeRun?(buf: Buffer, n: number, keys: Float64Array, values: Float64Array, start: number): number;
}

export interface IndexEntries {
  count: number;
  keys: Float64Array;
  values: Float64Array;
  /** Every byte of the file formed valid, ordered entries. */
  whole: boolean;
  /** File size in bytes when read. */
  bytes: number;
}

interface Cached {
  ino: number;
  mtimeMs: number;
  entries: IndexEntries;
}

const cache = new Map<string, Cached>();
const EMPTY: IndexEntries = { count: 0, keys: new Float64Array(0), values: new Float64Array(0), whole: true, bytes: 0 };

/** The index at `path` (empty when missing), reusing what was read before when the file only grew. */
export function loadIndex(path: string, kind: IndexKind): IndexEntries {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      cache.delete(path);
      return { ...EMPTY, whole: false };
    }
    throw err;
  }
  try {
    const st = fstatSync(fd);
    const hit = cache.get(path);
    let entries: IndexEntries;
    if (hit && hit.ino === st.ino && hit.entries.bytes === st.size && hit.mtimeMs === st.mtimeMs) return hit.entries;
    if (hit && hit.ino === st.ino && st.size > hit.entries.bytes && hit.entries.whole && hit.entries.bytes % kind.width === 0) {
      entries = { ...hit.entries };
    } else {
      entries = { count: 0, keys: new Float64Array(0), values: new Float64Array(0), whole: true, bytes: 0 };
    }
    const from = entries.count * kind.width;
    const buf = pread(fd, from, st.size - from);
    const n = Math.floor(buf.length / kind.width);
    if (entries.count + n > entries.keys.length) {
      const cap = Math.max(16, entries.count + n, entries.keys.length * 2);
      const keys = new Float64Array(cap);
      const values = new Float64Array(cap);
      keys.set(entries.keys.subarray(0, entries.count));
      values.set(entries.values.subarray(0, entries.count));
      entries.keys = keys;
      entries.values = values;
    }
    let i = 0;
    if (kind.decodeRun) i = kind.decodeRun(buf, n, entries.keys, entries.values, entries.count);
    else for (; i < n; i++) if (!kind.decode(buf, i * kind.width, entries.keys, entries.values, entries.count + i)) break;
    entries.count += i;
    entries.bytes = st.size;
    entries.whole = entries.whole && i === n && buf.length % kind.width === 0;
    cache.set(path, { ino: st.ino, mtimeMs: st.mtimeMs, entries });
    return entries;
  } finally {
    closeSync(fd);
  }
}

export function forgetIndex(path: string): void {
  cache.delete(path);
}

/** Index of the last entry whose key is <= target among the first `count`; -1 when none. */
export function floorSlot(keys: Float64Array, count: number, target: number): number {
  let lo = 0;
  let hi = count - 1;
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
