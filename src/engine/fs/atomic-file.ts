// Durable whole-file replacement: readers see the old file or the new one, never a mix, and a
// crash at any point leaves one of the two on disk (tmp file, fsync, rename, fsync of the directory).
import { closeSync, fsyncSync, linkSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlink, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataDirError, KafkaStorageError } from '../../errors.js';
import { pidAlive } from './lock.js';

/**
 * `releaseOldLater` (only without fsync): the replaced file's inode is freed off this call's path.
 * Freeing it is what a rename over an existing file waits on when much written data is still going
 * to disk (ext4: 10-40 ms after a 100 MB copy, against 0.3 ms for the rename itself), and that wait
 * is in the way of a replica rejoining the ISR right after its catch-up copy. The old version keeps a
 * second name (a tmp name, so a kill leaves it to removeStaleTmpFiles) until an async unlink drops it.
 */
export function writeFileAtomicSync(path: string, data: string | Buffer, options: { fsync?: boolean; releaseOldLater?: boolean } = {}): void {
  try {
    replaceFile(path, data, options.fsync ?? true, options.releaseOldLater ?? false);
  } catch (err) {
    throw outOfSpace(err, path) ?? err;
  }
}

/** A full disk named by the file being replaced, not by its tmp file (which is gone again). */
function outOfSpace(err: unknown, path: string): KafkaStorageError | null {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return null;
  return new KafkaStorageError(`No space left on device while writing ${path}: free some disk space and retry.`, { cause: err });
}

// The tmp file goes again whatever fails, so a full disk leaves the old file and nothing else.
function replaceFile(path: string, data: string | Buffer, durable: boolean, releaseOldLater: boolean): void {
  const tmp = tmpName(path);
  const fd = openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    if (durable) fsyncSync(fd);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      // a close that fails too changes nothing: the tmp file goes below
    }
    try {
      unlinkSync(tmp);
    } catch {
      // the tmp file is garbage either way; the original error matters
    }
    throw err;
  }
  const old = !durable && releaseOldLater ? secondName(path) : null;
  try {
    // Some file systems report a failed delayed write only at close (NFS; ext4 with delayed allocation at fsync).
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    if (old) unlink(old, () => {});
    try {
      unlinkSync(tmp);
    } catch {
      // as above
    }
    throw err;
  }
  if (durable) fsyncDir(dirname(path));
  // Failing to unlink leaves a tmp name that the next removeStaleTmpFiles after this process takes.
  if (old) unlink(old, () => {});
}

function tmpName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** A hard link to `path`'s current inode, or null when there is no file or the file system has no links. */
function secondName(path: string): string | null {
  const name = tmpName(path);
  try {
    linkSync(path, name);
    return name;
  } catch {
    return null;
  }
}

/** Makes a rename or a new file in `dir` durable. */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the data itself was already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The file's bytes, or null when it does not exist. */
export function readFileIfExists(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw notADirectory(path, err);
    throw err;
  }
}

/** A data dir (or a dir inside it) that is a file: name the file, not the path below it. */
function notADirectory(path: string, cause: unknown): DataDirError {
  let dir = dirname(path);
  for (let up = dirname(dir); up !== dir; dir = up, up = dirname(up)) {
    if (statSync(up, { throwIfNoEntry: false })?.isDirectory()) break;
  }
  return new DataDirError(`${dir} is a file, not a directory: point KAFKIT_DATA_DIR at a directory, or move that file away.`, { cause });
}

/**
 * Removes tmp files that an atomic write of a dead process never renamed (name.<pid>.<hex>.tmp),
 * as after a kill -9 mid-write. Tmp files of live processes are theirs to finish.
 */
export function removeStaleTmpFiles(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /\.(\d+)\.[0-9a-f]+\.tmp$/.exec(n);
    if (!m) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || pidAlive(pid)) continue;
    try {
      unlinkSync(join(dir, n));
    } catch {
      // another process removed it first
    }
  }
}
