// A lock or writer file left by a dead kafkit process whose pid now belongs to another live process
// (issue 14): the start time recorded with the pid tells them apart, so nobody waits for it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LockTimeoutError, processStartTime, withLockSync } from '../../src/engine/fs/lock.js';
import { otherLiveWriters, registerWriter, unregisterWriter } from '../../src/engine/log/writers.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-pid-'));
  dirs.push(d);
  return d;
}
/** A live process that is not kafkit: it stands in for the one that got a dead holder's pid. */
function stranger(): number {
  const c = spawn('sleep', ['60'], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
}

describe.runIf(process.platform === 'linux')('a reused pid', () => {
  it('reads the start time from /proc/<pid>/stat', () => {
    const pid = stranger();
    expect(processStartTime(pid)).toMatch(/^\d+$/);
    expect(processStartTime(process.pid)).toMatch(/^\d+$/);
    expect(processStartTime(pid)).not.toBe(processStartTime(999_999_999));
  });

  it('a lock naming a live pid with another start time is broken at once, not waited on for 30 s', () => {
    const lock = join(tmp(), 'append.lock');
    const pid = stranger();
    symlinkSync(`${pid}:1`, lock);
    let broken = false;
    const started = Date.now();
    expect(withLockSync(lock, () => readlinkSync(lock), { timeoutMs: 3000, onBroken: () => (broken = true) })).toBe(`${process.pid}:${processStartTime(process.pid)}`);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(broken).toBe(true);
  });

  it('a lock naming that live pid with its own start time is held (and an old pid-only lock too)', () => {
    const dir = tmp();
    const pid = stranger();
    symlinkSync(`${pid}:${processStartTime(pid)}`, join(dir, 'a.lock'));
    expect(() => withLockSync(join(dir, 'a.lock'), () => 1, { timeoutMs: 200 })).toThrow(LockTimeoutError);
    symlinkSync(String(pid), join(dir, 'b.lock'));
    expect(() => withLockSync(join(dir, 'b.lock'), () => 1, { timeoutMs: 200 })).toThrow(LockTimeoutError);
  });

  it('a writer registration of a reused pid does not count as a live writer', () => {
    const dir = tmp();
    const pid = stranger();
    mkdirSync(join(dir, 'writers'));
    writeFileSync(join(dir, 'writers', String(pid)), `${pid}:1`);
    expect(otherLiveWriters(dir)).toEqual([]);
    writeFileSync(join(dir, 'writers', String(pid)), `${pid}:${processStartTime(pid)}`);
    expect(otherLiveWriters(dir)).toEqual([pid]);
    registerWriter(dir);
    expect(readFileSync(join(dir, 'writers', String(process.pid)), 'utf8')).toBe(`${process.pid}:${processStartTime(process.pid)}`);
    unregisterWriter(dir);
  });
});
