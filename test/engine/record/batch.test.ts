import { describe, expect, it } from 'vitest';
import { decodeBatch, decodeRecordSet, encodeBatch, type RecordInput } from '../../../src/engine/record/batch.js';
import { readBatchHeader, setBaseOffset, setLogAppendTime, validateBatchAt } from '../../../src/engine/record/header.js';
import { CorruptRecordError } from '../../../src/errors.js';

const records: RecordInput[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 1000 },
  { key: null, value: Buffer.from('no key'), timestamp: 1005, headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'n', value: null }] },
  { key: Buffer.from('gone'), value: null, timestamp: 999 },
];

describe('encodeBatch / decodeBatch', () => {
  it('writes the v2 header fields Kafka expects', () => {
    const buf = encodeBatch(records, { baseOffset: 42 });
    const h = readBatchHeader(buf);
    expect(h).toMatchObject({
      baseOffset: 42, batchLength: buf.length - 12, partitionLeaderEpoch: -1, magic: 2, attributes: 0,
      lastOffsetDelta: 2, baseTimestamp: 1000, maxTimestamp: 1005, producerId: -1, producerEpoch: -1,
      baseSequence: -1, recordCount: 3,
    });
    expect(validateBatchAt(buf)).toBe(buf.length);
  });

  it('matches a hand-built golden batch byte for byte', () => {
    const buf = encodeBatch([{ key: null, value: Buffer.from('a'), timestamp: 0 }]);
    // record: length 7 (zigzag 14), attrs 0, tsDelta 0, offsetDelta 0, key -1 (zigzag 1), value len 1 (2), 'a', 0 headers
    expect(buf.subarray(61).toString('hex')).toBe('0e000000010261' + '00');
    expect(buf.length).toBe(61 + 8);
  });

  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
    it(`round-trips keys, nulls, tombstones and headers with ${compression}`, () => {
      const buf = encodeBatch(records, { baseOffset: 7, compression });
      const batch = decodeBatch(buf);
      expect(batch.records.map((r) => [r.offset, r.timestamp, r.key?.toString() ?? null, r.value?.toString() ?? null])).toEqual([
        [7, 1000, 'k1', 'v1'],
        [8, 1005, null, 'no key'],
        [9, 999, 'gone', null],
      ]);
      expect(batch.records[1].headers.map((h) => [h.key, h.value?.toString() ?? null])).toEqual([['h', 'x'], ['n', null]]);
      expect(batch.records[0].timestampType).toBe('CreateTime');
    });
  }

  it('reports LogAppendTime from the batch max timestamp after the broker sets it', () => {
    const buf = encodeBatch(records);
    setLogAppendTime(buf, 0, 5555);
    const batch = decodeBatch(buf);
    expect(batch.records.map((r) => [r.timestamp, r.timestampType])).toEqual([
      [5555, 'LogAppendTime'], [5555, 'LogAppendTime'], [5555, 'LogAppendTime'],
    ]);
  });

  it('keeps the CRC valid when the base offset is rewritten', () => {
    const buf = encodeBatch(records, { compression: 'lz4' });
    setBaseOffset(buf, 0, 1_000_000);
    expect(decodeBatch(buf).records[2].offset).toBe(1_000_002);
  });

  it('rejects a flipped byte with CorruptRecordError', () => {
    const buf = encodeBatch(records);
    buf[70] ^= 0xff;
    expect(() => decodeBatch(buf)).toThrow(CorruptRecordError);
    expect(() => decodeBatch(buf)).toThrow(/corrupt \(stored crc/);
  });

  it('decodeRecordSet reads consecutive batches and ignores a partial one at the end', () => {
    const a = encodeBatch(records.slice(0, 1), { baseOffset: 0 });
    const b = encodeBatch(records.slice(1), { baseOffset: 1 });
    const set = Buffer.concat([a, b, b.subarray(0, 30)]);
    expect([...decodeRecordSet(set)].map((r) => r.offset)).toEqual([0, 1, 2]);
  });

  it('never fails with anything but CorruptRecordError on mutated input', () => {
    const base = encodeBatch(records, { compression: 'gzip' });
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let i = 0; i < 500; i++) {
      const buf = Buffer.from(base);
      const n = 1 + Math.floor(rand() * 4);
      for (let j = 0; j < n; j++) buf[Math.floor(rand() * buf.length)] = Math.floor(rand() * 256);
      try {
        decodeBatch(buf);
      } catch (err) {
        expect(err).toBeInstanceOf(CorruptRecordError);
      }
    }
  });
});
