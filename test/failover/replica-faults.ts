// Faults injected into one replica's directory, for the corrupted-replica tests: each one a way a
// disk, an operator or a crash damages a follower's files. Seeded, so a failing run replays.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { walkReplica } from '../faults/batch-walk.js';
import type { Random } from '../faults/seeded-random.js';

export const FAULTS = ['flip', 'cut', 'delete-segment', 'index', 'epoch-checkpoint', 'partition-metadata', 'zeros'] as const;
export type Fault = (typeof FAULTS)[number];

const segments = (dir: string) =>
  readdirSync(dir)
    .filter((f) => /^\d{20}\.log$/.test(f))
    .sort();

/** Damages `dir` (a replica) with `fault`; returns what it did, for the trail. `hwm`: batches below it are committed. */
export function injectFault(dir: string, fault: Fault, rng: Random, hwm: number): string {
  const logs = segments(dir);
  if (fault === 'flip') {
    const committed = walkReplica(dir).batches.filter((b) => b.lastOffset < hwm);
    if (committed.length === 0) return 'flip: no committed batch yet';
    const b = rng.pick(committed);
    // Past the CRC field (byte 21 on), where only the CRC can tell.
    const at = b.position + 21 + rng.int(b.size - 21);
    const bytes = readFileSync(b.file);
    bytes[at] ^= 1 + rng.int(255);
    writeFileSync(b.file, bytes);
    return `flip: byte ${at - b.position} of the batch at offset ${b.offset} in ${b.file.slice(-24)}`;
  }
  if (fault === 'cut' || fault === 'delete-segment' || fault === 'zeros') {
    const nonEmpty = logs.filter((f) => statSync(join(dir, f)).size > 0);
    if (nonEmpty.length === 0) return `${fault}: no segment yet`;
    const name = rng.pick(nonEmpty);
    const path = join(dir, name);
    const size = statSync(path).size;
    if (fault === 'cut') {
      const at = 1 + rng.int(Math.max(1, size - 1));
      truncateSync(path, at);
      return `cut: ${name} from ${size} to ${at} bytes`;
    }
    if (fault === 'delete-segment') {
      rmSync(path);
      return `delete-segment: ${name} (${size} bytes)`;
    }
    writeFileSync(path, Buffer.alloc(size));
    return `zeros: ${name} (${size} bytes)`;
  }
  if (fault === 'index') {
    if (logs.length === 0) return 'index: no segment yet';
    const base = rng.pick(logs).slice(0, 20);
    const file = join(dir, `${base}${rng.pick(['.index', '.timeindex'])}`);
    if (rng.int(2) === 0) {
      rmSync(file, { force: true });
      return `index: deleted ${file.slice(-30)}`;
    }
    writeFileSync(file, Buffer.from(Array.from({ length: 37 }, () => rng.int(256))));
    return `index: garbled ${file.slice(-30)}`;
  }
  const file = join(dir, fault === 'epoch-checkpoint' ? 'leader-epoch-checkpoint' : 'partition.metadata');
  if (fault === 'epoch-checkpoint' && rng.int(2) === 0) {
    rmSync(file, { force: true });
    return 'epoch-checkpoint: deleted';
  }
  writeFileSync(file, existsSync(file) ? `0\n3\n0 x\n7 -4 9\n` : 'garbage');
  return `${fault}: garbled`;
}

/** Flips a byte inside a committed batch of a closed segment (or the active one if none): the leader-side fault. */
export function flipCommitted(dir: string, rng: Random, hwm: number): string {
  return injectFault(dir, 'flip', rng, hwm);
}
