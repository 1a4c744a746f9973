// Faults injected into one replica's files (issue 16 #4, #5, #6 and the recovery report of #1):
// the engine must see the damage, say where it is, and never silently drop or skip good records.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from '../../src/engine/log/partition-log.js';
import { decodeRecordSet, encodeBatch } from '../../src/engine/record/batch.js';
import { CorruptRecordError } from '../../src/errors.js';
import { captureWarnings } from '../../src/engine/warn.js';
import { SCRUB_START, scrubStep } from '../../src/engine/log/recovery.js';

const dirs: string[] = [];
let restore: (() => void) | undefined;
const warnings: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-faults-'));
  dirs.push(d);
  warnings.length = 0;
  restore = captureWarnings(warnings);
  return join(d, 'topic-0');
}
afterEach(() => {
  restore?.();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const seg = (base: number, ext: string) => join(`${String(base).padStart(20, '0')}${ext}`);

/** `batches` batches of 3 records each, closed cleanly; returns the batch size in bytes. */
function fill(dir: string, batches: number, config = {}): number {
  const log = PartitionLog.open(dir, config);
  for (let i = 0; i < batches; i++) log.append(batchOf(i));
  log.close();
  return batchOf(0).length;
}
function batchOf(i: number): Buffer {
  return encodeBatch([0, 1, 2].map((j) => ({ key: null, value: Buffer.from(`v${i * 3 + j}`.padEnd(8, '.')), timestamp: 1000 + i })));
}

/** Every offset a consumer reading from the start would get, in order. */
function consume(log: PartitionLog): number[] {
  const out: number[] = [];
  let next = log.logStartOffset();
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const { records } = log.read(next, 1 << 20);
    if (records.length === 0) return out;
    for (const r of decodeRecordSet(records)) {
      if (r.offset < next) continue;
      out.push(r.offset);
      next = r.offset + 1;
    }
  }
  throw new Error(`still reading after 10,000 fetches at offset ${next}`);
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function flip(path: string, position: number, mask = 0x10): void {
  const buf = readFileSync(path);
  buf[position] ^= mask;
  writeFileSync(path, buf);
}

describe('a log-start-offset-checkpoint beyond the log end (issue 16 #4)', () => {
  it('is ignored with one warning naming the file: readers see every record and the next writer keeps them', () => {
    const dir = tmp();
    fill(dir, 10);
    writeFileSync(join(dir, 'log-start-offset-checkpoint'), '0\n1\ntopic 0 999999\n');
    const reader = PartitionLog.open(dir);
    expect(reader.logStartOffset()).toBe(0);
    expect(consume(reader)).toEqual(range(30));
    const writer = PartitionLog.open(dir);
    expect(writer.append(encodeBatch([{ key: null, value: Buffer.from('new') }]))).toMatchObject({ firstOffset: 30 });
    writer.close();
    expect(consume(PartitionLog.open(dir))).toEqual(range(31));
    expect(warnings).toEqual([
      `WARN Ignoring ${join(dir, 'log-start-offset-checkpoint')}: its log start offset 999999 is beyond the log end offset 30, so the file is corrupt.`,
    ]);
    // the writer replaced the garbage with the real start
    expect(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n1\ntopic 0 0\n');
  });

  it('a recovery point beyond the log end makes recovery rescan every segment, not skip them', () => {
    const dir = tmp();
    const size = fill(dir, 6, { segmentBytes: 2 * batchOf(0).length });
    expect(statSync(join(dir, seg(0, '.log'))).size).toBe(2 * size);
    unlinkSync(join(dir, '.kafka_cleanshutdown'));
    writeFileSync(join(dir, 'recovery-point-offset-checkpoint'), '0\n1\ntopic 0 999999\n');
    flip(join(dir, seg(0, '.log')), size + 70); // inside the second batch's records: CRC mismatch
    const log = PartitionLog.open(dir);
    const result = log.recover();
    expect(result.damage).toMatchObject({ path: join(dir, seg(0, '.log')), segmentBase: 0, position: size, offset: 3 });
    expect(warnings[0]).toBe(
      `WARN Ignoring ${join(dir, 'recovery-point-offset-checkpoint')}: its recovery point 999999 is beyond the log end offset 18, so the file is corrupt; rescanning every segment.`,
    );
  });
});

describe('a flipped byte in a batch base offset (issue 16 #5)', () => {
  it('stops the reader at that batch with a CorruptRecordError naming file, position and offsets, never skipping records', () => {
    const dir = tmp();
    const size = fill(dir, 10);
    const path = join(dir, seg(0, '.log'));
    flip(path, 5 * size + 6, 0x01); // base offset of the 6th batch: 15 -> 271
    const log = PartitionLog.open(dir);
    const got: number[] = [];
    let next = 0;
    let error: unknown;
    try {
      // bounded: without the check a consumer goes round between the jumped and the real offsets
      for (let rounds = 0; rounds < 100; rounds++) {
        const { records } = log.read(next, 1 << 20);
        if (records.length === 0) break;
        for (const r of decodeRecordSet(records)) {
          got.push(r.offset);
          next = r.offset + 1;
        }
      }
    } catch (err) {
      error = err;
    }
    expect(got).toEqual(range(15));
    expect(error).toBeInstanceOf(CorruptRecordError);
    expect((error as Error).message).toBe(
      `Corrupt log segment ${path}: the batch at position ${5 * size} holds offsets 271 to 273, but the batch before it ends at offset 14; repair this replica from a healthy one or truncate it below offset 15.`,
    );
  });

  it('is not where the log ends for a writer: the append is refused, the file left as it was', () => {
    const dir = tmp();
    const size = fill(dir, 10);
    const path = join(dir, seg(0, '.log'));
    flip(path, 5 * size + 6, 0x01);
    const log = PartitionLog.open(dir);
    expect(() => log.append(encodeBatch([{ key: null, value: Buffer.from('x') }]))).toThrow(CorruptRecordError);
    expect(statSync(path).size).toBe(10 * size);
  });

  it('is found by recovery (which reports where and why it cut) and by report-only recovery (which cuts nothing)', () => {
    const dir = tmp();
    const size = fill(dir, 10);
    const path = join(dir, seg(0, '.log'));
    flip(path, 5 * size + 6, 0x01);
    const log = PartitionLog.open(dir);
    const expected = { path, segmentBase: 0, position: 5 * size, offset: 15, bytes: 5 * size, reason: 'offsets 271 to 273 where offset 15 was expected' };
    expect(log.findDamage(0)).toEqual(expected);
    expect(log.findDamage(20)).toEqual(expected);
    expect(statSync(path).size).toBe(10 * size);
    const result = log.recover();
    expect(result.damage).toEqual(expected);
    expect(result).toMatchObject({ truncatedAt: 0, truncatedBytes: 5 * size });
    expect(log.findDamage(0)).toBeNull();
    expect(consume(log)).toEqual(range(15));
  });
});

describe('a torn last batch whose index entry survived (issue 16 #6)', () => {
  it('gives the log end of the last whole batch, and a consumer from the beginning finishes', () => {
    const dir = tmp();
    const size = fill(dir, 5, { indexIntervalBytes: 1 });
    const path = join(dir, seg(0, '.log'));
    expect(statSync(join(dir, seg(0, '.index'))).size).toBe(4 * 8); // an entry for every batch after the first
    truncateSync(path, 4 * size + 70); // the last batch's header survives, its records do not
    const reader = PartitionLog.open(dir, { indexIntervalBytes: 1 });
    expect(reader.logEndOffset()).toBe(12);
    expect(consume(reader)).toEqual(range(12));
    expect(reader.read(12, 1 << 20).records.length).toBe(0);
    const writer = PartitionLog.open(dir, { indexIntervalBytes: 1 });
    expect(writer.append(encodeBatch([{ key: null, value: Buffer.from('after') }]))).toMatchObject({ firstOffset: 12 });
    expect(consume(writer)).toEqual(range(13));
    expect(writer.findDamage()).toBeNull();
    writer.close();
  });
});

describe('follower appends keep offsets gap-free inside a segment', () => {
  it('a follower that skips ahead starts a new segment; a record set with a gap inside is refused', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(encodeBatch([{ key: null, value: Buffer.from('a') }], { baseOffset: 0 }), { assignOffsets: false });
    log.append(encodeBatch([{ key: null, value: Buffer.from('b') }], { baseOffset: 7 }), { assignOffsets: false });
    expect(log.findDamage()).toBeNull();
    expect(consume(log)).toEqual([0, 7]);
    const gap = Buffer.concat([encodeBatch([{ key: null, value: Buffer.from('c') }], { baseOffset: 8 }), encodeBatch([{ key: null, value: Buffer.from('d') }], { baseOffset: 10 })]);
    expect(() => log.append(gap, { assignOffsets: false })).toThrow('Out of order offsets in the record set: batch offset 10 follows offset 8.');
    log.close();
  });
});

describe('recovery that cuts damage says so', () => {
  it('one warning line naming the replica, the file, the reason and the new log end; a torn last batch alone says nothing', () => {
    const dir = tmp();
    const size = fill(dir, 10);
    const path = join(dir, seg(0, '.log'));
    flip(path, 4 * size + 40);
    rmSync(join(dir, '.kafka_cleanshutdown'));
    expect(PartitionLog.open(dir).recover().damage).toMatchObject({ offset: 12 });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^WARN Recovery of .*: Record batch at position \d+ is corrupt \(stored crc = \d+, computed crc = \d+\) in /);
    expect(warnings[0]).toContain(`${dir}: Record batch at position ${4 * size} is corrupt`);
    expect(warnings[0]).toContain(` in ${path} at position ${4 * size}; the log was truncated to offset 12 (${6 * size} bytes dropped).`);
    warnings.length = 0;
    truncateSync(path, 4 * size - 7);
    expect(PartitionLog.open(dir).recover().damage).toMatchObject({ offset: 9, reason: expect.stringMatching(/^torn batch/) });
    expect(warnings).toEqual([]);
  });
});

describe('a segment lost between two others', () => {
  it('is reported by a scrub step, which goes on from where the last step ran out of budget', () => {
    const dir = tmp();
    const size = fill(dir, 10, { segmentBytes: 3 * batchOf(0).length });
    expect(readdirSync(dir).filter((n) => n.endsWith('.log')).sort()).toEqual([seg(0, '.log'), seg(9, '.log'), seg(18, '.log'), seg(27, '.log')]);
    // A budget smaller than a batch still moves on by one batch.
    expect(scrubStep(dir, SCRUB_START, 1)).toEqual({ damage: null, next: { base: 0, position: size, offset: 3 }, read: size });
    expect(scrubStep(dir, { base: 0, position: size, offset: 3 }, 2 * size)).toEqual({ damage: null, next: { base: 9, position: 0, offset: 9 }, read: 2 * size });
    unlinkSync(join(dir, seg(9, '.log')));
    expect(scrubStep(dir, { base: 9, position: 0, offset: 9 }, 1 << 20).damage).toBeNull();
    expect(scrubStep(dir, { base: 0, position: size, offset: 3 }, 1 << 20).damage).toMatchObject({ segmentBase: 18, offset: 9, reason: 'offsets 9 to 17 are missing: no segment holds them' });
    expect(scrubStep(dir, SCRUB_START, 1 << 20).damage).toMatchObject({ offset: 9 });
  });

  it('a cursor left inside a segment that was cut and written again checks that segment from its start, not a false damage', () => {
    const dir = tmp();
    const size = fill(dir, 4);
    const log = PartitionLog.open(dir);
    // The batch holding offset 1 goes whole: the segment is empty, then holds one longer batch.
    log.truncateTo(1);
    log.append(encodeBatch([{ key: null, value: Buffer.from('a much longer value than before') }]));
    log.close();
    expect(scrubStep(dir, { base: 0, position: 2 * size, offset: 6 }, 1 << 20)).toEqual({ damage: null, next: null, read: statSync(join(dir, seg(0, '.log'))).size });
    flip(join(dir, seg(0, '.log')), 40);
    expect(scrubStep(dir, SCRUB_START, 1 << 20).damage).toMatchObject({ offset: 0, position: 0 });
  });
});

describe('a damaged or missing leader-epoch-checkpoint', () => {
  it('is rebuilt from the epochs the batches carry, so that catch-up still finds where a replica diverged', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    for (let i = 0; i < 3; i++) log.append(batchOf(i), { leaderEpoch: 0 });
    for (let i = 3; i < 5; i++) log.append(batchOf(i), { leaderEpoch: 4 });
    log.append(batchOf(5), { leaderEpoch: 7 });
    log.close();
    const expected = [
      { epoch: 0, startOffset: 0 },
      { epoch: 4, startOffset: 9 },
      { epoch: 7, startOffset: 15 },
    ];
    const checkpoint = join(dir, 'leader-epoch-checkpoint');
    expect(readFileSync(checkpoint, 'utf8')).toBe('0\n3\n0 0\n4 9\n7 15\n');
    writeFileSync(checkpoint, '0\n3\n0 x\n7 -4 9\n');
    expect(PartitionLog.open(dir).epochs.load()).toEqual(expected);
    expect(readFileSync(checkpoint, 'utf8')).toBe('0\n3\n0 0\n4 9\n7 15\n');
    unlinkSync(checkpoint);
    expect(PartitionLog.open(dir).epochs.load()).toEqual(expected);
    expect(readFileSync(checkpoint, 'utf8')).toBe('0\n3\n0 0\n4 9\n7 15\n');
  });
});
