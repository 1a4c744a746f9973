// Which topic a partition dir belongs to. Kafka writes `partition.metadata` (the topic id) into
// every partition dir and renames a deleted partition's dir to `<topic>-<p>.<id>-delete` before it
// removes it; we do both, so that a topic created again under the same name never adopts the dirs
// (records, high watermark) of a deleted one, even when the deletion was killed half-way.
import { lstatSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';
import { warn } from '../warn.js';

export const PARTITION_METADATA_FILE = 'partition.metadata';

function topicIdIn(dir: string): string | null {
  const raw = readFileIfExists(join(dir, PARTITION_METADATA_FILE));
  if (raw === null) return null;
  return /^topic_id: (\S+)$/m.exec(raw.toString('utf8'))?.[1] ?? '';
}

function stamp(dir: string, topicId: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomicSync(join(dir, PARTITION_METADATA_FILE), `version: 0\ntopic_id: ${topicId}\n`);
}

/** Moves a dir out of the way first (one rename), then removes it: a kill in between leaves only a `-delete` dir. */
export function removePartitionDir(dir: string): void {
  const doomed = `${dir}.${crypto.randomUUID().replaceAll('-', '')}-delete`;
  try {
    renameSync(dir, doomed);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  rmSync(doomed, { recursive: true, force: true });
}

/**
 * Makes `dir` the dir of topic `topicId`: a dir stamped with another topic's id is a leftover of a
 * deleted topic and is removed; an unstamped one (made before stamps, or just created) is stamped.
 */
export function claimPartitionDir(dir: string, topicId: string): void {
  const found = topicIdIn(dir);
  if (found === topicId) return;
  if (found === '') {
    // Unreadable, not another topic's: removing the dir could erase the only copy of committed
    // records. The replica keeps its data; its log checks and catch-up decide what of it is sound.
    warn(`${join(dir, PARTITION_METADATA_FILE)} is damaged (no topic_id line): written again for topic id ${topicId}, keeping the replica's data.`);
  } else if (found !== null) removePartitionDir(dir);
  stamp(dir, topicId);
}

/** Removes the `-delete` dirs a killed deletion left behind. */
export function sweepDeletedDirs(dataDir: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dataDir);
  } catch {
    return;
  }
  for (const top of entries) {
    if (!/^broker-\d+$/.test(top) && top !== 'partitions') continue;
    let dirs: string[];
    try {
      dirs = readdirSync(join(dataDir, top));
    } catch {
      continue;
    }
    for (const d of dirs) if (d.endsWith('-delete')) rmSync(join(dataDir, top, d), { recursive: true, force: true });
  }
}

/** The bytes the files under `dir` take on disk (allocated blocks, not lengths); 0 for a missing dir. */
export function allocatedBytes(dir: string): number {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let total = 0;
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) total += allocatedBytes(path);
    else {
      try {
        total += lstatSync(path).blocks * 512;
      } catch {
        // gone meanwhile: it frees nothing more
      }
    }
  }
  return total;
}
