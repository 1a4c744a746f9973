import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, openSync, writeSync, closeSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PartitionLog } from '../../../src/engine/log/partition-log.js';
import { decodeRecordSet, encodeBatch } from '../../../src/engine/record/batch.js';
import { OffsetOutOfRangeError, RecordTooLargeError } from '../../../src/errors.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-log-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function batch(values: string[], ts = 1000): Buffer {
  return encodeBatch(values.map((v, i) => ({ key: null, value: Buffer.from(v), timestamp: ts + i })));
}
function values(buf: Buffer): string[] {
  return [...decodeRecordSet(buf)].map((r) => `${r.offset}:${r.value}`);
}

describe('PartitionLog', () => {
  it('assigns offsets across appends and reads them back by offset', () => {
    const log = PartitionLog.open(tmp());
    expect(log.append(batch(['a', 'b']))).toMatchObject({ firstOffset: 0, lastOffset: 1 });
    expect(log.append(batch(['c']))).toMatchObject({ firstOffset: 2, lastOffset: 2 });
    expect(log.logEndOffset()).toBe(3);
    expect(values(log.read(0, 1 << 20).records)).toEqual(['0:a', '1:b', '2:c']);
    // the batch holding offset 1 starts at 0: whole batches come back
    expect(values(log.read(2, 1 << 20).records)).toEqual(['2:c']);
    expect(log.read(3, 1 << 20).records.length).toBe(0);
    expect(() => log.read(4, 100)).toThrow(OffsetOutOfRangeError);
  });

  it('never returns batches at or past maxOffset and always returns at least one batch', () => {
    const log = PartitionLog.open(tmp());
    log.append(batch(['a']));
    log.append(batch(['b']));
    log.append(batch(['c']));
    expect(values(log.read(0, 1 << 20, { maxOffset: 2 }).records)).toEqual(['0:a', '1:b']);
    expect(values(log.read(0, 1).records)).toEqual(['0:a']);
  });

  it('names files by 20-digit base offset and rolls on segment.bytes', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { segmentBytes: 200 });
    for (let i = 0; i < 5; i++) log.append(batch([`value-${i}-${'x'.repeat(60)}`]));
    const logs = readdirSync(dir).filter((n) => n.endsWith('.log'));
    expect(logs).toEqual(['00000000000000000000.log', '00000000000000000001.log', '00000000000000000002.log', '00000000000000000003.log', '00000000000000000004.log']);
    expect(values(PartitionLog.open(dir).read(3, 1 << 20).records).slice(0, 1)[0]).toMatch(/^3:value-3/);
  });

  it('writes an 8-byte offset index and 12-byte time index entry every index.interval.bytes', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { indexIntervalBytes: 100 });
    for (let i = 0; i < 4; i++) log.append(batch([`v${i}`.padEnd(80, '.')], 5000 + i));
    const idx = readFileSync(join(dir, '00000000000000000000.index'));
    const tix = readFileSync(join(dir, '00000000000000000000.timeindex'));
    const size = statSync(join(dir, '00000000000000000000.log')).size / 4;
    // every batch is > 100 bytes, so each one gets an entry: (relative offset, position)
    expect([...Array(idx.length / 8)].map((_, i) => [idx.readInt32BE(i * 8), idx.readInt32BE(i * 8 + 4)])).toEqual([
      [0, 0], [1, size], [2, 2 * size], [3, 3 * size],
    ]);
    expect(tix.length).toBe(48);
    expect([Number(tix.readBigInt64BE(36)), tix.readInt32BE(44)]).toEqual([5003, 3]);
    expect(values(log.read(2, 1 << 20).records)[0]).toMatch(/^2:v2/);
  });

  it('finds offsets by timestamp (ListOffsets semantics)', () => {
    const log = PartitionLog.open(tmp(), { indexIntervalBytes: 1 });
    log.append(batch(['a', 'b'], 100));
    log.append(batch(['c', 'd'], 200));
    expect(log.offsetForTimestamp(101)).toEqual({ offset: 1, timestamp: 101 });
    expect(log.offsetForTimestamp(150)).toEqual({ offset: 2, timestamp: 200 });
    expect(log.offsetForTimestamp(0)).toEqual({ offset: 0, timestamp: 100 });
    expect(log.offsetForTimestamp(999)).toBeNull();
  });

  it('refuses a batch over max.message.bytes and writes nothing', () => {
    const log = PartitionLog.open(tmp(), { maxMessageBytes: 100 });
    expect(() => log.append(batch(['x'.repeat(200)]))).toThrow(RecordTooLargeError);
    expect(log.logEndOffset()).toBe(0);
  });

  it('deletes whole old segments by retention.ms and retention.bytes and moves the log start', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { segmentBytes: 100, retentionMs: 1000 });
    log.append(batch(['old'.padEnd(60)], 1000));
    log.append(batch(['mid'.padEnd(60)], 5000));
    log.append(batch(['new'.padEnd(60)], 9000));
    expect(log.applyRetention(5500)).toBe(1);
    expect(log.logStartOffset()).toBe(1);
    expect(() => log.read(0, 100)).toThrow(OffsetOutOfRangeError);
    expect(() => log.read(0, 100)).toThrow('Offset 0 is out of range: the log holds offsets 1 to 3.');
    const sized = PartitionLog.open(dir, { retentionMs: -1, retentionBytes: 1 });
    expect(sized.applyRetention()).toBe(1); // never the active segment
    expect(sized.logStartOffset()).toBe(2);
  });

  it('recovers from a torn tail and a corrupt batch, keeping every whole batch before it', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(batch(['a']));
    log.append(batch(['b']));
    log.append(batch(['c']));
    const file = join(dir, '00000000000000000000.log');
    const size = statSync(file).size;
    truncateSync(file, size - 5); // torn last batch
    // no clean-shutdown marker and a dead writer: the next writer recovers
    rmSync(join(dir, 'writers'), { recursive: true, force: true });
    const again = PartitionLog.open(dir);
    expect(again.recover()).toEqual({ truncatedAt: 0 });
    expect(again.logEndOffset()).toBe(2);
    expect(again.append(batch(['d']))).toMatchObject({ firstOffset: 2 });
    // flip a byte inside the second batch: it and everything after are cut
    const bytes = readFileSync(file);
    const second = bytes.readInt32BE(8) + 12;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([bytes[second + 64] ^ 0xff]), 0, 1, second + 64);
    closeSync(fd);
    expect(PartitionLog.open(dir).recover()).toEqual({ truncatedAt: 0 });
    expect(values(PartitionLog.open(dir).read(0, 1 << 20).records)).toEqual(['0:a']);
  });

  it('rebuilds a corrupt index', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir, { indexIntervalBytes: 1 });
    for (const v of ['a', 'b', 'c']) log.append(batch([v]));
    writeFileSync(join(dir, '00000000000000000000.index'), Buffer.from('garbage-garbage-'));
    unlinkSync(join(dir, '00000000000000000000.timeindex'));
    const again = PartitionLog.open(dir, { indexIntervalBytes: 1 });
    again.recover();
    expect(readFileSync(join(dir, '00000000000000000000.index')).length).toBe(24);
    expect(values(again.read(1, 1 << 20).records)).toEqual(['1:b', '2:c']);
  });

  it('leaves a clean-shutdown marker and a recovery point when the last writer closes', () => {
    const dir = tmp();
    const log = PartitionLog.open(dir);
    log.append(batch(['a', 'b']));
    log.close();
    expect(readdirSync(dir)).toContain('.kafka_cleanshutdown');
    expect(readFileSync(join(dir, 'recovery-point-offset-checkpoint'), 'utf8')).toBe('2\n');
  });
});
