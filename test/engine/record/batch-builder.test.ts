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

  it('appendValues is append({ key: null, value, timestamp: now }) without the objects, null values included', () => {
    const data = Buffer.from('xxhello\nworld\n' + 'z'.repeat(200));
    const spans: Array<[number, number]> = [[2, 7], [8, 13], [-1, -1], [13, 13], [14, 214]];
    const fast = new BatchBuilder(16, {}, T);
    const slow = new BatchBuilder(16, {}, T);
    for (const [s, e] of spans) {
      expect(fast.appendValues(data, 0, Int32Array.of(s), Int32Array.of(e), 0, 1, 1 << 20)).toBe(1);
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
    b.appendValues(Buffer.from('b'), 0, Int32Array.of(0), Int32Array.of(1), 0, 1, 1 << 20);
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

describe('BatchBuilder.appendValues', () => {
  // Values of every varint width (1, 2 and 3 bytes of length), nulls and empties, at positions
  // `shift` bytes into the data.
  const sizes = [5, 0, -1, 63, 64, 100, 8191, 8192, 20000, 1, -1, 7, ...Array.from({ length: 150 }, (_, i) => i % 120)];
  const shift = 3;
  const data = Buffer.alloc(shift + sizes.reduce((a, n) => a + Math.max(0, n), 0));
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  const starts = new Int32Array(sizes.length);
  const ends = new Int32Array(sizes.length);
  let at = 0;
  sizes.forEach((n, i) => {
    starts[i] = n < 0 ? -1 : at;
    at += Math.max(0, n);
    ends[i] = at;
  });
  const slow = (from: number, to: number, lead?: RecordInput) => {
    const b = new BatchBuilder(16, {}, T);
    if (lead) b.append(lead);
    for (let i = from; i < to; i++) b.append({ key: null, value: starts[i] < 0 ? null : data.subarray(starts[i] + shift, ends[i] + shift) });
    return b.build();
  };

  for (const useModule of [true, false]) {
    it(`builds what append() builds for the same values (${useModule ? 'WebAssembly' : 'TypeScript'})`, () => {
      const b = new BatchBuilder(16, {}, T);
      expect(b.appendValues(data, shift, starts, ends, 0, sizes.length, 1 << 20, useModule)).toBe(sizes.length);
      expect(b.build().equals(slow(0, sizes.length))).toBe(true);
      // After a record with an earlier timestamp: a timestamp delta of 50 in every value's record.
      const lead = { key: null, value: Buffer.from('lead'), timestamp: T - 50 };
      const c = new BatchBuilder(16, {}, T);
      c.append(lead);
      expect(c.appendValues(data, shift, starts, ends, 2, sizes.length, 1 << 20, useModule)).toBe(sizes.length);
      expect(c.build().equals(slow(2, sizes.length, lead))).toBe(true);
    });

    it(`stops before the value that would take the batch past maxBytes, but takes the first whatever its size (${useModule ? 'WebAssembly' : 'TypeScript'})`, () => {
      const b = new BatchBuilder(16, {}, T);
      const next = b.appendValues(data, shift, starts, ends, 0, sizes.length, 61 + 300, useModule);
      expect(next).toBe(6); // values 0-5 (5, 0, null, 63, 64 and 100 bytes) fit in 300; 8191 does not
      expect(b.sizeInBytes).toBeLessThanOrEqual(61 + 300);
      const big = new BatchBuilder(16, {}, T);
      expect(big.appendValues(data, shift, starts, ends, 6, sizes.length, 100, useModule)).toBe(7);
      expect(big.build().equals(slow(6, 7))).toBe(true);
    });
  }
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
