import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, unlinkSync, writeFileSync, writeSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_LOG_CONFIG, PartitionLog } from '../../../src/engine/log/partition-log.js';
import { decodeRecordSet, encodeBatch } from '../../../src/engine/record/batch.js';
import { validateBatchAt } from '../../../src/engine/record/header.js';
import { CorruptRecordError, InvalidRecordError, OffsetOutOfRangeError, RecordTooLargeError } from '../../../src/errors.js';

const dirs: string[] = [];
function tmp(name = 'topic-0'): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-log-'));
  dirs.push(d);
  return join(d, name);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const seg = (base: number, ext: string) => `${String(base).padStart(20, '0')}${ext}`;

function batch(values: string[], ts = 1000): Buffer {
  return encodeBatch(values.map((v, i) => ({ key: null, value: Buffer.from(v), timestamp: ts + i })));
}
function values(buf: Buffer): string[] {
  return [...decodeRecordSet(buf)].map((r) => `${r.offset}:${r.value}`);
}
/** Every record from the log start, reading as a consumer would. */
function readAll(log: PartitionLog): string[] {
  const out: string[] = [];
  let next = log.logStartOffset();
  for (;;) {
    const { records } = log.read(next, 1 << 20);
    if (records.length === 0) return out;
    for (const r of decodeRecordSet(records)) {
      if (r.offset >= next) out.push(`${r.offset}:${r.value}`);
      next = r.offset + 1;
    }
  }
}
function entries(buf: Buffer, width: 8 | 12): number[][] {
  const out: number[][] = [];
  for (let p = 0; p + width <= buf.length; p += width) {
    out.push(width === 8 ? [buf.readInt32BE(p), buf.readInt32BE(p + 4)] : [Number(buf.readBigInt64BE(p)), buf.readInt32BE(p + 8)]);
  }
  return out;
}
function flipByte(file: string, at: number): void {
  const bytes = readFileSync(file);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.from([bytes[at] ^ 0xff]), 0, 1, at);
  closeSync(fd);
}

describe('PartitionLog config', () => {
  it("uses Kafka's defaults", () => {
    expect(DEFAULT_LOG_CONFIG).toMatchObject({
      segmentBytes: 1073741824,
      segmentMs: 604800000,
      segmentIndexBytes: 10485760,
      indexIntervalBytes: 4096,
      retentionMs: 604800000,
      retentionBytes: -1,
      maxMessageBytes: 1048588,
      messageTimestampType: 'CreateTime',
    });
  });
});

