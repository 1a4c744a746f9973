// The remote consumer's buffer of kafkajs batches: what poll() and pollValues() hand out, in order,
// and where each partition's position ends up (what a commit covers).
import { describe, expect, it } from 'vitest';
import type { KafkaMessage } from 'kafkajs';
import { FetchBuffer } from '../../../src/client/remote/consumer/fetch-buffer.js';
import { OutputBuffer } from '../../../src/format/output-buffer.js';

const message = (offset: number, value: string | null, headers: KafkaMessage['headers'] = {}): KafkaMessage =>
  ({ offset: String(offset), timestamp: String(1_700_000_000_000 + offset), key: null, value: value === null ? null : Buffer.from(value), headers, attributes: 0 }) as KafkaMessage;

const format = { separator: Buffer.from('\n'), nullLiteral: Buffer.from('null') };

function tracked() {
  const positions = new Map<string, number>();
  return { positions, moved: (topic: string, partition: number, offset: number) => positions.set(`${topic}-${partition}`, offset) };
}

describe('FetchBuffer', () => {
  it('prints values with the separator and the null literal, across batches, no more than asked', () => {
    const buffer = new FetchBuffer();
    buffer.add('t', 0, [message(10, 'a'), message(11, null), message(12, 'c')]);
    buffer.add('t', 1, [message(0, 'x'.repeat(40)), message(1, 'e')]);
    const { positions, moved } = tracked();
    const out = new OutputBuffer(16);
    expect(buffer.values(4, format, out, moved)).toBe(4);
    expect(out.take().toString()).toBe(`a\nnull\nc\n${'x'.repeat(40)}\n`);
    expect(Object.fromEntries(positions)).toEqual({ 't-0': 13, 't-1': 1 });
    expect(buffer.size).toBe(1);
    expect(buffer.values(10, format, out, moved)).toBe(1);
    expect(out.take().toString()).toBe('e\n');
    expect(positions.get('t-1')).toBe(2);
    expect(buffer.size).toBe(0);
    expect(buffer.values(10, format, out, moved)).toBe(0);
  });

  it('hands out records in max.poll.records pieces, each header value kept in order', () => {
    const buffer = new FetchBuffer();
    buffer.add('t', 2, [message(5, 'v5', { h: [Buffer.from('1'), Buffer.from('2')], n: undefined }), message(6, 'v6'), message(7, 'v7')]);
    const { positions, moved } = tracked();
    const first = buffer.records(2, moved);
    expect(first.map((r) => [r.topic, r.partition, r.offset, r.value?.toString()])).toEqual([
      ['t', 2, 5, 'v5'],
      ['t', 2, 6, 'v6'],
    ]);
    expect(first[0].timestamp).toBe(1_700_000_000_005);
    expect(first[0].headers).toEqual([
      { key: 'h', value: Buffer.from('1') },
      { key: 'h', value: Buffer.from('2') },
      { key: 'n', value: null },
    ]);
    expect(positions.get('t-2')).toBe(7);
    expect(buffer.records(500, moved).map((r) => r.offset)).toEqual([7]);
    expect(positions.get('t-2')).toBe(8);
  });

  it('forgets what was fetched for a partition that was moved, also the rest of a batch half handed out', () => {
    const buffer = new FetchBuffer();
    buffer.add('t', 0, [message(0, 'a'), message(1, 'b'), message(2, 'c')]);
    buffer.add('t', 1, [message(0, 'x')]);
    buffer.add('u', 0, [message(0, 'y')]);
    const { moved } = tracked();
    buffer.records(1, moved);
    buffer.drop({ topic: 't', partition: 0 });
    expect(buffer.size).toBe(2);
    expect(buffer.records(500, moved).map((r) => `${r.topic}-${r.partition}@${r.offset}`)).toEqual(['t-1@0', 'u-0@0']);
  });
});
