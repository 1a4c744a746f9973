// Reading segment files for kafka-dump-log: whole batches, and every kind of damage reported in one
// line (where and why) without an exception.
import { afterEach, describe, expect, it } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpLogFile, dumpOffsetIndex, dumpTimeIndex, incrementSequence, offsetIndexSanity, timeIndexSanity, type DumpedBatch, type LogDumpItem } from '../../../src/engine/log/dump.js';
import { encodeOffsetEntry } from '../../../src/engine/log/offset-index.js';
import { encodeTimeEntry } from '../../../src/engine/log/time-index.js';
import { encodeBatch } from '../../../src/engine/record/batch.js';
import { readBatchHeader } from '../../../src/engine/record/header.js';

const dirs: string[] = [];
function segment(...batches: Buffer[]): string {
  const d = mkdtempSync(join(tmpdir(), 'kafkit-dump-'));
  dirs.push(d);
  const path = join(d, '00000000000000000000.log');
  writeFileSync(path, Buffer.concat(batches));
  return path;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const b1 = encodeBatch([{ key: Buffer.from('k'), value: Buffer.from('v0'), timestamp: 1000 }, { key: null, value: Buffer.from('v1'), timestamp: 1001, headers: [{ key: 'h', value: null }] }]);
const b2 = encodeBatch([{ key: null, value: Buffer.from('v2'), timestamp: 2000 }], { baseOffset: 2, producerId: 7, producerEpoch: 0, baseSequence: 2147483647 });

const batches = (items: LogDumpItem[]) => items.filter((i): i is { kind: 'batch'; batch: DumpedBatch } => i.kind === 'batch').map((i) => i.batch);
const dump = (path: string, deep = true, maxBytes = 2147483647) => [...dumpLogFile(path, { deep, maxBytes })];

describe('dumpLogFile', () => {
  it('reads every batch with its header, CRC check, sequences and records', () => {
    const items = dump(segment(b1, b2));
    const [first, second] = batches(items);
    expect(first).toMatchObject({ position: 0, size: b1.length, crcValid: true, compression: 'none', lastSequence: -1, isControl: false });
    expect(first.header.crc).toBe(readBatchHeader(b1).crc);
    expect(first.records!.map((r) => [r.offset, r.keySize, r.valueSize, r.headerKeys])).toEqual([[0, 1, 2, []], [1, -1, 2, ['h']]]);
    // Sequences wrap at Integer.MAX_VALUE, as Kafka's incrementSequence does.
    expect(second).toMatchObject({ position: b1.length, lastSequence: 2147483647 });
    expect(second.records![0].sequence).toBe(2147483647);
    expect(incrementSequence(2147483647, 1)).toBe(0);
    expect(items.at(-1)).toEqual({ kind: 'end', trailingBytes: 0 });
  });

  it('a torn last batch ends the walk: its bytes are trailing bytes, as in Kafka', () => {
    const path = segment(b1, b2.subarray(0, b2.length - 5));
    const items = dump(path);
    expect(batches(items)).toHaveLength(1);
    expect(items.at(-1)).toEqual({ kind: 'end', trailingBytes: b2.length - 5 });
  });

  it('--max-bytes reads only the batches wholly inside the limit', () => {
    const items = dump(segment(b1, b2), false, b1.length + 10);
    expect(batches(items)).toHaveLength(1);
    expect(items.at(-1)).toEqual({ kind: 'end', trailingBytes: 10 });
  });

  it('a flipped byte shows as isvalid false on that batch only; the next batch is still read', () => {
    const bad = Buffer.from(b1);
    bad[bad.length - 3] ^= 0xff; // inside the last record's value
    const [first, second] = batches(dump(segment(bad, b2)));
    expect(first.crcValid).toBe(false);
    expect(second.crcValid).toBe(true);
  });

  it('records that do not parse give one line naming the batch and the position', () => {
    const bad = Buffer.from(b1);
    bad[61] = 0x7f; // the first record's length varint: far past the batch end
    const [, second] = batches(dump(segment(b2, bad)));
    expect(second.recordsError).toMatch(new RegExp(`^Record batch at offset 0 \\(position ${b2.length}\\) is corrupt in record 0: record length -?\\d+ .*\\.$`));
  });

  it('garbage after the batches: a size field too small is reported where it is, then the bytes as trailing', () => {
    const path = segment(b1);
    appendFileSync(path, Buffer.alloc(40));
    const items = dump(path);
    expect(items.filter((i) => i.kind === 'problem')).toEqual([
      { kind: 'problem', message: `Found record size 0 smaller than minimum record overhead (14) at position ${b1.length} in file ${path}.` },
    ]);
    expect(items.at(-1)).toEqual({ kind: 'end', trailingBytes: 40 });
  });

  it('a batch of another magic stops the walk with the reason', () => {
    const old = Buffer.from(b2);
    old[16] = 1;
    const path = segment(b1, old);
    const problems = dump(path).filter((i) => i.kind === 'problem');
    expect(problems).toEqual([{ kind: 'problem', message: `Record batch at position ${b1.length} (offset 2) has magic 1: kafkit reads only v2 batches (magic 2), so the rest of ${path} is not dumped.` }]);
  });
});

describe('index dumps', () => {
  it('checks each offset index entry against the batch at its position', () => {
    const log = segment(b1, b2);
    const index = log.replace('.log', '.index');
    writeFileSync(index, Buffer.concat([encodeOffsetEntry(1, 0), encodeOffsetEntry(2, b1.length), encodeOffsetEntry(3, 5)]));
    const d = dumpOffsetIndex(index);
    expect(d.entries).toEqual([{ offset: 1, position: 0 }, { offset: 2, position: b1.length }, { offset: 3, position: 5 }]);
    expect(d.mismatches).toEqual([{ indexOffset: 3, logOffset: -1 }]);
  });

  it('checks time index entries: the batch at the offset and its largest timestamp', () => {
    const log = segment(b1, b2);
    const tix = log.replace('.log', '.timeindex');
    writeFileSync(tix, Buffer.concat([encodeTimeEntry(1001, 1), encodeTimeEntry(2500, 2), encodeTimeEntry(2600, 0)]));
    const d = dumpTimeIndex(tix);
    expect(d.entries).toEqual([{ timestamp: 1001, offset: 1 }, { timestamp: 2500, offset: 2 }]);
    expect(d.timestampMismatches).toEqual([{ indexTimestamp: 2500, logTimestamp: 2000 }]);
    expect(d.offsetsNotFound).toEqual([]);
  });

  it("sanity checks say what the broker would rebuild the index for, with Kafka's texts", () => {
    const log = segment(b1);
    const index = log.replace('.log', '.index');
    writeFileSync(index, Buffer.concat([encodeOffsetEntry(1, 0), Buffer.alloc(3)]));
    expect(offsetIndexSanity(index)).toBe(`Index file ${index} is corrupt, found 11 bytes which is neither positive nor a multiple of 8`);
    writeFileSync(index, encodeOffsetEntry(1, 0));
    expect(offsetIndexSanity(index)).toBeNull();
    const tix = log.replace('.log', '.timeindex');
    writeFileSync(tix, Buffer.concat([encodeTimeEntry(2000, 1), encodeTimeEntry(1000, 1)]));
    expect(timeIndexSanity(tix)).toBe(`Corrupt time index found, time index file (${tix}) has non-zero size but the last timestamp is 1000 which is less than the first timestamp 2000`);
    expect(readFileSync(tix).length).toBe(24);
  });
});
