// kafkajs as an independent oracle for the v2 format (dev-time only: src/ never imports it).
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch, type RecordInput } from '../../../src/engine/record/batch.js';

const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const Record = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const decodeKafkajsBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const Decoder = require('kafkajs/src/protocol/decoder.js');
const Long = require('kafkajs/src/utils/long.js');

// kafkajs cannot encode null header values, so its inputs carry only non-null ones.
const inputs: RecordInput[] = [
  { key: Buffer.from('user-1'), value: Buffer.from('{"a":1}'), timestamp: 1_700_000_000_000, headers: [{ key: 'trace', value: Buffer.from('abc') }] },
  { key: null, value: Buffer.from('no key'), timestamp: 1_700_000_000_250 },
  { key: Buffer.from('tomb'), value: null, timestamp: 1_699_999_999_990, headers: [{ key: 'a', value: Buffer.from('1') }, { key: 'b', value: Buffer.alloc(0) }] },
  { key: Buffer.alloc(0), value: Buffer.alloc(300, 7), timestamp: 1_700_000_000_100 },
];

async function kafkajsEncode(records: RecordInput[], compression: number, baseOffset: number): Promise<Buffer> {
  const base = records[0].timestamp!;
  const encoder = await RecordBatch({
    compression,
    firstOffset: Long.fromNumber(baseOffset),
    firstTimestamp: base,
    maxTimestamp: Math.max(...records.map((r) => r.timestamp!)),
    partitionLeaderEpoch: -1,
    lastOffsetDelta: records.length - 1,
    producerId: Long.fromNumber(-1),
    producerEpoch: -1,
    firstSequence: -1,
    records: records.map((r, i) =>
      Record({
        offsetDelta: i,
        timestampDelta: r.timestamp! - base,
        key: r.key,
        value: r.value,
        headers: Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value])),
      }),
    ),
  });
  return encoder.buffer as Buffer;
}

describe('kafkajs as an oracle', () => {
  it('kafkajs and encodeBatch write identical uncompressed batches', async () => {
    const theirs = await kafkajsEncode(inputs, 0, 1234);
    const ours = encodeBatch(inputs, { baseOffset: 1234 });
    expect(ours.toString('hex')).toBe(theirs.toString('hex'));
  });

  for (const [name, id] of [['none', 0], ['gzip', 1]] as const) {
    it(`decodeBatch reads (CRC checked) what kafkajs encodes with ${name}`, async () => {
      const batch = decodeBatch(await kafkajsEncode(inputs, id, 77));
      expect(batch.records.map((r) => [r.offset, r.timestamp, r.key, r.value, r.headers])).toEqual(
        inputs.map((r, i) => [77 + i, r.timestamp, r.key, r.value, r.headers ?? []]),
      );
    });

    it(`kafkajs reads what encodeBatch encodes with ${name}`, async () => {
      const buf = encodeBatch(inputs, { baseOffset: 500, compression: name });
      const batch = await decodeKafkajsBatch(new Decoder(buf));
      expect(batch.firstOffset).toBe('500');
      expect(batch.maxTimestamp).toBe('1700000000250');
      expect(batch.records.map((r: { offset: string; timestamp: string; key: Buffer | null; value: Buffer | null; headers: object }) => [r.offset, r.timestamp, r.key, r.value, r.headers])).toEqual(
        inputs.map((r, i) => [String(500 + i), String(r.timestamp), r.key, r.value, Object.fromEntries((r.headers ?? []).map((h) => [h.key, h.value]))]),
      );
    });
  }
});
