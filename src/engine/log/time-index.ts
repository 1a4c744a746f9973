// .timeindex: 12-byte entries (timestamp: int64, offset - baseOffset: int32). Entry (t, o) means
// every record with a timestamp > t comes after offset o. An entry is added only when the
// segment's largest timestamp grows, so timestamps strictly increase.
import { loadIndex, type IndexEntries, type IndexKind } from './index-file.js';

export const TIME_ENTRY_SIZE = 12;

const kind: IndexKind = {
  width: TIME_ENTRY_SIZE,
  decode(buf, p, keys, values, i) {
    const ts = Number(buf.readBigInt64BE(p));
    const rel = buf.readInt32BE(p + 8);
    if (rel < 0) return false;
    if (i > 0 && (ts <= keys[i - 1] || rel < values[i - 1])) return false;
    keys[i] = ts;
    values[i] = rel;
    return true;
  },
};

/** keys = timestamps, values = relative offsets. */
export function loadTimeIndex(path: string): IndexEntries {
  return loadIndex(path, kind);
}

/** Slot of the last entry with a timestamp strictly below `timestamp` (safe start for a search), -1 when none. */
export function entryBefore(idx: IndexEntries, count: number, timestamp: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (idx.keys[mid] < timestamp) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

export function encodeTimeEntry(timestamp: number, relOffset: number, out = Buffer.allocUnsafe(TIME_ENTRY_SIZE), at = 0): Buffer {
  out.writeBigInt64BE(BigInt(timestamp), at);
  out.writeInt32BE(relOffset, at + 8);
  return out;
}
