// Which processes have this log open for writing: one file per pid under <dir>/writers/, holding
// the process's start time. A pid file whose process is gone, or whose pid now belongs to a process
// started at another time, belongs to a writer that died without closing.
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownerAlive, ownerTag } from '../fs/lock.js';

const WRITERS_DIR = 'writers';

/** Pids of live registered writers other than this process; removes the files of dead ones. */
export function otherLiveWriters(dir: string): number[] {
  const wdir = join(dir, WRITERS_DIR);
  let names: string[];
  try {
    names = readdirSync(wdir);
  } catch {
    return [];
  }
  const live: number[] = [];
  for (const n of names) {
    const pid = Number(n);
    if (!Number.isSafeInteger(pid) || pid <= 0) continue;
    if (pid === process.pid) continue;
    if (alive(wdir, n)) live.push(pid);
    else {
      try {
        unlinkSync(join(wdir, n));
      } catch {
        // another process cleaned it up first
      }
    }
  }
  return live;
}

/** An empty file (an older kafkit) names only the pid. */
function alive(wdir: string, name: string): boolean {
  let tag = name;
  try {
    tag = readFileSync(join(wdir, name), 'utf8').trim() || name;
  } catch {
    // removed meanwhile: the pid alone decides
  }
  return ownerAlive(tag);
}

/** Open writer instances per dir in this process: the pid file goes only when the last one closes. */
const opened = new Map<string, number>();

export function registerWriter(dir: string): void {
  const wdir = join(dir, WRITERS_DIR);
  const path = join(wdir, String(process.pid));
  if (!opened.has(dir)) {
    mkdirSync(wdir, { recursive: true });
    try {
      writeFileSync(path, ownerTag());
    } catch (err) {
      // A full disk: no half-written registration (an empty file would name only the pid).
      try {
        unlinkSync(path);
      } catch {
        // not created at all
      }
      throw err;
    }
  }
  opened.set(dir, (opened.get(dir) ?? 0) + 1);
}

/** True when this was the process's last writer instance on `dir`. */
export function unregisterWriter(dir: string): boolean {
  const n = (opened.get(dir) ?? 1) - 1;
  if (n > 0) {
    opened.set(dir, n);
    return false;
  }
  opened.delete(dir);
  try {
    unlinkSync(join(dir, WRITERS_DIR, String(process.pid)));
  } catch {
    // never registered or already removed
  }
  return true;
}