describe('PartitionLog append and read', () => {
  it('assigns offsets across appends, sets the leader epoch, and reads whole batches back', () => {
    const log = PartitionLog.open(tmp());
    expect(log.append(batch(['a', 'b'], 500), { leaderEpoch: 7 })).toEqual({ firstOffset: 0, lastOffset: 1, logAppendTime: -1, maxTimestamp: 501 });
    expect(log.append(batch(['c']))).toMatchObject({ firstOffset: 2, lastOffset: 2 });
    expect(log.logEndOffset()).toBe(3);
    const all = log.read(0, 1 << 20);
    expect(values(all.records)).toEqual(['0:a', '1:b', '2:c']);
    expect(all.records.readInt32BE(12)).toBe(7); // partitionLeaderEpoch of the first batch
    expect(all).toMatchObject({ logStartOffset: 0, logEndOffset: 3 });
    // offset 1 lives in the batch starting at 0: the whole batch comes back
    expect(values(log.read(1, 1 << 20).records)).toEqual(['0:a', '1:b', '2:c']);
    expect(values(log.read(2, 1 << 20).records)).toEqual(['2:c']);
    expect(log.read(3, 1 << 20).records.length).toBe(0);
    expect(() => log.read(4, 100)).toThrow(new OffsetOutOfRangeError('Offset 4 is out of range: the log holds offsets 0 to 3.'));
  });

  it('keeps byte limits, returns at least one batch, and never passes maxOffset', () => {
    const log = PartitionLog.open(tmp());
    const sizes = ['a', 'b', 'c', 'd'].map((v) => {
      const b = batch([v.repeat(50)]);
      log.append(b);
      return b.length;
    });
    const two = sizes[0] + sizes[1];
    expect(values(log.read(0, two).records)).toHaveLength(2);
    expect(values(log.read(0, two - 1).records)).toHaveLength(1);
    expect(values(log.read(0, 1).records)).toHaveLength(1); // bigger than maxBytes, still returned
    expect(values(log.read(1, 0).records)).toHaveLength(1);
    expect(values(log.read(0, 1 << 20, { maxOffset: 2 }).records).map((v) => v[0])).toEqual(['0', '1']);
    expect(log.read(2, 1 << 20, { maxOffset: 2 }).records.length).toBe(0);
    // a batch whose last offset reaches maxOffset is left out whole
    const log2 = PartitionLog.open(tmp());
    log2.append(batch(['x', 'y', 'z']));
    expect(log2.read(0, 1 << 20, { maxOffset: 2 }).records.length).toBe(0);
    expect(values(log2.read(0, 1 << 20, { maxOffset: 3 }).records)).toHaveLength(3);
  });

  it('refuses a batch over max.message.bytes and a corrupt batch, writing nothing', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { maxMessageBytes: 200 });
    log.append(batch(['ok']));
    const big = batch(['x'.repeat(200)]);
    expect(() => log.append(big)).toThrow(RecordTooLargeError);
    expect(() => log.append(big)).toThrow(`The record batch is ${big.length} bytes, larger than max.message.bytes (200); raise the topic's max.message.bytes or send smaller batches.`);
    const bad = batch(['fine']);
    bad[bad.length - 1] ^= 0xff;
    expect(() => log.append(Buffer.concat([batch(['first']), bad]))).toThrow(CorruptRecordError);
    expect(() => log.append(Buffer.concat([batch(['first']), bad.subarray(0, 30)]))).toThrow(CorruptRecordError);
    expect(log.logEndOffset()).toBe(1);
    expect(statSync(join(dir, seg(0, '.log'))).size).toBe(batch(['ok']).length);
  });

  it('keeps a follower batch offsets and rejects going backwards', () => {
    const log = PartitionLog.open(tmp());
    const b = encodeBatch([{ key: null, value: Buffer.from('f') }], { baseOffset: 5 });
    expect(log.append(b, { assignOffsets: false })).toMatchObject({ firstOffset: 5, lastOffset: 5 });
    expect(log.logEndOffset()).toBe(6);
    expect(() => log.append(encodeBatch([{ key: null, value: Buffer.from('g') }], { baseOffset: 3 }), { assignOffsets: false })).toThrow(InvalidRecordError);
    expect(values(log.read(5, 100).records)).toEqual(['5:f']);
  });

  it('stamps LogAppendTime and recomputes the CRC', () => {
    const log = PartitionLog.open(tmp(), { messageTimestampType: 'LogAppendTime' });
    expect(log.append(batch(['a', 'b'], 5), { now: 777 })).toMatchObject({ logAppendTime: 777, maxTimestamp: 777 });
    const { records } = log.read(0, 1000);
    expect(validateBatchAt(records, 0)).toBe(records.length);
    expect([...decodeRecordSet(records)].map((r) => [r.timestamp, r.timestampType])).toEqual([
      [777, 'LogAppendTime'],
      [777, 'LogAppendTime'],
    ]);
  });
});

