import { describe, expect, it } from 'vitest';
import { Reader, varintSize, writeVarint } from '../../../src/engine/record/varint.js';

function encode(value: number): string {
  const buf = Buffer.alloc(10);
  const end = writeVarint(buf, 0, value);
  expect(end).toBe(varintSize(value));
  return buf.subarray(0, end).toString('hex');
}

describe('zigzag varints (ByteUtils.writeVarint/writeVarlong)', () => {
  it('writes the protobuf zigzag bytes Kafka writes', () => {
    expect(encode(0)).toBe('00');
    expect(encode(-1)).toBe('01');
    expect(encode(1)).toBe('02');
    expect(encode(63)).toBe('7e');
    expect(encode(-64)).toBe('7f');
    expect(encode(64)).toBe('8001');
    expect(encode(300)).toBe('d804');
    expect(encode(2 ** 31 - 1)).toBe('feffffff0f');
    expect(encode(-(2 ** 31))).toBe('ffffffff0f');
    expect(encode(2 ** 30)).toBe('8080808008');
    expect(encode(-(2 ** 30) - 1)).toBe('8180808008');
  });

  it('round-trips varints and varlongs across the fast and slow paths', () => {
    const ints = [0, 1, -1, 127, -128, 8191, -8192, 2 ** 20, -(2 ** 20), 2 ** 30 - 1, -(2 ** 30), 2 ** 31 - 1, -(2 ** 31)];
    const longs = [...ints, 1_700_000_000_123, -1_700_000_000_123, 2 ** 52 - 1, -(2 ** 52 - 1)];
    const buf = Buffer.alloc(16);
    for (const v of ints) {
      const end = writeVarint(buf, 0, v);
      const r = new Reader(buf, 0, end);
      expect(r.varint()).toBe(v);
      expect(r.pos).toBe(end);
    }
    for (const v of longs) {
      const end = writeVarint(buf, 0, v);
      const r = new Reader(buf, 0, end);
      expect(r.varlong()).toBe(v);
      expect(r.pos).toBe(end);
    }
  });

  it('refuses over-long and truncated varints', () => {
    expect(() => new Reader(Buffer.from('ffffffffff01', 'hex'), 0, 6).varint()).toThrow('a varint is longer than 5 bytes');
    expect(() => new Reader(Buffer.from('ffffffffffffffffffff01', 'hex'), 0, 11).varlong()).toThrow('a varlong is longer than 10 bytes');
    expect(() => new Reader(Buffer.from('8080', 'hex'), 0, 2).varint()).toThrow('a varint runs past the end of its record');
    // The bound is the reader's end, not the buffer's.
    expect(() => new Reader(Buffer.from('8001', 'hex'), 0, 1).varint()).toThrow(RangeError);
  });

  it('reads length-prefixed bytes as views and rejects bad lengths', () => {
    const buf = Buffer.from('0461620103', 'hex'); // "ab", null, -2
    const r = new Reader(buf, 0, buf.length);
    const ab = r.bytes('key')!;
    expect(ab.toString()).toBe('ab');
    expect(ab.buffer).toBe(buf.buffer); // no copy
    expect(r.bytes('value')).toBeNull();
    expect(() => r.bytes('value')).toThrow('value has negative length -2');
    const long = Buffer.from('0a6162', 'hex'); // length 5, 2 bytes present
    expect(() => new Reader(long, 0, long.length).bytes('key')).toThrow('key length 5 runs past the end of its record');
  });
});
