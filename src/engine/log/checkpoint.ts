// Per-partition checkpoint files in Kafka's CheckpointFile text format ("version", "entries-count",
// then "topic partition offset" lines), written atomically: tmp file, fsync, rename, fsync dir.
// Kafka keeps one file per log dir for all partitions; we keep one per partition dir, because
// several processes update different partitions without a dir-wide lock.
import { basename, join } from 'node:path';
import { readFileSync, unlinkSync } from 'node:fs';
import { fsyncDir, readFileIfExists, writeFileAtomicSync } from '../fs/atomic-file.js';

export const RECOVERY_POINT_FILE = 'recovery-point-offset-checkpoint';
export const LOG_START_FILE = 'log-start-offset-checkpoint';
export const CLEAN_SHUTDOWN_FILE = '.kafka_cleanshutdown';

/** "topic partition" as Kafka would name this partition dir (<topic>-<partition>). */
function topicPartition(dir: string): string {
  const name = basename(dir);
  const m = /^(.*)-(\d+)$/.exec(name);
  return m ? `${m[1]} ${m[2]}` : `${name} 0`;
}

export function readCheckpoint(dir: string, file: string): number | null {
  const raw = readFileIfExists(join(dir, file));
  if (!raw) return null;
  const lines = raw.toString('utf8').split('\n');
  if (lines[0] !== '0' || lines[1] !== '1') return null;
  const offset = Number(lines[2]?.split(' ').pop());
  return Number.isSafeInteger(offset) && offset >= 0 ? offset : null;
}

export function writeCheckpoint(dir: string, file: string, offset: number, options: { fsync?: boolean } = {}): void {
  writeFileAtomicSync(join(dir, file), `0\n1\n${topicPartition(dir)} ${offset}\n`, options);
}

/**
 * This boot of the machine (Linux's boot_id), or undefined where the OS does not tell. Data a
 * process wrote is in the page cache until the OS writes it back: only a crash of the OS itself,
 * which means a new boot, can lose it.
 */
export function currentBootId(): string | undefined {
  if (bootId === null) {
    try {
      bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
    } catch {
      bootId = undefined;
    }
  }
  return bootId;
}
let bootId: string | undefined | null = null;

/**
 * True when the last writer closed cleanly and nothing since can have lost its writes: a marker
 * that names a boot counts only during that boot (its data may not have reached the disk).
 */
export function cleanlyShutDown(dir: string): boolean {
  const raw = readFileIfExists(join(dir, CLEAN_SHUTDOWN_FILE));
  if (raw === null) return false;
  let written: unknown;
  try {
    written = (JSON.parse(raw.toString('utf8')) as { bootId?: unknown }).bootId;
  } catch {
    return true; // Kafka's own marker, or a torn one of ours: the log was flushed before it either way
  }
  return written === undefined || written === currentBootId();
}

/**
 * `bootId`: the log was not flushed, which is safe until the machine reboots (cleanlyShutDown);
 * without it the caller flushed first, as Kafka's shutdown does, and the marker is made durable.
 */
export function writeCleanShutdownMarker(dir: string, bootId?: string): void {
  const marker = bootId === undefined ? { version: 0, brokerEpoch: -1 } : { version: 0, brokerEpoch: -1, bootId };
  // An unflushed log's marker need not reach the disk: after a crash it no longer counts anyway.
  writeFileAtomicSync(join(dir, CLEAN_SHUTDOWN_FILE), `${JSON.stringify(marker)}\n`, { fsync: bootId === undefined });
}

/** Removed (durably) before the first write, so that a crash from here on is seen as unclean. */
export function removeCleanShutdownMarker(dir: string): void {
  try {
    unlinkSync(join(dir, CLEAN_SHUTDOWN_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  fsyncDir(dir);
}
