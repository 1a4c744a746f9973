import { describe, expect, it } from 'vitest';
import { BatchBuilder, decodeBatch, decodeBatchEach, encodeBatch, type Compression, type RecordInput } from '../../../src/engine/record/batch.js';
import { InvalidTimestampError } from '../../../src/errors.js';

const T = 1_700_000_000_000;

const records: RecordInput[] = [
  { key: null, value: Buffer.from('plain'), timestamp: T },
  { key: Buffer.from('k'), value: null, timestamp: T + 5 },
  { key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [], timestamp: T - 3 },
  { key: Buffer.from('key-é'), value: Buffer.alloc(300, 0x61), headers: [{ key: 'h1', value: Buffer.from('v') }, { key: 'ü', value: null }], timestamp: T + 1 },
  { key: null, value: Buffer.alloc(40000, 0x62), timestamp: T + 2 },
];

describe('BatchBuilder', () => {
  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as Compression[]) {
    it(`builds exactly what encodeBatch makes of the same records (${compression})`, () => {
      const b = new BatchBuilder(64, { compression });
      for (const r of records) b.append(r);
      expect(b.count).toBe(records.length);
      expect(b.build().equals(encodeBatch(records, { compression }))).toBe(true);
    });
  }

  it('appendValue is append({ key: null, value, timestamp: now }) without the object, null values included', () => {
    const data = Buffer.from('xxhello\nworld\n' + 'z'.repeat(200));
    const spans: Array<[number, number]> = [[2, 7], [8, 13], [-1, -1], [13, 13], [14, 214]];
    const fast = new BatchBuilder(16, {}, T);
    const slow = new BatchBuilder(16, {}, T);
    for (const [s, e] of spans) {
      fast.appendValue(data, s, e);
      slow.append({ key: null, value: s < 0 ? null : data.subarray(s, e) });
    }
    const built = fast.build();
    expect(built.equals(slow.build())).toBe(true);
    expect(decodeBatch(built).records.map((r) => [r.offset, r.timestamp, r.key, r.value?.toString() ?? null])).toEqual([
      [0, T, null, 'hello'], [1, T, null, 'world'], [2, T, null, null], [3, T, null, ''], [4, T, null, 'z'.repeat(200)],
    ]);
  });

  it('mixes explicit timestamps with appendValue records as encodeBatch would', () => {
    const b = new BatchBuilder(16, {}, T + 50);
    b.append({ key: null, value: Buffer.from('a'), timestamp: T });
    b.appendValue(Buffer.from('b'), 0, 1);
    expect(b.build().equals(encodeBatch([{ key: null, value: Buffer.from('a'), timestamp: T }, { key: null, value: Buffer.from('b'), timestamp: T + 50 }]))).toBe(true);
  });

  it('refuses the timestamps encodeBatch refuses, keeping the records before', () => {
    const b = new BatchBuilder(16, {}, T);
    b.append({ key: null, value: Buffer.from('a') });
    expect(() => b.append({ key: null, value: Buffer.from('b'), timestamp: 2 ** 60 })).toThrow(InvalidTimestampError);
    expect(() => new BatchBuilder(16).append({ key: null, value: null, timestamp: 1.5 })).toThrow(InvalidTimestampError);
    expect(decodeBatch(b.build()).records.map((r) => r.value?.toString())).toEqual(['a']);
  });
});

describe('decodeBatchEach', () => {
  it('visits what decodeBatch returns', () => {
    const batch = encodeBatch(records, { baseOffset: 100 });
    const seen: unknown[] = [];
    const head = decodeBatchEach(batch, 0, (offset, timestamp, timestampType, key, value, headers) => seen.push({ offset, timestamp, timestampType, key, value, headers }));
    const whole = decodeBatch(batch);
    expect(seen).toEqual(whole.records);
    expect(head).toEqual({ header: whole.header, size: whole.size, isControl: whole.isControl });
  });
});
