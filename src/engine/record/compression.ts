// The four codecs Kafka's v2 batches use. gzip comes from node:zlib; snappy, lz4 and zstd from
// native packages (sync calls: the embedded producer compresses on its hot path).
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { CorruptRecordError } from '../../errors.js';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const CODEC_IDS: Record<Compression, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
export const CODEC_NAMES: Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Decompression bombs stop here: no real batch inflates past this. */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

// Native modules load on first use only, so that uncompressed work never pays for them.
const require = createRequire(import.meta.url);
let snappyMod: typeof import('snappy') | undefined;
let lz4Mod: typeof import('lz4-napi') | undefined;
let zstdMod: typeof import('zstd-napi') | undefined;
const snappy = () => (snappyMod ??= require('snappy') as typeof import('snappy'));
const lz4 = () => (lz4Mod ??= require('lz4-napi') as typeof import('lz4-napi'));
const zstd = () => (zstdMod ??= require('zstd-napi') as typeof import('zstd-napi'));

// Java's snappy-java stream framing (what Kafka's own producer writes): magic, version 1,
// compatible version 1, then blocks each prefixed by their big-endian length.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = Buffer.concat([XERIAL_MAGIC, Buffer.from([0, 0, 0, 1, 0, 0, 0, 1])]);
const XERIAL_BLOCK = 32 * 1024;

export function compress(codec: Compression, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data);
    case 'snappy': {
      const parts: Buffer[] = [XERIAL_HEADER];
      for (let off = 0; off < data.length; off += XERIAL_BLOCK) {
        const block = snappy().compressSync(data.subarray(off, off + XERIAL_BLOCK));
        const len = Buffer.alloc(4);
        len.writeInt32BE(block.length);
        parts.push(len, block);
      }
      return Buffer.concat(parts);
    }
    case 'lz4':
      return lz4().compressFrameSync(data);
    case 'zstd':
      return zstd().compress(data);
  }
}

export function decompress(codec: Compression, data: Buffer): Buffer {
  let out: Buffer;
  try {
    switch (codec) {
      case 'none':
        return data;
      case 'gzip':
        out = gunzipSync(data, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
        break;
      case 'snappy':
        out = unsnappy(data);
        break;
      case 'lz4':
        out = lz4().decompressFrameSync(data);
        break;
      case 'zstd':
        out = zstd().decompress(data);
        break;
    }
  } catch (err) {
    if (err instanceof CorruptRecordError) throw err;
    throw new CorruptRecordError(`Cannot decompress ${codec} record batch: ${(err as Error).message}`);
  }
  if (out.length > MAX_DECOMPRESSED_BYTES) {
    throw new CorruptRecordError(`Decompressed ${codec} batch exceeds ${MAX_DECOMPRESSED_BYTES} bytes.`);
  }
  return out;
}

function unsnappy(data: Buffer): Buffer {
  if (data.length < 16 || !data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return snappy().uncompressSync(data, { asBuffer: true }) as Buffer;
  }
  const parts: Buffer[] = [];
  let total = 0;
  for (let pos = 16; pos < data.length; ) {
    if (pos + 4 > data.length) throw new CorruptRecordError('Truncated snappy block length.');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || pos + len > data.length) throw new CorruptRecordError('Invalid snappy block length.');
    const block = snappy().uncompressSync(data.subarray(pos, pos + len), { asBuffer: true }) as Buffer;
    total += block.length;
    if (total > MAX_DECOMPRESSED_BYTES) throw new CorruptRecordError(`Decompressed snappy batch exceeds ${MAX_DECOMPRESSED_BYTES} bytes.`);
    parts.push(block);
    pos += len;
  }
  return Buffer.concat(parts);
}
