// Record batch codec throughput: 100k ~100-byte records (10-byte key, 90-byte value) cut into
// ~16 KiB batches, encoded and decoded uncompressed and with lz4. The reference is kafkajs's own
// RecordBatch encoder/decoder on the same records in the same run (for lz4, kafkajs is given the
// same lz4-napi frame codec, as its lz4 plugins do).
import { createRequire } from 'node:module';
import { decodeBatch, encodeBatch } from '../dist/engine/record/batch.js';

const require = createRequire(import.meta.url);
const { RecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js');
const KafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js');
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js');
const KafkajsDecoder = require('kafkajs/src/protocol/decoder.js');
const Long = require('kafkajs/src/utils/long.js');
const { CompressionCodecs, CompressionTypes } = require('kafkajs');
const lz4 = require('lz4-napi');

const RECORDS = 100_000;
const BATCH_BYTES = 16 * 1024;
const ROUNDS = 5;

function makeBatches() {
  const t0 = 1_700_000_000_000;
  const batches = [];
  let current = [];
  let bytes = 0;
  for (let i = 0; i < RECORDS; i++) {
    const key = Buffer.from(`key-${String(i).padStart(6, '0')}`);
    const value = Buffer.alloc(90, 97 + (i % 26));
    value.write(`value ${i} `);
    current.push({ key, value, timestamp: t0 + i });
    bytes += 100 + 8;
    if (bytes >= BATCH_BYTES) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
  }
  if (current.length) batches.push(current);
  return batches;
}

/** Best of ROUNDS, in records/s. */
async function measure(fn) {
  await fn(); // warm-up
  let best = Infinity;
  for (let r = 0; r < ROUNDS; r++) {
    const t = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return RECORDS / best;
}

async function kafkajsEncode(batch, compression) {
  const base = batch[0].timestamp;
  const encoder = await RecordBatch({
    compression,
    firstOffset: Long.fromNumber(0),
    firstTimestamp: base,
    maxTimestamp: batch[batch.length - 1].timestamp,
    partitionLeaderEpoch: -1,
    lastOffsetDelta: batch.length - 1,
    producerId: Long.fromNumber(-1),
    producerEpoch: -1,
    firstSequence: -1,
    records: batch.map((r, i) => KafkajsRecord({ offsetDelta: i, timestampDelta: r.timestamp - base, key: r.key, value: r.value })),
  });
  return encoder.buffer;
}

export default async function run() {
  CompressionCodecs[CompressionTypes.LZ4] = () => ({
    compress: async (encoder) => lz4.compressFrameSync(encoder.buffer),
    decompress: async (buffer) => lz4.decompressFrameSync(buffer),
  });
  const batches = makeBatches();
  const rows = [];
  for (const [name, compression, kafkajsType] of [['none', 'none', CompressionTypes.None], ['lz4', 'lz4', CompressionTypes.LZ4]]) {
    const ours = batches.map((b) => encodeBatch(b, { compression }));
    const theirs = [];
    for (const b of batches) theirs.push(await kafkajsEncode(b, kafkajsType));
    // Both sides must read each other's output before their speed means anything.
    if (decodeBatch(theirs[1]).records[0].value.toString() !== batches[1][0].value.toString()) throw new Error('kafkajs batch decoded wrong');
    const check = await kafkajsDecodeBatch(new KafkajsDecoder(ours[1]));
    if (check.records[0].value.toString() !== batches[1][0].value.toString()) throw new Error('kafkajs decoded our batch wrong');

    const encode = await measure(() => {
      for (const b of batches) encodeBatch(b, { compression });
    });
    const encodeRef = await measure(async () => {
      for (const b of batches) await kafkajsEncode(b, kafkajsType);
    });
    let sink = 0;
    const decode = await measure(() => {
      for (const buf of ours) sink += decodeBatch(buf).records.length;
    });
    const decodeRef = await measure(async () => {
      for (const buf of ours) sink += (await kafkajsDecodeBatch(new KafkajsDecoder(buf))).records.length;
    });
    if (sink !== RECORDS * (ROUNDS + 1) * 2) throw new Error(`decoded ${sink} records, expected ${RECORDS * (ROUNDS + 1) * 2}`);
    const perBatch = Math.round(RECORDS / batches.length);
    rows.push(
      { name: `codec encode, ${name}, ${perBatch} x 100 B records per 16 KiB batch`, value: encode, unit: 'records/s', reference: { name: 'kafkajs RecordBatch encode', value: encodeRef }, goal: '>= 3M records/s (engine append goal)' },
      { name: `codec decode, ${name}, CRC checked`, value: decode, unit: 'records/s', reference: { name: 'kafkajs RecordBatch decode (no CRC check)', value: decodeRef }, goal: '>= 5M records/s (engine read goal)' },
    );
  }
  return rows;
}
