// Cross-process mutual exclusion on one data dir. Node has no flock(2), so a lock is a symlink,
// created atomically, that names its holder's pid. A holder that died (SIGKILL, crash) leaves its file
// behind; the next taker sees that the pid is gone and breaks the lock. The locked sections are
// short (one append, one metadata update), so waiting is a sleep-and-retry loop.
import { lstatSync, readFileSync, readlinkSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { KafkitError } from '../../errors.js';
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

// The lock is a symlink whose target is the holder's pid: creating it is one atomic syscall that
// also records the pid (as Emacs does for its lock files), and releasing it is one unlink.
function tryCreate(path: string): boolean {
  try {
    symlinkSync(String(process.pid), path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
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
  const stale = Number.isFinite(pid) && pid > 0 ? !pidAlive(pid) : Date.now() - mtimeMs > UNNAMED_STALE_MS;
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
    const moved = Number.parseInt(readHolder(aside), 10);
    if (moved !== pid && Number.isFinite(moved) && pidAlive(moved)) {
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
