// Cross-process mutual exclusion on one data dir. Node has no flock(2), so a lock is a symlink,
// created atomically, that names its holder's pid and the process's start time. A holder that died
// (SIGKILL, crash) leaves its file behind; the next taker sees that the pid is gone, or that the pid
// now belongs to a process started at another time (a reused pid), and breaks the lock. The locked
// sections are short (one append, one metadata update), so waiting is a sleep-and-retry loop.
import { lstatSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { DataDirError, KafkaStorageError, KafkitError } from '../../errors.js';
import { dirname } from 'node:path';
import { sleepSync } from './sleep.js';

/** A lock file that names no pid yet is being written; after this long it is abandoned. */
const UNNAMED_STALE_MS = 5_000;

const held = new Map<string, number>();

export class LockTimeoutError extends KafkitError {
  constructor(path: string, timeoutMs: number) {
    super(`Timed out after ${timeoutMs} ms waiting for lock ${path}; if no kafkit process is running, delete that file.`);
  }
}

/** Whether a process with this pid exists (EPERM: it does, owned by someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The process's start time in clock ticks since boot (field 22 of /proc/<pid>/stat), or undefined
 * where /proc does not tell. With the pid it names one process for the life of the machine.
 */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // A zombie (exited, not yet reaped) or dead process holds nothing.
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return fields[19] || undefined;
  } catch {
    return undefined;
  }
}

let ownStartTime: string | undefined | null = null;

/** How this process names itself in lock and writer files: "<pid>" or "<pid>:<start time>". */
export function ownerTag(): string {
  if (ownStartTime === null) ownStartTime = processStartTime(process.pid);
  return ownStartTime === undefined ? String(process.pid) : `${process.pid}:${ownStartTime}`;
}

/**
 * Whether the process a tag names still runs: its pid exists and, when the tag records a start
 * time, the process with that pid started then (otherwise the pid was reused by another process).
 */
export function ownerAlive(tag: string): boolean {
  const [pidText, started] = tag.trim().split(':');
  const pid = Number(pidText);
  if (!Number.isSafeInteger(pid) || pid <= 0 || !pidAlive(pid)) return false;
  if (!started) return true;
  const now = processStartTime(pid);
  return now === undefined || now === started;
}

// The lock is a symlink whose target is the holder's tag: creating it is one atomic syscall that
// also records the holder (as Emacs does for its lock files), and releasing it is one unlink.
function tryCreate(path: string): boolean {
  try {
    symlinkSync(ownerTag(), path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // The error names the link's target (our pid), not the lock: name the lock and its dir.
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new DataDirError(`Cannot create the lock ${path} (${code}): ${dirname(path)} must be a writable directory; fix its permissions or point KAFKIT_DATA_DIR elsewhere.`, { cause: err });
    }
    if (code === 'ENOSPC' || code === 'EDQUOT') throw new KafkaStorageError(`No space left on device while creating the lock ${path}: free some disk space and retry.`, { cause: err });
    throw err;
  }
}

/** The holder's pid as the lock names it; a regular file (an older lock format) holds it as text. */
function readHolder(path: string): string {
  try {
    return readlinkSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EINVAL') return readFileSync(path, 'utf8');
    throw err;
  }
}

/** Removes the lock at `path` if its holder is dead: 'broken', or 'gone' if it was released meanwhile. */
function breakIfStale(path: string): 'broken' | 'gone' | 'held' {
  let text: string;
  let mtimeMs: number;
  try {
    text = readHolder(path);
    mtimeMs = lstatSync(path).mtimeMs;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  const pid = Number.parseInt(text, 10);
  const stale = Number.isFinite(pid) && pid > 0 ? !ownerAlive(text) : Date.now() - mtimeMs > UNNAMED_STALE_MS;
  if (!stale) return 'held';
  // Rename first so that two breakers cannot both delete a lock that a third has just taken.
  const aside = `${path}.stale.${randomBytes(4).toString('hex')}`;
  try {
    renameSync(path, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  try {
    const moved = readHolder(aside);
    if (moved !== text && ownerAlive(moved)) {
      // We raced and moved a live holder's lock: put it back.
      renameSync(aside, path);
      return 'held';
    }
  } catch {
    // unreadable aside file: it was the stale one
  }
  try {
    unlinkSync(aside);
  } catch {
    // already gone
  }
  return 'broken';
}

export interface LockOptions {
  timeoutMs?: number;
  /** Called once when the lock was taken from a dead holder: its locked section may be half done. */
  onBroken?: () => void;
}

/**
 * Runs `fn` holding the lock at `path`. Re-entrant within one process, so a locked section may call
 * another that takes the same lock.
 */
export function withLockSync<T>(path: string, fn: () => T, options: LockOptions = {}): T {
  const depth = held.get(path) ?? 0;
  if (depth > 0) {
    held.set(path, depth + 1);
    try {
      return fn();
    } finally {
      held.set(path, depth);
    }
  }
  const broken = acquire(path, options);
  held.set(path, 1);
  try {
    // Run inside the lock (re-entrant), so that recovery can take the same lock again.
    if (broken) options.onBroken?.();
    return fn();
  } finally {
    held.delete(path);
    try {
      unlinkSync(path);
    } catch {
      // broken by someone who thought we were dead; nothing to release
    }
  }
}

/** Takes the lock; true when it was taken over from a dead holder. */
function acquire(path: string, options: LockOptions): boolean {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const deadline = Date.now() + timeoutMs;
  let wait = 1;
  for (;;) {
    if (tryCreate(path)) return false;
    const state = breakIfStale(path);
    if (state !== 'held' && tryCreate(path)) return state === 'broken';
    if (Date.now() >= deadline) throw new LockTimeoutError(path, timeoutMs);
    sleepSync(wait);
    wait = Math.min(wait * 2, 20);
  }
}
