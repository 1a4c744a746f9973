import { describe, expect, it } from 'vitest';
import { DefaultPartitioner, murmur2, partitionForKey, StickyPartitioner } from '../../src/client/partitioner.js';

// Kafka's UtilsTest.testMurmur2 vectors and the partitions they map to (kafka-cli.md §7.1).
const vectors: Array<[string, number, number, number, number]> = [
  ['21', -973932308, 0, 0, 0],
  ['foobar', -790332482, 0, 0, 6],
  ['a-little-bit-long-string', -985981536, 2, 2, 2],
  ['a-little-bit-longer-string', -1486304829, 2, 5, 9],
  ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971, 2, 5, 7],
  ['abc', 479470107, 0, 3, 7],
];

describe('murmur2', () => {
  it.each(vectors)('hashes %s like Kafka', (key, hash, p3, p6, p10) => {
    const bytes = Buffer.from(key, 'ascii');
    expect(murmur2(bytes)).toBe(hash);
    expect(partitionForKey(bytes, 3)).toBe(p3);
    expect(partitionForKey(bytes, 6)).toBe(p6);
    expect(partitionForKey(bytes, 10)).toBe(p10);
  });

  it('hashes the additional vectors', () => {
    expect(murmur2(Buffer.alloc(0))).toBe(275646681);
    expect(murmur2(Buffer.from('key1'))).toBe(28543940);
    expect(murmur2(Buffer.from('key3'))).toBe(-1745673403);
    expect(murmur2(Buffer.from('a'))).toBe(-1563381124);
  });
});

describe('sticky partitioning of null keys', () => {
  it('stays on one partition until batch.size bytes, then moves', () => {
    const picks = [0.1, 0.9];
    const p = new StickyPartitioner(100, () => picks.shift() ?? 0.5);
    expect([p.partition(4, 60), p.partition(4, 60), p.partition(4, 60)]).toEqual([0, 0, 3]);
  });

  it('routes keyed records by hash and null keys stickily', () => {
    const p = new DefaultPartitioner(16384, () => 0.99);
    expect(p.partition(Buffer.from('foobar'), 10, 10)).toBe(6);
    expect(p.partition(null, 10, 10)).toBe(9);
  });
});
