// kafka-get-offsets' pure parts: --time, the partition filters and the sorted output (GetOffsetShell).
import { describe, expect, it } from 'vitest';
import { parseOffsetSpec } from '../../src/commands/kafka-get-offsets.js';
import { filterFromRules, filterFromTopicAndPartitions } from '../../src/commands/topic-partition-filter.js';
import { formatOffsets } from '../../src/format/offsets.js';

describe('kafka-get-offsets output', () => {
  it('sorts by the text topic-partition, as Kafka does (10 before 2)', () => {
    const out = formatOffsets([
      { topic: 'b', partition: 0, offset: 1 },
      { topic: 'a', partition: 2, offset: 5 },
      { topic: 'a', partition: 10, offset: 7 },
      { topic: 'a-x', partition: 0, offset: 0 },
    ]);
    expect(out).toBe('a:10:7\na:2:5\na-x:0:0\nb:0:1\n');
  });
});

describe('--time', () => {
  it('reads names, their numbers and timestamps', () => {
    expect(parseOffsetSpec('latest')).toBe('latest');
    expect(parseOffsetSpec('-1')).toBe('latest');
    expect(parseOffsetSpec('-2')).toBe('earliest');
    expect(parseOffsetSpec('earliest')).toBe('earliest');
    expect(parseOffsetSpec('-3')).toBe('max-timestamp');
    expect(parseOffsetSpec('max-timestamp')).toBe('max-timestamp');
    expect(parseOffsetSpec('1700000000000')).toEqual({ timestamp: 1700000000000 });
    expect(parseOffsetSpec('-4')).toBe('earliest-local');
    expect(parseOffsetSpec('earliest-local')).toBe('earliest-local');
    expect(parseOffsetSpec('-5')).toBe('latest-tiered');
    expect(parseOffsetSpec('latest-tiered')).toBe('latest-tiered');
  });

  it("refuses a malformed value with Kafka's text", () => {
    expect(() => parseOffsetSpec('yesterday')).toThrow(
      'Malformed time argument yesterday. Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp',
    );
    expect(() => parseOffsetSpec('constructor')).toThrow('Malformed time argument constructor.');
  });
});

describe('partition filters', () => {
  it('--topic-partitions rules: a number, ranges (upper bound exclusive), open ends, any topic', () => {
    const f = filterFromRules('orders:1,logs:2-4,audit:5-,:-1');
    expect(f.partitionAllowed('orders', 1)).toBe(true);
    expect(f.partitionAllowed('orders', 2)).toBe(false);
    expect([1, 2, 3, 4].map((p) => f.partitionAllowed('logs', p))).toEqual([false, true, true, false]);
    expect(f.partitionAllowed('audit', 4)).toBe(false);
    expect(f.partitionAllowed('audit', 500)).toBe(true);
    expect(f.partitionAllowed('other', 0)).toBe(true);
    expect(f.partitionAllowed('other', 1)).toBe(false);
    expect(f.topicAllowed('anything')).toBe(true);
    expect(filterFromRules('ord.*').topicAllowed('orders')).toBe(true);
    expect(filterFromRules('ord').topicAllowed('orders')).toBe(false);
    expect(() => filterFromRules('a:b')).toThrow('Invalid rule specification: a:b');
  });

  it('--topic regex with --partitions ids', () => {
    const f = filterFromTopicAndPartitions('o.*', '0,2');
    expect(f.topicAllowed('orders')).toBe(true);
    expect(f.topicAllowed('logs')).toBe(false);
    expect([0, 1, 2].map((p) => f.partitionAllowed('orders', p))).toEqual([true, false, true]);
    expect(filterFromTopicAndPartitions(undefined, undefined).partitionAllowed('x', 9)).toBe(true);
    expect(() => filterFromTopicAndPartitions('t', '0,x')).toThrow('--partitions expects a comma separated list of numeric partition ids, but received: 0,x');
  });
});
