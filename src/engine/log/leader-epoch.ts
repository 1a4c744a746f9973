// A replica's leader-epoch cache: which leader epoch started at which offset, in Kafka's
// `leader-epoch-checkpoint` file ("0", entry count, then "epoch startOffset" lines). A returning
// replica compares its cache with the leader's to find where the two logs diverge, which is what
// Kafka's OffsetsForLeaderEpoch exchange does, and truncates only above that point.
import { join } from 'node:path';
import { statSync } from 'node:fs';
import { readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';

export const LEADER_EPOCH_FILE = 'leader-epoch-checkpoint';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

export class LeaderEpochCache {
  private entries: EpochEntry[] = [];
  private stamp = '';

  /**
   * `fromLog`: the epochs as the log's batches tell them (each carries the epoch of the leader that
   * appended it), for a checkpoint that is missing or damaged: an empty cache would make catch-up
   * keep a returning replica's divergent tail, or cut a healthy one to nothing.
   */
  constructor(
    private readonly dir: string,
    private readonly fromLog?: () => EpochEntry[],
  ) {}

  private get path(): string {
    return join(this.dir, LEADER_EPOCH_FILE);
  }

  /** Re-reads the file if another process rewrote it. A missing or damaged file is rebuilt from the log (the truth). */
  load(): EpochEntry[] {
    const st = statSync(this.path, { throwIfNoEntry: false });
    const stamp = st ? `${st.ino}:${st.size}:${st.mtimeMs}` : 'none';
    if (stamp === this.stamp) return this.entries;
    this.stamp = stamp;
    const parsed = parse(readFileIfExists(this.path)?.toString('utf8') ?? '');
    if (parsed !== null || !this.fromLog) {
      this.entries = parsed ?? [];
      return this.entries;
    }
    const rebuilt = this.fromLog();
    // No file and no epoch in the log (a new replica): nothing to write yet.
    if (!st && rebuilt.length === 0) {
      this.entries = rebuilt;
      return this.entries;
    }
    try {
      this.write(rebuilt);
    } catch {
      // The dir is gone (its topic was deleted): nothing to keep.
      this.entries = rebuilt;
    }
    return this.entries;
  }

  latest(): EpochEntry | undefined {
    const e = this.load();
    return e[e.length - 1];
  }

  /** Records that `epoch` starts at `startOffset` (a batch of a newer epoch was appended). */
  assign(epoch: number, startOffset: number): void {
    if (epoch < 0) return;
    const e = this.load();
    const last = e[e.length - 1];
    if (last && last.epoch >= epoch) return;
    this.write([...e.filter((x) => x.startOffset < startOffset), { epoch, startOffset }]);
  }

  /** The log was cut at `offset`: epochs that start at or after it are gone. */
  truncateFromEnd(offset: number): void {
    const e = this.load();
    const kept = e.filter((x) => x.startOffset < offset);
    if (kept.length !== e.length) this.write(kept);
  }

  /** The log restarts empty at `offset` (below its first segment). */
  clear(): void {
    if (this.load().length > 0) this.write([]);
  }

  /**
   * Kafka's endOffsetForEpoch: the largest epoch <= `epoch` this replica knows and the offset where
   * it ends here (the next epoch's start, or `logEnd` for the latest). -1/-1 when none is known.
   */
  endOffsetFor(epoch: number, logEnd: number): { epoch: number; endOffset: number } {
    const e = this.load();
    for (let i = e.length - 1; i >= 0; i--) {
      if (e[i].epoch <= epoch) return { epoch: e[i].epoch, endOffset: i + 1 < e.length ? e[i + 1].startOffset : logEnd };
    }
    return { epoch: -1, endOffset: -1 };
  }

  private write(entries: EpochEntry[]): void {
    // No fsync, as Kafka since 3.7 (KAFKA-15046): an fsync here waits for the write-back of every dirty
    // page of the file system (a freshly copied segment: ~25 ms), and only an OS crash can lose it.
    writeFileAtomicSync(this.path, `0\n${entries.length}\n${entries.map((x) => `${x.epoch} ${x.startOffset}\n`).join('')}`, { fsync: false });
    this.entries = entries;
    this.stamp = '';
  }
}

/** The entries, or null when the text is not a whole, ordered checkpoint (missing, garbled, cut short). */
function parse(text: string): EpochEntry[] | null {
  const lines = text.split('\n');
  if (lines[0] !== '0') return null;
  const n = Number(lines[1]);
  if (!Number.isSafeInteger(n) || n < 0) return null;
  const out: EpochEntry[] = [];
  for (let i = 0; i < n; i++) {
    const [a, b] = (lines[2 + i] ?? '').split(' ').map(Number);
    if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || a < 0 || b < 0) return null;
    if (out.length > 0 && (a <= out[out.length - 1].epoch || b < out[out.length - 1].startOffset)) return null;
    out.push({ epoch: a, startOffset: b });
  }
  return out;
}

/**
 * Where a follower's log stops agreeing with its leader's: Kafka's truncation rule. For the
 * follower's newest epoch the leader also knows, both logs agree up to the smaller of the two end
 * offsets of that epoch. Returns null when the follower knows no epoch (nothing to compare: it
 * keeps what it has up to the leader's end).
 */
export function divergencePoint(
  follower: { cache: LeaderEpochCache; logEnd: number },
  leader: { cache: LeaderEpochCache; logEnd: number },
): number | null {
  let ask = follower.cache.latest()?.epoch;
  while (ask !== undefined) {
    const l = leader.cache.endOffsetFor(ask, leader.logEnd);
    if (l.epoch < 0) return 0;
    const f = follower.cache.endOffsetFor(l.epoch, follower.logEnd);
    if (f.epoch === l.epoch) return Math.min(f.endOffset, l.endOffset);
    // The follower never saw the leader's epoch: look again from the follower's epoch below it.
    if (f.epoch < 0) return 0;
    ask = f.epoch;
  }
  return null;
}
