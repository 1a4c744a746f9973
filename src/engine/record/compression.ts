// The four codecs Kafka's v2 batches use. gzip comes from node:zlib; zstd from node:zlib or
// WebAssembly (zstd.ts); snappy and lz4 from napi-rs packages whose npm packages ship them built
// (sync calls: the embedded producer compresses on its hot path). Nothing here compiles at install.
//
// Every decoder is bounded by MAX_DECOMPRESSED_BYTES *before* it allocates: the compressed
// formats announce (or bound) their output size, and we check that first, so a 1 KB batch cannot
// make us allocate gigabytes (decompression bombs).
import { gunzipSync, gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { CorruptRecordError } from '../../errors.js';
import { zstd } from './zstd.js';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const CODEC_IDS: Record<Compression, number> = { none: 0, gzip: 1, snappy: 2, lz4: 3, zstd: 4 };
export const CODEC_NAMES: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** Decompression bombs stop here: no real batch inflates past this (message.max.bytes is 1 MiB). */
export const MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

// Native modules load on first use only, so that uncompressed work never pays for them.
const require = createRequire(import.meta.url);
let snappyMod: typeof import('snappy') | undefined;
let lz4Mod: typeof import('lz4-napi') | undefined;
const snappy = () => (snappyMod ??= require('snappy') as typeof import('snappy'));
const lz4 = () => (lz4Mod ??= require('lz4-napi') as typeof import('lz4-napi'));

// snappy-java's stream framing, which Kafka's Java producer writes (SnappyOutputStream): magic,
// version 1, compatible version 1, then blocks of at most 32 KiB each prefixed by a BE int32 length.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER = Buffer.from([...XERIAL_MAGIC, 0, 0, 0, 1, 0, 0, 0, 1]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_BLOCK = 32 * 1024;

export function compress(codec: Compression, data: Buffer): Buffer {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipSync(data);
    case 'snappy':
      return xerialCompress(data);
    case 'lz4':
      // lz4_flex writes a standard LZ4 frame with independent blocks, which Kafka's
      // KafkaLZ4BlockInputStream reads for magic v2 (the v0/v1 header-checksum quirk is gone).
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
        out = snappyDecompress(data);
        break;
      case 'lz4':
        checkLz4Bound(data);
        out = lz4().decompressFrameSync(data);
        break;
      case 'zstd':
        out = zstd().decompress(data, MAX_DECOMPRESSED_BYTES);
        break;
    }
  } catch (err) {
    if (err instanceof CorruptRecordError) throw err;
    const reason = (err as Error).message ?? String(err);
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(codec);
    throw new CorruptRecordError(`Cannot decompress the ${codec} records of a batch: ${reason}`);
  }
  if (out.length > MAX_DECOMPRESSED_BYTES) throw tooLarge(codec);
  return out;
}

function tooLarge(codec: Compression): CorruptRecordError {
  return new CorruptRecordError(
    `A ${codec} record batch decompresses to more than ${MAX_DECOMPRESSED_BYTES} bytes; refusing it as a decompression bomb.`,
  );
}

function xerialCompress(data: Buffer): Buffer {
  const blocks: Buffer[] = [];
  let total = XERIAL_HEADER_SIZE;
  for (let off = 0; off < data.length; off += XERIAL_BLOCK) {
    const block = snappy().compressSync(data.subarray(off, off + XERIAL_BLOCK));
    blocks.push(block);
    total += 4 + block.length;
  }
  const out = Buffer.allocUnsafe(total);
  XERIAL_HEADER.copy(out, 0);
  let pos = XERIAL_HEADER_SIZE;
  for (const block of blocks) {
    out.writeInt32BE(block.length, pos);
    block.copy(out, pos + 4);
    pos += 4 + block.length;
  }
  return out;
}

/** The uncompressed length a raw snappy block announces in its preamble (an unsigned LEB128 varint). */
function snappyLength(data: Buffer, start: number, end: number): number {
  let result = 0;
  for (let i = 0, shift = 1; i < 5; i++, shift *= 128) {
    if (start + i >= end) break;
    const b = data[start + i];
    result += (b & 0x7f) * shift;
    if (b < 0x80) return result;
  }
  throw new CorruptRecordError('A snappy block has an invalid length preamble.');
}

