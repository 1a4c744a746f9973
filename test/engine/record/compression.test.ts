import { createRequire } from 'node:module';
import * as zlib from 'node:zlib';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../../src/engine/record/batch.js';
import { compress, decompress, MAX_DECOMPRESSED_BYTES } from '../../../src/engine/record/compression.js';
import { computeBatchCrc } from '../../../src/engine/record/header.js';
import { CorruptRecordError } from '../../../src/errors.js';
import { wasmZstd, zlibZstd, zstd, zstdOutputBound } from '../../../src/engine/record/zstd.js';

const require = createRequire(import.meta.url);
const snappy = require('snappy') as typeof import('snappy');
const lz4 = require('lz4-napi') as typeof import('lz4-napi');

const BOMB = /decompresses to more than 67108864 bytes; refusing it as a decompression bomb/;
const sample = Buffer.from('kafka record bytes '.repeat(5000));

/** A batch claiming one record whose body is `payload` under codec id `codec`. */
function batchWith(payload: Buffer, codec: number): Buffer {
  const buf = Buffer.alloc(61 + payload.length);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(codec, 21);
  buf.writeInt32BE(1, 57);
  payload.copy(buf, 61);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, buf.length), 17);
  return buf;
}

/** A zstd frame without a content size, made of 128 KiB RLE blocks: tiny input, `blocks` x 128 KiB output. */
function zstdRleFrame(blocks: number): Buffer {
  const parts = [Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x38])]; // magic, no FCS, window 128 KiB
  for (let i = 0; i < blocks; i++) {
    const last = i === blocks - 1 ? 1 : 0;
    const h = (131072 << 3) | (1 << 1) | last; // size, type RLE, last flag
    parts.push(Buffer.from([h & 0xff, (h >> 8) & 0xff, (h >> 16) & 0xff, 0x61]));
  }
  return Buffer.concat(parts);
}

describe('codec framing', () => {
  it('writes snappy in the xerial framing Kafka’s Java client uses, in 32 KiB blocks', () => {
    const out = compress('snappy', sample);
    expect(out.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    let pos = 16;
    const blocks: Buffer[] = [];
    while (pos < out.length) {
      const len = out.readInt32BE(pos);
      blocks.push(snappy.uncompressSync(out.subarray(pos + 4, pos + 4 + len), { asBuffer: true }) as Buffer);
      pos += 4 + len;
    }
    expect(blocks.map((b) => b.length)).toEqual([32768, 32768, 29464]);
    expect(Buffer.concat(blocks).equals(sample)).toBe(true);
  });

  it('reads raw (unframed) snappy as well as xerial', () => {
    expect(decompress('snappy', snappy.compressSync(sample)).equals(sample)).toBe(true);
    expect(decompress('snappy', compress('snappy', sample)).equals(sample)).toBe(true);
  });

  it('writes a standard LZ4 frame with independent blocks (what KafkaLZ4BlockInputStream reads)', () => {
    const out = compress('lz4', sample);
    expect(out.readUInt32LE(0)).toBe(0x184d2204);
    expect(out[4] >> 6).toBe(1); // version 01
    expect(out[4] & 0x20).toBe(0x20); // block independence
    expect(lz4.decompressFrameSync(out).equals(sample)).toBe(true);
  });

  it('round-trips gzip and zstd through their standard formats', () => {
    expect(compress('gzip', sample).subarray(0, 2).toString('hex')).toBe('1f8b');
    expect(compress('zstd', sample).readUInt32LE(0)).toBe(0xfd2fb528);
    for (const codec of ['gzip', 'zstd'] as const) expect(decompress(codec, compress(codec, sample)).equals(sample)).toBe(true);
  });

  it('streams zstd frames that do not declare their size', () => {
    const out = decompress('zstd', zstdRleFrame(3));
    expect(out.length).toBe(3 * 131072);
    expect(out.every((b) => b === 0x61)).toBe(true);
  });
});

describe('decompression bombs and broken payloads', () => {
  it('caps gzip output', () => {
    const bomb = gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BYTES + 1024));
    expect(() => decodeBatch(batchWith(bomb, 1))).toThrow(BOMB);
  });

  it('caps raw snappy by its length preamble, before inflating', () => {
    const claim = Buffer.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00]); // preamble 1 GiB, then junk
    expect(() => decodeBatch(batchWith(claim, 2))).toThrow(BOMB);
  });

  it('caps xerial snappy across blocks', () => {
    const block = snappy.compressSync(Buffer.alloc(40 * 1024 * 1024));
    const len = Buffer.alloc(4);
    len.writeInt32BE(block.length);
    const framed = Buffer.concat([compress('snappy', Buffer.alloc(0)), len, block, len, block]);
    expect(() => decodeBatch(batchWith(framed, 2))).toThrow(BOMB);
  });

  it('caps lz4 by walking the frame before inflating', () => {
    const bomb = lz4.compressFrameSync(Buffer.alloc(MAX_DECOMPRESSED_BYTES + 1024 * 1024));
    expect(() => decodeBatch(batchWith(bomb, 3))).toThrow(BOMB);
  });

  it('caps zstd by its declared content size, before allocating', () => {
    // Frame header declaring 2^40 bytes (8-byte FCS), then one raw 1-byte last block.
    const fcs = Buffer.alloc(8);
    fcs.writeBigUInt64LE(2n ** 40n);
    const liar = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0xc0, 0x38]), fcs, Buffer.from([0x09, 0x00, 0x00, 0x61])]);
    expect(() => decodeBatch(batchWith(liar, 4))).toThrow(BOMB);
  });

  it('caps zstd frames without a declared size while streaming', () => {
    expect(() => decodeBatch(batchWith(zstdRleFrame(520), 4))).toThrow(BOMB);
  });

  it('turns garbage and truncation in every codec into CorruptRecordError', () => {
    const plain = encodeBatch([{ key: null, value: sample, timestamp: 0 }]).subarray(61);
    for (const [codec, id] of [['gzip', 1], ['snappy', 2], ['lz4', 3], ['zstd', 4]] as const) {
      const packed = compress(codec, Buffer.from(plain));
      for (const payload of [packed.subarray(0, packed.length >> 1), Buffer.from('not compressed at all'), Buffer.alloc(0)]) {
        expect(() => decodeBatch(batchWith(payload, id)), `${codec} ${payload.length}`).toThrow(CorruptRecordError);
      }
    }
  });
});

