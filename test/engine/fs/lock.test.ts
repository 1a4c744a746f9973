import { describe, expect, it, afterEach } from 'vitest';
import { lstatSync, mkdtempSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { withLockSync, LockTimeoutError } from '../../../src/engine/fs/lock.js';
import { writeFileAtomicSync, readFileIfExists } from '../../../src/engine/fs/atomic-file.js';

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
});
