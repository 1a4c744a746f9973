// Moving batches between replicas of one partition: a follower catching up with its leader (after
// it returned, or after it missed appends), and a damaged replica rebuilt from a healthy one. All
// of it runs under the partition's append lock, so no append interleaves with a copy. The rule
// that keeps committed data safe: a replica is only ever cut above the high watermark, or down to
// a point from which a valid copy is then written back.
import { CorruptRecordError, OffsetOutOfRangeError } from '../../errors.js';
import type { PartitionLog } from '../log/partition-log.js';
import { divergencePoint } from '../log/leader-epoch.js';
import { validateBatchAt } from '../record/header.js';

const COPY_BYTES = 1 << 20;

/**
 * Copies `source`'s batches from `target`'s end up to `upTo` (exclusive) into `target`, each
 * batch's CRC checked on the way. Returns the target's new end. A target below the source's log
 * start restarts there, as Kafka's follower does.
 */
export function copyFrom(source: PartitionLog, target: PartitionLog, upTo: number): number {
  let end = target.logEndOffset();
  const start = source.logStartOffset();
  if (end < start) {
    target.truncateFullyAndStartAt(start);
    end = start;
  }
  const bases = source.segmentBases();
  while (end < upTo) {
    // A closed segment of the source that starts where the target ends is copied whole, in the
    // kernel: a returning broker that missed 1M records copies ~100 MB at close to `cp` speed.
    // The source's active one too when the copy runs to its end: the partition lock holds its appends.
    const i = bases.indexOf(end);
    const next = i < 0 ? undefined : i + 1 < bases.length ? bases[i + 1] : source.logEndOffset();
    if (next !== undefined && next <= upTo && next > end) {
      try {
        end = target.adoptSegment(source, end, next);
        continue;
      } catch {
        // Gone to retention, no index files, or a copy that did not check out: batch by batch below.
      }
    }
    const boundary = bases.find((b) => b > end);
    const { records } = source.read(end, COPY_BYTES, { maxOffset: boundary !== undefined && boundary < upTo ? boundary : upTo });
    if (records.length === 0) break;
    end = target.append(records, { assignOffsets: false, lockHeld: true }).lastOffset + 1;
  }
  return end;
}

/**
 * Brings a follower to its leader's log end: cuts what diverged (by the leader-epoch caches, else
 * anything past the leader's end), then copies the rest. Returns the follower's new end.
 */
export function catchUp(leader: PartitionLog, follower: PartitionLog): number {
  const leaderEnd = leader.logEndOffset();
  let end = follower.logEndOffset();
  const diverged = divergencePoint({ cache: follower.epochs, logEnd: end }, { cache: leader.epochs, logEnd: leaderEnd });
  const keep = Math.min(diverged ?? end, leaderEnd);
  if (end > keep) {
    follower.truncateTo(keep);
    end = follower.logEndOffset();
  }
  if (end < leaderEnd) end = copyFrom(leader, follower, leaderEnd);
  return end;
}

/**
 * The first batch at or after `offset` whose bytes fail their checks, or the first offset the log's
 * reader cannot return (a gap: a torn or cut region it stepped over): that offset, or null when
 * everything up to `upTo` checks out.
 */
export function firstCorruptOffset(log: PartitionLog, offset: number, upTo: number): number | null {
  let at = offset;
  while (at < upTo) {
    let records: Buffer;
    try {
      records = log.read(at, COPY_BYTES, { maxOffset: upTo }).records;
    } catch (err) {
      if (err instanceof OffsetOutOfRangeError) return null;
      if (err instanceof CorruptRecordError) return at;
      throw err;
    }
    if (records.length === 0) return at < upTo ? at : null;
    for (let pos = 0; pos < records.length; ) {
      let size: number;
      try {
        size = validateBatchAt(records, pos, true);
      } catch {
        return Math.max(at, Number(records.readBigInt64BE(pos)));
      }
      const base = Number(records.readBigInt64BE(pos));
      const next = base + records.readInt32BE(pos + 23) + 1;
      // Committed offsets are contiguous: a batch past `at` means the ones holding `at` are lost.
      if (base > at || next <= at) return at;
      at = next;
      pos += size;
    }
  }
  return null;
}

/**
 * Where to copy [from, upTo) from: runs of valid batches on the given replicas, each run taken from
 * the replica whose valid copy reaches furthest, so that damage on two replicas at different places
 * still leaves one whole copy. Null (and nothing to do) when some offset has no valid copy anywhere.
 */
export function repairPlan<T extends { log: PartitionLog }>(sources: T[], from: number, upTo: number): Array<T & { from: number; to: number }> | null {
  const plan: Array<T & { from: number; to: number }> = [];
  for (let at = from; at < upTo; ) {
    let best: { source: T; reach: number } | null = null;
    for (const source of sources) {
      const reach = validReach(source.log, at, upTo);
      if (reach > at && (!best || reach > best.reach)) best = { source, reach };
    }
    if (!best) return null;
    plan.push({ ...best.source, from: at, to: best.reach });
    at = best.reach;
  }
  return plan;
}

/** How far from `at` (exclusive end, at most `upTo`) `log` holds valid, gap-free batches. */
function validReach(log: PartitionLog, at: number, upTo: number): number {
  if (log.logStartOffset() > at) return at;
  try {
    return Math.min(firstCorruptOffset(log, at, upTo) ?? upTo, log.logEndOffset(), upTo);
  } catch {
    return at;
  }
}