describe('PartitionLog segments and indexes', () => {
  it('names files by 20-digit base offset and rolls on segment.bytes without empty segments', () => {
    const dir = tmp();
    const one = batch(['v'.repeat(60)]).length;
    // room for two batches: the third does not fit (size > segment.bytes - incoming)
    const log = PartitionLog.open(dir, { segmentBytes: 2 * one });
    for (let i = 0; i < 5; i++) log.append(batch([`${i}`.repeat(60)]));
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(2, '.log'), seg(4, '.log')]);
    // a batch bigger than segment.bytes still goes into a (fresh) segment of its own
    log.append(batch(['y'.repeat(500)]));
    log.append(batch(['z']));
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(2, '.log'), seg(4, '.log'), seg(5, '.log'), seg(6, '.log')]);
    expect(readAll(PartitionLog.open(dir)).map((v) => v.split(':')[0])).toEqual(['0', '1', '2', '3', '4', '5', '6']);
  });

  it('rolls on segment.ms measured from the first batch timestamp', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { segmentMs: 100 });
    log.append(batch(['a'], 1000));
    log.append(batch(['b'], 1100)); // waited exactly segment.ms: no roll
    log.append(batch(['c'], 1101)); // waited > segment.ms
    log.append(batch(['d'], 1150));
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(2, '.log')]);
  });

  it('rolls when an index would be full (segment.index.bytes)', () => {
    const dir = tmp();
    // 24 bytes: 3 offset entries or 2 time entries; every batch after the first gets both
    const log = PartitionLog.open(dir, { segmentIndexBytes: 24, indexIntervalBytes: 1 });
    for (let i = 0; i < 10; i++) log.append(batch([`r${i}`], 100 + i));
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(3, '.log'), seg(6, '.log'), seg(9, '.log')]);
    for (const n of readdirSync(dir).filter((f) => f.endsWith('index'))) expect(statSync(join(dir, n)).size).toBeLessThanOrEqual(24);
    expect(entries(readFileSync(join(dir, seg(3, '.index'))), 8).map((e) => e[0])).toEqual([1, 2]);
  });

  it('rolls when an offset would not fit a 32-bit relative offset', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(batch(['a']));
    const far = 2 ** 31 + 5;
    expect(log.append(encodeBatch([{ key: null, value: Buffer.from('far') }], { baseOffset: far }), { assignOffsets: false })).toMatchObject({ firstOffset: far });
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(far, '.log')]);
    expect(values(log.read(1, 100).records)).toEqual([`${far}:far`]);
  });

  it('writes .index and .timeindex entries as Kafka does: every index.interval.bytes, time entries only when the max grows', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { indexIntervalBytes: 100 });
    const ts = [5000, 5003, 5001, 5009];
    const sizes = ts.map((t, i) => {
      const b = batch([`v${i}`.padEnd(80, '.')], t);
      log.append(b);
      return b.length;
    });
    expect(sizes.every((s) => s > 100 && s === sizes[0])).toBe(true);
    const s = sizes[0];
    const idx = readFileSync(join(dir, seg(0, '.index')));
    const tix = readFileSync(join(dir, seg(0, '.timeindex')));
    // the first batch starts at 0, which is not more than 100 bytes past the start: no entry
    const wantIdx = Buffer.alloc(24);
    [[1, s], [2, 2 * s], [3, 3 * s]].forEach(([o, p], i) => {
      wantIdx.writeInt32BE(o, i * 8);
      wantIdx.writeInt32BE(p, i * 8 + 4);
    });
    expect(idx.equals(wantIdx)).toBe(true);
    // 5001 < 5003: the max did not grow at offset 2, so no time entry there
    const wantTix = Buffer.alloc(24);
    [[5003, 1], [5009, 3]].forEach(([t, o], i) => {
      wantTix.writeBigInt64BE(BigInt(t), i * 12);
      wantTix.writeInt32BE(o, i * 12 + 8);
    });
    expect(tix.equals(wantTix)).toBe(true);
  });

  it('places offset index entries every 4096 bytes by default and finds every offset through them', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    const positions: number[] = [];
    let pos = 0;
    for (let i = 0; i < 200; i++) {
      const b = batch([`record-${i}`.padEnd(100, '-')], 10_000 + i);
      positions.push(pos);
      pos += b.length;
      log.append(b);
    }
    const want: number[][] = [];
    let last = 0;
    positions.forEach((p, i) => {
      if (p - last > 4096) {
        want.push([i, p]);
        last = p;
      }
    });
    expect(want.length).toBeGreaterThan(3);
    expect(entries(readFileSync(join(dir, seg(0, '.index'))), 8)).toEqual(want);
    expect(entries(readFileSync(join(dir, seg(0, '.timeindex'))), 12)).toEqual(want.map(([o]) => [10_000 + o, o]));
    for (let o = 0; o < 200; o += 7) expect(values(log.read(o, 1).records)[0]).toBe(`${o}:${`record-${o}`.padEnd(100, '-')}`);
  });

  it('adds the final time entry (largest timestamp) when a segment rolls', () => {
    const dir = tmp();
    const one = batch(['x']).length;
    const log = PartitionLog.open(dir, { segmentBytes: 3 * one });
    log.append(batch(['x'], 300));
    log.append(batch(['x'], 900));
    log.append(batch(['x'], 600));
    log.append(batch(['x'], 700)); // rolls
    expect(entries(readFileSync(join(dir, seg(0, '.timeindex'))), 12)).toEqual([[900, 1]]);
  });

  it('finds offsets by timestamp (ListOffsets semantics) across segments and above the log start', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { indexIntervalBytes: 1, segmentBytes: 150 });
    log.append(batch(['a', 'b'], 100)); // 0:100 1:101
    log.append(batch(['c', 'd'], 200)); // 2:200 3:201
    log.append(batch(['e'], 150)); // 4:150 (out of order timestamps are allowed)
    log.append(batch(['f', 'g'], 300)); // 5:300 6:301
    expect(readdirSync(dir).filter((n) => n.endsWith('.log')).length).toBeGreaterThan(1);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 100 });
    expect(log.offsetForTimestamp(101)).toEqual({ offset: 1, timestamp: 101 });
    expect(log.offsetForTimestamp(150)).toEqual({ offset: 2, timestamp: 200 });
    expect(log.offsetForTimestamp(202)).toEqual({ offset: 5, timestamp: 300 });
    expect(log.offsetForTimestamp(301)).toEqual({ offset: 6, timestamp: 301 });
    expect(log.offsetForTimestamp(302)).toBeNull();
    log.deleteRecordsBefore(3);
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 3, timestamp: 201 });
  });
});

