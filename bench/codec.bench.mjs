// Record batch codec throughput: 100k ~100-byte records (10-byte key, 90-byte value) cut into
// ~16 KiB batches, encoded and decoded uncompressed and with lz4. The reference is kafkajs's own
// RecordBatch encoder/decoder on the same records in the same run (for lz4, kafkajs is given the
// same lz4-napi frame codec, as its lz4 plugins do).
import { createRequire } from 'node:module';
import { BatchBuilder, decodeBatch, encodeBatch } from '../dist/engine/record/batch.js';
import { positionsView, valueLinesOf } from '../dist/engine/record/value-lines.js';
import { recordsModule } from '../dist/engine/record/wasm.js';
import { OutputBuffer } from '../dist/format/output-buffer.js';

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
  rows.push(...(await valuePaths(batches)));
  return rows;
}

/**
 * The console tools' paths, in WebAssembly (dist/wasm/records.wasm) against the same loops in
 * TypeScript: values printed as lines (the consumer's default output) and values encoded into
 * batches (the producer's), 100-byte values.
 */
async function valuePaths(batches) {
  if (recordsModule() === null) return [{ name: 'value paths: skipped, dist/wasm/records.wasm is not built', value: 0, unit: 'records/s', reference: { name: 'none', value: 1 }, goal: 'n/a' }];
  const values = batches.map((b) => encodeBatch(b.map((r) => ({ key: null, value: Buffer.concat([r.key, r.value]), timestamp: r.timestamp }))));
  const lines = { separator: Buffer.from('\n'), nullLiteral: Buffer.from('null') };
  const view = positionsView();
  const print = (useModule) => () => {
    const out = new OutputBuffer(1 << 20);
    for (const buf of values) {
      valueLinesOf(buf, 0, 0, Number.MAX_SAFE_INTEGER, lines, out, view, true, useModule);
      out.take();
    }
  };
  const text = Buffer.concat(batches.flat().map((r) => Buffer.concat([r.key, r.value, lines.separator])));
  const starts = new Int32Array(RECORDS);
  const ends = new Int32Array(RECORDS);
  for (let i = 0, at = 0; i < RECORDS; i++, at += 101) {
    starts[i] = at;
    ends[i] = at + 100;
  }
  const build = (useModule) => () => {
    for (let i = 0; i < RECORDS; ) {
      const b = new BatchBuilder(BATCH_BYTES);
      i = b.appendValues(text, 0, starts, ends, i, RECORDS, BATCH_BYTES, useModule);
      b.build();
    }
  };
  const printed = await measure(print(true));
  const printedTs = await measure(print(false));
  const built = await measure(build(true));
  const builtTs = await measure(build(false));
  return [
    { name: 'values printed as lines (valueLinesOf), none, CRC checked: WebAssembly', value: printed, unit: 'records/s', reference: { name: 'the same loop in TypeScript', value: printedTs }, goal: 'information (console consumer)' },
    { name: 'values encoded into 16 KiB batches (BatchBuilder.appendValues), CRC set: WebAssembly', value: built, unit: 'records/s', reference: { name: 'the same loop in TypeScript', value: builtTs }, goal: 'information (console producer)' },
  ];
}
