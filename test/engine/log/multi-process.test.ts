import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { PartitionLog } from '../../../src/engine/log/partition-log.js';
import { decodeRecordSet } from '../../../src/engine/record/batch.js';

const appender = join(import.meta.dirname, '../../fixtures/appender.mjs');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function run(dir: string, count: number, tag: string) {
  const child = spawn(process.execPath, [appender, dir, String(count), tag]);
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, acked: () => out.split('\n').filter(Boolean).map(Number) };
}

function readAll(dir: string) {
  const log = PartitionLog.open(dir);
  const out: { offset: number; value: string }[] = [];
  let next = log.logStartOffset();
  for (;;) {
    const { records } = log.read(next, 1 << 20);
    if (records.length === 0) return out;
    for (const r of decodeRecordSet(records)) {
      if (r.offset >= next) out.push({ offset: r.offset, value: String(r.value) });
      next = r.offset + 1;
    }
  }
}

describe('PartitionLog across processes', () => {
  it('two processes appending at once give one gap-free, duplicate-free sequence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-mp-'));
    dirs.push(dir);
    const a = run(dir, 300, 'a');
    const b = run(dir, 300, 'b');
    expect(await a.done).toBe(0);
    expect(await b.done).toBe(0);
    const all = readAll(dir);
    expect(all.map((r) => r.offset)).toEqual([...Array(600).keys()]);
    expect(all.filter((r) => r.value.startsWith('a-')).map((r) => r.value)).toEqual([...Array(300).keys()].map((i) => `a-${i}`));
    expect([...a.acked(), ...b.acked()].sort((x, y) => x - y)).toEqual([...Array(600).keys()]);
  });

  it('a writer killed with SIGKILL loses no acknowledged record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kafkit-crash-'));
    dirs.push(dir);
    const w = run(dir, 1_000_000, 'k');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (w.acked().length > 2000) {
          clearInterval(t);
          resolve();
        }
      }, 10);
    });
    w.child.kill('SIGKILL');
    await w.done;
    const acked = w.acked();
    const log = PartitionLog.open(dir);
    log.recover();
    const stored = new Set(readAll(dir).map((r) => r.offset));
    for (const o of acked) expect(stored.has(o)).toBe(true);
  });
});