describe('PartitionLog retention', () => {
  it('deletes whole old segments by retention.ms (largest timestamp), never the active one, and moves the log start', () => {
    const dir = tmp();
    const one = batch(['x'.repeat(60)]).length;
    const log = PartitionLog.open(dir, { segmentBytes: one, retentionMs: 1000 });
    log.append(batch(['old'.padEnd(60)], 1000));
    log.append(batch(['mid'.padEnd(60)], 5000));
    log.append(batch(['new'.padEnd(60)], 9000));
    expect(log.applyRetention(5999)).toBe(1); // 5999 - 5000 is not > 1000
    expect(log.logStartOffset()).toBe(1);
    expect(readFileSync(join(dir, 'log-start-offset-checkpoint'), 'utf8')).toBe('0\n1\ntopic 0 1\n');
    expect(() => log.read(0, 100)).toThrow(new OffsetOutOfRangeError('Offset 0 is out of range: the log holds offsets 1 to 3.'));
    expect(log.applyRetention(1_000_000)).toBe(1); // the active segment stays however old
    expect(readdirSync(dir).filter((n) => /\.(log|index|timeindex)$/.test(n))).toEqual([seg(2, '.index'), seg(2, '.log'), seg(2, '.timeindex')]);
    expect(readAll(log)).toEqual([`2:${'new'.padEnd(60)}`]);
    // another instance (another process) sees the same start
    expect(PartitionLog.open(dir).logStartOffset()).toBe(2);
  });

  it('deletes oldest segments while the rest still reach retention.bytes', () => {
    const dir = tmp();
    const one = batch(['x'.repeat(60)]).length;
    const log = PartitionLog.open(dir, { segmentBytes: one, retentionMs: -1, retentionBytes: 2 * one });
    for (let i = 0; i < 5; i++) log.append(batch(['x'.repeat(60)]));
    expect(log.applyRetention()).toBe(3); // 5 segments of `one`: keep the newest two
    expect(log.logStartOffset()).toBe(3);
    expect(log.applyRetention()).toBe(0);
    log.updateConfig({ retentionBytes: 0 });
    expect(log.applyRetention()).toBe(1);
    expect(log.logStartOffset()).toBe(4);
  });

  it('deleteRecordsBefore moves the start inside a segment and drops segments wholly below it', () => {
    const dir = tmp();
    const one = batch(['x']).length;
    const log = PartitionLog.open(dir, { segmentBytes: 2 * one });
    for (let i = 0; i < 6; i++) log.append(batch([`${i}`]));
    log.deleteRecordsBefore(3);
    expect(log.logStartOffset()).toBe(3);
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(2, '.log'), seg(4, '.log')]);
    expect(() => log.read(2, 100)).toThrow(OffsetOutOfRangeError);
    expect(readAll(log).map((v) => v.split(':')[0])).toEqual(['3', '4', '5']);
    expect(() => log.deleteRecordsBefore(7)).toThrow('Offset 7 is out of range: the log holds offsets 3 to 6.');
  });

  it('truncates to an offset, dropping the batch that holds it and later segments', () => {
    const dir = tmp();
    const one = batch(['0a', '0b']).length;
    const log = PartitionLog.open(dir, { segmentBytes: 2 * one, indexIntervalBytes: 1 });
    for (let i = 0; i < 4; i++) log.append(batch([`${i}a`, `${i}b`])); // offsets 0..7 in 2 segments
    log.truncateTo(5);
    expect(log.logEndOffset()).toBe(4);
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(4, '.log')]);
    log.truncateTo(3);
    expect(log.logEndOffset()).toBe(2);
    expect(entries(readFileSync(join(dir, seg(0, '.index'))), 8)).toEqual([]);
    expect(log.append(batch(['n']))).toMatchObject({ firstOffset: 2 });
    expect(readAll(log)).toEqual(['0:0a', '1:0b', '2:n']);
  });
});

