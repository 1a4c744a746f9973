import { describe, expect, it, afterEach } from 'vitest';
import { linkSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { withLockSync, LockTimeoutError } from '../../../src/engine/fs/lock.js';
import { writeFileAtomicSync, readFileIfExists, removeStaleTmpFiles } from '../../../src/engine/fs/atomic-file.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-lock-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('withLockSync', () => {
  it('holds the lock file only inside the section and is re-entrant', () => {
    const path = join(tmp(), 'x.lock');
    const seen = withLockSync(path, () => {
      // the lock is a symlink naming the holder's pid (and, where /proc tells, its start time)
      const inner = withLockSync(path, () => readlinkSync(path));
      return [inner, lstatSync(path).isSymbolicLink()];
    });
    expect(seen).toEqual([expect.stringMatching(new RegExp(`^${process.pid}(:\\d+)?$`)), true]);
    expect(() => lstatSync(path)).toThrow(/ENOENT/);
  });

  it('breaks a lock left by a dead process and reports it', () => {
    const path = join(tmp(), 'x.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    symlinkSync(dead, path);
    let broken = false;
    const v = withLockSync(path, () => 42, { onBroken: () => (broken = true) });
    expect(v).toBe(42);
    expect(broken).toBe(true);
  });

  it('also reads a lock written as a regular file holding the pid', () => {
    const path = join(tmp(), 'x.lock');
    writeFileSync(path, `${process.ppid}\n`);
    expect(() => withLockSync(path, () => 1, { timeoutMs: 50 })).toThrow(LockTimeoutError);
  });

  it('times out on a lock held by a live process', () => {
    const path = join(tmp(), 'x.lock');
    symlinkSync(String(process.ppid), path);
    expect(() => withLockSync(path, () => 1, { timeoutMs: 50 })).toThrow(LockTimeoutError);
  });
});

describe('writeFileAtomicSync', () => {
  it('replaces the file whole and leaves no tmp files', () => {
    const d = tmp();
    const p = join(d, 'meta.json');
    writeFileAtomicSync(p, 'one');
    writeFileAtomicSync(p, Buffer.from('two'));
    expect(readFileIfExists(p)?.toString()).toBe('two');
    expect(readFileIfExists(join(d, 'missing'))).toBeNull();
    expect(spawnSync('ls', [d]).stdout.toString().trim()).toBe('meta.json');
  });

  it('releaseOldLater (no fsync): the new content at once, and no second name of the old version left after the async unlink', async () => {
    const d = tmp();
    const p = join(d, 'meta.json');
    writeFileAtomicSync(p, 'one');
    writeFileAtomicSync(p, 'two', { fsync: false, releaseOldLater: true });
    expect(readFileSync(p, 'utf8')).toBe('two');
    // the old version's second name (a tmp name of this process) goes with an async unlink
    for (let i = 0; i < 100 && readdirSync(d).length > 1; i++) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(d)).toEqual(['meta.json']);
    // durable writes do not take that path
    writeFileAtomicSync(p, 'three', { releaseOldLater: true });
    expect(readdirSync(d)).toEqual(['meta.json']);
    expect(readFileSync(p, 'utf8')).toBe('three');
  });

  it('releaseOldLater with no file yet writes it as usual', () => {
    const d = tmp();
    writeFileAtomicSync(join(d, 'new.json'), 'x', { fsync: false, releaseOldLater: true });
    expect(readdirSync(d)).toEqual(['new.json']);
  });

  it('a second name left by a killed writer goes with the next removeStaleTmpFiles', () => {
    const d = tmp();
    const p = join(d, 'meta.json');
    writeFileSync(p, 'now');
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const deadPid = Number(child.stdout.toString());
    linkSync(p, `${p}.${deadPid}.0badc0de.tmp`);
    removeStaleTmpFiles(d);
    expect(readdirSync(d)).toEqual(['meta.json']);
    expect(readFileSync(p, 'utf8')).toBe('now');
  });
});
