// Several OS processes on one log: the compiled dist/ runs in child processes (fixtures/appender.mjs).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { PartitionLog } from '../../../src/engine/log/partition-log.js';
import { decodeRecordSet } from '../../../src/engine/record/batch.js';
import { batchSizeAt, validateBatchAt } from '../../../src/engine/record/header.js';

const appender = join(import.meta.dirname, 'fixtures/appender.mjs');
const dirs: string[] = [];
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null && c.pid) c.kill('SIGKILL');
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-mp-'));
  dirs.push(d);
  return join(d, 'topic-0');
}

interface Ack {
  first: number;
  last: number;
  tag: string;
}

function run(dir: string, args: { count: number; tag: string; perBatch?: number; segmentBytes?: number; flushMessages?: number }) {
  const child = spawn(process.execPath, [appender, dir, String(args.count), args.tag, String(args.perBatch ?? 1), String(args.segmentBytes ?? 4096), String(args.flushMessages ?? 0)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const acks = (): Ack[] =>
    out
      .split('\n')
      .slice(0, -1) // a line without its newline was not acknowledged
      .map((l) => {
        const [first, last, tag] = l.split(' ');
        return { first: Number(first), last: Number(last), tag };
      });
  return { child, done, acks, stderr: () => err };
}

/** Every batch from the start, each one CRC-checked, as (offset, value) pairs. */
function readAll(dir: string): { offset: number; value: string }[] {
  const log = PartitionLog.open(dir);
  const out: { offset: number; value: string }[] = [];
  let next = log.logStartOffset();
  for (;;) {
    const { records } = log.read(next, 1 << 20);
    if (records.length === 0) return out;
    for (let p = 0; p < records.length; p += batchSizeAt(records, p)) validateBatchAt(records, p);
    for (const r of decodeRecordSet(records)) {
      if (r.offset >= next) out.push({ offset: r.offset, value: String(r.value) });
      next = r.offset + 1;
    }
  }
}

function byWriter(records: { value: string }[], tag: string): number[] {
  return records.filter((r) => r.value.startsWith(`${tag}-`)).map((r) => Number(r.value.slice(tag.length + 1)));
}

describe('PartitionLog across processes', () => {
  it('two processes appending one record at a time give one gap-free, duplicate-free sequence across rolls', async () => {
    const dir = tmp();
    const a = run(dir, { count: 400, tag: 'a', segmentBytes: 2048 });
    const b = run(dir, { count: 400, tag: 'b', segmentBytes: 2048 });
    expect(await a.done).toBe(0);
    expect(await b.done).toBe(0);
    expect(a.stderr() + b.stderr()).toBe('');
    const all = readAll(dir);
    expect(all.map((r) => r.offset)).toEqual([...Array(800).keys()]);
    expect(byWriter(all, 'a')).toEqual([...Array(400).keys()]);
    expect(byWriter(all, 'b')).toEqual([...Array(400).keys()]);
    const acked = [...a.acks(), ...b.acks()].map((x) => x.first).sort((x, y) => x - y);
    expect(acked).toEqual([...Array(800).keys()]);
    // every acknowledged offset holds the record that writer sent
    const at = new Map(all.map((r) => [r.offset, r.value]));
    for (const x of [...a.acks(), ...b.acks()]) expect(at.get(x.first)).toBe(x.tag);
  });

  it('four processes each appending 50,000 records get 200,000 contiguous offsets, each writer in its own order', async () => {
    const dir = tmp();
    const tags = ['w0', 'w1', 'w2', 'w3'];
    const procs = tags.map((tag) => run(dir, { count: 50_000, tag, perBatch: 100, segmentBytes: 1 << 20 }));
    for (const p of procs) expect(await p.done).toBe(0);
    const all = readAll(dir);
    expect(all.length).toBe(200_000);
    expect(all.every((r, i) => r.offset === i)).toBe(true);
    for (const tag of tags) expect(byWriter(all, tag)).toEqual([...Array(50_000).keys()]);
    // the last writer to close left the log clean
    const log = PartitionLog.open(dir);
    expect(log.logEndOffset()).toBe(200_000);
  });

  it('a writer killed with SIGKILL at random moments, 50 times, loses no acknowledged record and appends continue', async () => {
    const dir = tmp();
    const kills = Number(process.env.KAFKIT_CRASH_KILLS ?? 50);
    const acked: Ack[] = [];
    for (let k = 0; k < kills; k++) {
      // every third run fsyncs before acknowledging, so the flushed path is killed too
      const w = run(dir, { count: 1_000_000, tag: `k${k}`, perBatch: 1 + (k % 5), segmentBytes: 8192, flushMessages: k % 3 === 0 ? 1 : 0 });
      await new Promise<void>((resolve, reject) => {
        w.child.stdout!.once('data', () => setTimeout(resolve, Math.floor(Math.random() * 40)));
        w.child.once('close', () => reject(new Error(`appender exited early: ${w.stderr()}`)));
      });
      w.child.kill('SIGKILL');
      await w.done;
      acked.push(...w.acks());
      const all = readAll(dir);
      // contiguous from 0, exactly once each
      expect(all.every((r, i) => r.offset === i)).toBe(true);
      const at = new Map(all.map((r) => [r.offset, r.value]));
      for (const x of w.acks()) expect(at.get(x.first)).toBe(x.tag);
    }
    expect(acked.length).toBeGreaterThan(kills);
    // a last writer recovers and continues right after the last acknowledged record (or later ones that landed)
    const log = PartitionLog.open(dir, { segmentBytes: 8192 });
    const end = log.logEndOffset();
    expect(end).toBeGreaterThanOrEqual(Math.max(...acked.map((x) => x.last)) + 1);
    const { encodeBatch } = await import('../../../src/engine/record/batch.js');
    expect(log.append(encodeBatch([{ key: null, value: Buffer.from('final') }])).firstOffset).toBe(end);
    log.close();
    const all = readAll(dir);
    expect(all.length).toBe(end + 1);
    expect(all.every((r, i) => r.offset === i)).toBe(true);
  }, 180_000);

  it('a write that fails (file size limit standing in for a full disk) is a KafkaStorageError and leaves the log as before', () => {
    const dir = tmp();
    const fill = join(import.meta.dirname, 'fixtures/fill.mjs');
    // 64 KiB limit: the 17th batch is cut short by the kernel, then refused
    const r = spawnSync('bash', ['-c', `ulimit -f 64 && exec "${process.execPath}" "${fill}" "${dir}"`], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout) as { acked: number; bytes: number; error: { name: string; kafka: string; message: string } };
    expect(out.error.name).toBe('KafkaStorageError');
    expect(out.error.kafka).toBe('KAFKA_STORAGE_ERROR');
    expect(out.error.message).toMatch(/^Cannot append to .*topic-0: EFBIG: file too large, write; check the disk and the data dir\.$/);
    expect(out.acked).toBeGreaterThan(10);
    const logs = readdirSync(dir).filter((n) => n.endsWith('.log'));
    expect(logs.reduce((n, f) => n + statSync(join(dir, f)).size, 0)).toBe(out.bytes);
    const all = readAll(dir);
    expect(all.map((x) => x.offset)).toEqual([...Array(out.acked).keys()]);
  });

  it('a reader in another process tails appends across rolls and retention without a partial batch or a skipped offset', async () => {
    const dir = tmp();
    const w = run(dir, { count: 3000, tag: 't', segmentBytes: 2048 });
    const reader = PartitionLog.open(dir);
    const janitor = PartitionLog.open(dir, { retentionMs: -1, retentionBytes: 8192 });
    let next = 0;
    let seen = 0;
    let outOfRange = 0;
    let exited = false;
    w.done.then(() => (exited = true));
    for (let i = 0; ; i++) {
      if (i % 20 === 0) janitor.applyRetention();
      let records: Buffer;
      try {
        records = reader.read(next, 4096).records;
      } catch (err) {
        // retention (here, standing in for another process) moved the start past us: skip ahead as a consumer does
        expect((err as Error).name).toBe('OffsetOutOfRangeError');
        outOfRange++;
        next = reader.logStartOffset();
        continue;
      }
      if (records.length === 0) {
        if (exited && next === reader.logEndOffset()) break;
        await new Promise((r) => setTimeout(r, 1));
        continue;
      }
      for (let p = 0; p < records.length; p += batchSizeAt(records, p)) validateBatchAt(records, p);
      for (const r of decodeRecordSet(records)) {
        if (r.offset < next) continue;
        expect(r.offset === next || outOfRange > 0).toBe(true);
        expect(String(r.value)).toBe(`t-${r.offset}`);
        next = r.offset + 1;
        seen++;
      }
    }
    expect(await w.done).toBe(0);
    expect(next).toBe(3000);
    expect(seen).toBeGreaterThan(0);
    expect(reader.logStartOffset()).toBeGreaterThan(0); // retention did delete segments meanwhile
    janitor.close();
  });
});
