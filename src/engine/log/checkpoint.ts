// Per-partition checkpoint files in Kafka's CheckpointFile text format ("version", "entries-count",
// then "topic partition offset" lines), written atomically: tmp file, fsync, rename, fsync dir.
// Kafka keeps one file per log dir for all partitions; we keep one per partition dir, because
// several processes update different partitions without a dir-wide lock.
import { basename, join } from 'node:path';
import { existsSync, unlinkSync } from 'node:fs';
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

export function hasCleanShutdownMarker(dir: string): boolean {
  return existsSync(join(dir, CLEAN_SHUTDOWN_FILE));
}

export function writeCleanShutdownMarker(dir: string): void {
  writeFileAtomicSync(join(dir, CLEAN_SHUTDOWN_FILE), '{"version":0,"brokerEpoch":-1}\n');
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