describe('PartitionLog recovery', () => {
  /** A log with three one-record batches, left without a clean shutdown (its writer never closed). */
  function crashedLog(config = {}): { dir: string; file: string; sizes: number[] } {
    const dir = tmp();
    const log = PartitionLog.open(dir, config);
    const sizes = ['a', 'b', 'c'].map((v) => {
      const b = batch([v]);
      log.append(b);
      return b.length;
    });
    return { dir, file: join(dir, seg(0, '.log')), sizes };
  }

  it('cuts a torn tail, keeps every whole batch before it, and appends continue at the right offset', () => {
    const { dir, file, sizes } = crashedLog();
    truncateSync(file, sizes[0] + sizes[1] + 20);
    const again = PartitionLog.open(dir);
    expect(again.logEndOffset()).toBe(2); // a reader already stops before the torn batch
    expect(again.append(batch(['d']))).toMatchObject({ firstOffset: 2 });
    expect(readAll(again)).toEqual(['0:a', '1:b', '2:d']);
    expect(statSync(file).size).toBe(sizes[0] + sizes[1] + batch(['d']).length);
  });

  it('cuts at a batch with a flipped CRC byte and everything after it', () => {
    const { dir, file, sizes } = crashedLog();
    flipByte(file, sizes[0] + 65); // inside batch 1's record: covered by its CRC
    const result = PartitionLog.open(dir).recover();
    expect(result).toMatchObject({ truncatedAt: 0, truncatedBytes: sizes[1] + sizes[2] });
    expect(readAll(PartitionLog.open(dir))).toEqual(['0:a']);
  });

  it('cuts garbage appended after the last batch', () => {
    const { dir, file } = crashedLog();
    appendFileSync(file, Buffer.from([0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 200, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const again = PartitionLog.open(dir);
    expect(again.append(batch(['d']))).toMatchObject({ firstOffset: 3 });
    expect(readAll(again)).toEqual(['0:a', '1:b', '2:c', '3:d']);
  });

  it('drops the segments after a corrupt one', () => {
    const dir = tmp();
    const one = batch(['x']).length;
    const log = PartitionLog.open(dir, { segmentBytes: 2 * one });
    for (let i = 0; i < 6; i++) log.append(batch([`${i}`]));
    // nothing flushed: the recovery point is back at 0 (as after a crash before any flush)
    unlinkSync(join(dir, 'recovery-point-offset-checkpoint'));
    flipByte(join(dir, seg(2, '.log')), one + 65);
    const again = PartitionLog.open(dir, { segmentBytes: 2 * one });
    expect(again.append(batch(['n']))).toMatchObject({ firstOffset: 3 });
    expect(readdirSync(dir).filter((n) => n.endsWith('.log'))).toEqual([seg(0, '.log'), seg(2, '.log')]);
    expect(readAll(again)).toEqual(['0:0', '1:1', '2:2', '3:n']);
  });

  it('repairs a torn batch and a torn index entry left by a writer that died holding the append lock', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { indexIntervalBytes: 1 });
    for (const v of ['a', 'b', 'c']) log.append(batch([v]));
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    writeFileSync(join(dir, 'append.lock'), `${dead}\n`);
    appendFileSync(join(dir, seg(0, '.log')), batch(['torn']).subarray(0, 40));
    appendFileSync(join(dir, seg(0, '.index')), Buffer.from([0, 0, 0]));
    // the same instance appends next: its cached tail must not be trusted
    expect(log.append(batch(['d']))).toMatchObject({ firstOffset: 3 });
    expect(readAll(log)).toEqual(['0:a', '1:b', '2:c', '3:d']);
    expect(statSync(join(dir, seg(0, '.index'))).size).toBe(3 * 8);
    expect(existsSync(join(dir, 'append.lock'))).toBe(false);
    for (let o = 0; o < 4; o++) expect(values(log.read(o, 1).records)[0]).toBe(`${o}:${'abcd'[o]}`);
  });

  it('rebuilds missing and corrupt indexes (even after a clean shutdown) and removes orphan index files', () => {
    const dir = tmp();
    const cfg = { indexIntervalBytes: 1, segmentBytes: 400 };
    const log = PartitionLog.open(dir, cfg);
    for (let i = 0; i < 8; i++) log.append(batch([`v${i}`], 1000 + 10 * i));
    log.close();
    const names = readdirSync(dir).filter((n) => n.endsWith('index')).sort();
    const original = new Map(names.map((n) => [n, readFileSync(join(dir, n))]));
    unlinkSync(join(dir, seg(0, '.index')));
    writeFileSync(join(dir, seg(0, '.timeindex')), Buffer.from([1, 2]));
    const last = names.filter((n) => n.endsWith('.index')).pop()!;
    writeFileSync(join(dir, last), Buffer.alloc(16, 0xee));
    writeFileSync(join(dir, seg(99, '.index')), Buffer.alloc(8));
    // readers cope before anything is repaired
    const reader = PartitionLog.open(dir, cfg);
    expect(readAll(reader)).toHaveLength(8);
    for (let o = 0; o < 8; o++) expect(values(reader.read(o, 1).records)[0]).toBe(`${o}:v${o}`);
    // the first writer repairs
    const writer = PartitionLog.open(dir, cfg);
    writer.append(batch(['v8'], 1080));
    writer.close();
    expect(existsSync(join(dir, seg(99, '.index')))).toBe(false);
    for (const n of [seg(0, '.index'), seg(0, '.timeindex')]) expect(readFileSync(join(dir, n)).equals(original.get(n)!)).toBe(true);
    for (let t = 995; t < 1085; t += 5) {
      const want = Math.ceil((t - 1000) / 10);
      expect(writer.offsetForTimestamp(t)).toEqual(want <= 8 ? { offset: Math.max(0, want), timestamp: 1000 + 10 * Math.max(0, want) } : null);
    }
  });

  it('leaves a clean-shutdown marker and a recovery point when the last writer closes, and skips the rescan then', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    const other = PartitionLog.open(dir);
    log.append(batch(['a', 'b']));
    other.append(batch(['c']));
    log.close();
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false); // `other` still writes
    other.close();
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(true);
    // Not flushed on close: the marker names this boot instead (the recovery point stays where it was).
    expect(JSON.parse(readFileSync(join(dir, '.kafka_cleanshutdown'), 'utf8'))).toEqual({ version: 0, brokerEpoch: -1, bootId: readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() });
    expect(existsSync(join(dir, 'recovery-point-offset-checkpoint'))).toBe(false);
    // a clean marker means the CRCs are not re-checked (Kafka's testCleanShutdownFile)
    flipByte(join(dir, seg(0, '.log')), 70);
    const again = PartitionLog.open(dir);
    again.append(batch(['d']));
    expect(again.logEndOffset()).toBe(4);
    expect(existsSync(join(dir, '.kafka_cleanshutdown'))).toBe(false);
  });

  it('a clean-shutdown marker of an earlier boot counts as unclean: the unflushed records are rescanned', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(batch(['a', 'b']));
    log.append(batch(['c']));
    log.close();
    // As if the machine rebooted after the close: what was not flushed may not be on the disk.
    writeFileSync(join(dir, '.kafka_cleanshutdown'), '{"version":0,"brokerEpoch":-1,"bootId":"an-earlier-boot"}\n');
    const size = statSync(join(dir, seg(0, '.log'))).size;
    truncateSync(join(dir, seg(0, '.log')), size - 5);
    const again = PartitionLog.open(dir);
    again.append(batch(['d']));
    expect(readAll(again)).toEqual(['0:a', '1:b', '2:d']);
  });

  it("Kafka's own clean-shutdown marker (no boot named) means the log was flushed: no rescan", () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(batch(['a', 'b']));
    log.close();
    writeFileSync(join(dir, '.kafka_cleanshutdown'), '{"version":0,"brokerEpoch":-1}\n');
    flipByte(join(dir, seg(0, '.log')), 70);
    const again = PartitionLog.open(dir);
    again.append(batch(['c']));
    expect(again.logEndOffset()).toBe(3);
  });

  it('flush moves the recovery point; records before it survive an unclean stop with a torn tail', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { segmentBytes: 200 });
    for (let i = 0; i < 4; i++) log.append(batch([`f${i}`]));
    log.flush();
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\ntopic 0 4\n');
    log.append(batch(['u']));
    const active = readdirSync(dir).filter((n) => n.endsWith('.log')).pop()!;
    truncateSync(join(dir, active), statSync(join(dir, active)).size - 3);
    const again = PartitionLog.open(dir, { segmentBytes: 200 });
    again.append(batch(['after']));
    expect(readAll(again)).toEqual(['0:f0', '1:f1', '2:f2', '3:f3', '4:after']);
  });

  it('fsyncs before acknowledging with flush.messages=1', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { flushMessages: 1 });
    log.append(batch(['a']));
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\ntopic 0 1\n');
    log.append(batch(['b', 'c']));
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('0\n1\ntopic 0 3\n');
  });
});
