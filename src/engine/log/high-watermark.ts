// The partition's high watermark as partitions/<topic>-<p>/high-watermark stores it: 8 bytes,
// big-endian, rewritten in place. A file that is short, negative or beyond the leader's log end is
// damage: trusting it makes readers see 0 records (or records that are not committed), so it is
// reported as corrupt and the caller recomputes the high watermark from the in-sync replicas.
import { warn } from '../warn.js';

export const HIGH_WATERMARK_BYTES = 8;

/**
 * The stored high watermark; null when there is no file, 'corrupt' (after one warning naming the
 * file) when its content cannot be one. `leaderLogEnd` (the largest log end of the in-sync replicas) must be read after the file: a writer moves
 * the high watermark only after its append, so a sound file never names more than that.
 */
export function checkHighWatermark(path: string, content: Buffer | null, leaderLogEnd: number): number | null | 'corrupt' {
  if (content === null) return null;
  let problem: string | undefined;
  let value = -1;
  if (content.length < HIGH_WATERMARK_BYTES) problem = `${content.length} byte(s), not ${HIGH_WATERMARK_BYTES}`;
  else {
    const big = content.readBigInt64BE(0);
    value = Number(big);
    if (big < 0n) problem = `a negative offset ${big}`;
    else if (value > leaderLogEnd) problem = `offset ${big}, beyond the log end offset of every in-sync replica (${leaderLogEnd})`;
  }
  if (problem === undefined) return value;
  const verdict = value > leaderLogEnd ? 'wrong (or the records were lost)' : 'corrupt';
  warn(`Ignoring ${path}: it holds ${problem}, so the file is ${verdict}; the high watermark is recomputed from the in-sync replicas.`);
  return 'corrupt';
}