describe('zstd without a native build: node:zlib where Node has it, else WebAssembly', () => {
  const wasm = wasmZstd();
  const native = zlibZstd();
  const codecs = [wasm, ...(native ? [native] : [])];

  it('uses node:zlib exactly when this Node has zstd in it', () => {
    expect(zstd().name).toBe(typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function' ? 'node:zlib' : 'wasm');
  });

  it.each(codecs.map((c) => [c.name, c] as const))('%s round-trips one frame, concatenated frames and a frame without a declared size', (_name, codec) => {
    const packed = codec.compress(sample);
    expect(packed.readUInt32LE(0)).toBe(0xfd2fb528);
    expect(codec.decompress(packed, MAX_DECOMPRESSED_BYTES).equals(sample)).toBe(true);
    expect(codec.decompress(Buffer.concat([packed, codec.compress(Buffer.from('tail'))]), MAX_DECOMPRESSED_BYTES).toString().endsWith('bytes tail')).toBe(true);
    expect(codec.decompress(zstdRleFrame(3), MAX_DECOMPRESSED_BYTES).length).toBe(3 * 131072);
  });

  it.each(codecs.map((c) => [c.name, c] as const))('%s stops at the output limit with ERR_BUFFER_TOO_LARGE', (_name, codec) => {
    expect(() => codec.decompress(zstdRleFrame(3), 2 * 131072)).toThrow(expect.objectContaining({ code: 'ERR_BUFFER_TOO_LARGE' }));
    expect(() => codec.decompress(codec.compress(sample), sample.length - 1)).toThrow(expect.objectContaining({ code: 'ERR_BUFFER_TOO_LARGE' }));
  });

  it.skipIf(!native)('the two read each other’s frames', () => {
    expect(native!.decompress(wasm.compress(sample), MAX_DECOMPRESSED_BYTES).equals(sample)).toBe(true);
    expect(wasm.decompress(native!.compress(sample), MAX_DECOMPRESSED_BYTES).equals(sample)).toBe(true);
  });

  it('bounds the WebAssembly output room by the frame before decompressing', () => {
    expect(zstdOutputBound(wasm.compress(sample), MAX_DECOMPRESSED_BYTES)).toBe(sample.length);
    expect(zstdOutputBound(zstdRleFrame(3), MAX_DECOMPRESSED_BYTES)).toBe(3 * 131072);
    expect(zstdOutputBound(zstdRleFrame(3), 131072)).toBe(131073);
  });
});