function snappyRaw(data: Buffer, budget: number): Buffer {
  if (snappyLength(data, 0, data.length) > budget) throw tooLarge('snappy');
  return snappy().uncompressSync(data, { asBuffer: true }) as Buffer;
}

/** Accepts both the xerial framing (Kafka's Java producer) and a bare snappy block (some clients). */
function snappyDecompress(data: Buffer): Buffer {
  if (data.length < XERIAL_HEADER_SIZE || !data.subarray(0, 8).equals(XERIAL_MAGIC)) {
    return snappyRaw(data, MAX_DECOMPRESSED_BYTES);
  }
  const parts: Buffer[] = [];
  let total = 0;
  for (let pos = XERIAL_HEADER_SIZE; pos < data.length; ) {
    if (pos + 4 > data.length) throw new CorruptRecordError('A snappy (xerial) block length is truncated.');
    const len = data.readInt32BE(pos);
    pos += 4;
    if (len < 0 || len > data.length - pos) {
      throw new CorruptRecordError(`A snappy (xerial) block length ${len} runs past the end of the batch.`);
    }
    const block = snappyRaw(data.subarray(pos, pos + len), MAX_DECOMPRESSED_BYTES - total);
    total += block.length;
    parts.push(block);
    pos += len;
  }
  return parts.length === 1 ? parts[0] : Buffer.concat(parts, total);
}

const LZ4_MAGIC = 0x184d2204;
const LZ4_BLOCK_MAX = [0, 0, 0, 0, 64 * 1024, 256 * 1024, 1024 * 1024, 4 * 1024 * 1024];

/**
 * Walks the LZ4 frame(s) without decompressing and bounds the output: every block inflates to at
 * most the frame's block maximum size. lz4-napi has no output limit of its own.
 */
function checkLz4Bound(data: Buffer): void {
  let pos = 0;
  let bound = 0;
  while (pos < data.length) {
    if (data.length - pos < 7) throw new CorruptRecordError('An lz4 frame header is truncated.');
    const magic = data.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // A skippable frame: its length follows the magic.
      pos += 8 + data.readUInt32LE(pos + 4);
      continue;
    }
    if (magic !== LZ4_MAGIC) throw new CorruptRecordError(`An lz4 frame has bad magic 0x${magic.toString(16)}.`);
    const flg = data[pos + 4];
    const bd = data[pos + 5];
    if (flg >> 6 !== 1) throw new CorruptRecordError(`An lz4 frame has unsupported version ${flg >> 6}.`);
    const blockMax = LZ4_BLOCK_MAX[(bd >> 4) & 7];
    if (!blockMax) throw new CorruptRecordError(`An lz4 frame has invalid block size code ${(bd >> 4) & 7}.`);
    const blockChecksum = (flg & 0x10) !== 0;
    const hasContentSize = (flg & 0x08) !== 0;
    const contentChecksum = (flg & 0x04) !== 0;
    const hasDictId = (flg & 0x01) !== 0;
    pos += 6;
    if (hasContentSize) {
      if (pos + 8 > data.length) throw new CorruptRecordError('An lz4 frame header is truncated.');
      if (Number(data.readBigUInt64LE(pos)) > MAX_DECOMPRESSED_BYTES) throw tooLarge('lz4');
      pos += 8;
    }
    if (hasDictId) pos += 4;
    pos += 1; // header checksum
    for (;;) {
      if (pos + 4 > data.length) throw new CorruptRecordError('An lz4 block length is truncated.');
      const word = data.readUInt32LE(pos);
      pos += 4;
      if (word === 0) break; // EndMark
      const size = word & 0x7fffffff;
      if (size > blockMax) throw new CorruptRecordError(`An lz4 block of ${size} bytes exceeds the frame's ${blockMax}-byte block size.`);
      bound += blockMax;
      if (bound > MAX_DECOMPRESSED_BYTES + blockMax) throw tooLarge('lz4');
      pos += size + (blockChecksum ? 4 : 0);
    }
    if (contentChecksum) pos += 4;
  }
}
