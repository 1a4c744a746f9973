// Seeded fuzzing of the decoder: mutated, resealed (CRC fixed so the mutation reaches the record
// parser and the decompressors), truncated and random inputs. The only acceptable failure is
// CorruptRecordError; decoding successfully is fine too.
import { describe, expect, it } from 'vitest';
import { decodeBatch, decodeRecordSet, encodeBatch, type Compression, type RecordInput } from '../../../src/engine/record/batch.js';
import { computeBatchCrc } from '../../../src/engine/record/header.js';
import { CorruptRecordError } from '../../../src/errors.js';

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const records: RecordInput[] = [];
for (let i = 0; i < 20; i++) {
  records.push({
    key: i % 5 === 0 ? null : Buffer.from(`key-${i}`),
    value: i % 7 === 3 ? null : Buffer.from(`value-${i}-`.repeat(i % 4 + 1)),
    timestamp: 1_700_000_000_000 + i * 13,
    headers: i % 3 === 0 ? [{ key: `h${i}`, value: i % 2 ? null : Buffer.from('v') }] : undefined,
  });
}

function expectOnlyCorrupt(fn: () => unknown, input: Buffer): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) {
      throw new Error(`decoder threw ${(err as Error)?.name}: ${(err as Error)?.message} on ${input.toString('hex')}`);
    }
  }
}

describe('decoder fuzzing', () => {
  for (const [n, codec] of (['none', 'gzip', 'snappy', 'lz4', 'zstd'] as Compression[]).entries()) {
    it(`mutated ${codec} batches fail only with CorruptRecordError`, () => {
      const rand = prng(1000 + n);
      const base = encodeBatch(records, { compression: codec, baseOffset: 100 });
      let decoded = 0;
      let rejected = 0;
      for (let i = 0; i < 600; i++) {
        let buf = Buffer.from(base);
        const mode = i % 4;
        const edits = 1 + Math.floor(rand() * 3);
        for (let j = 0; j < edits; j++) {
          // Resealed cases aim past the header, where the records (or compressed body) are.
          const at = mode === 0 ? Math.floor(rand() * buf.length) : 61 + Math.floor(rand() * (buf.length - 61));
          buf[at] = mode === 2 ? buf[at] ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
        }
        if (mode === 3) buf = buf.subarray(0, 61 + Math.floor(rand() * (buf.length - 61)));
        if (mode !== 0) {
          buf.writeInt32BE(buf.length - 12, 8);
          buf.writeUInt32BE(computeBatchCrc(buf, 0, buf.length), 17);
        }
        try {
          decodeBatch(buf);
          decoded++;
        } catch (err) {
          if (!(err instanceof CorruptRecordError)) expectOnlyCorrupt(() => decodeBatch(buf), buf);
          rejected++;
        }
        expectOnlyCorrupt(() => [...decodeRecordSet(buf)], buf);
      }
      // Both outcomes happen: the mutations reach the parser rather than all dying at the CRC.
      expect(rejected).toBeGreaterThan(100);
      if (codec === 'none') expect(decoded).toBeGreaterThan(10);
    });
  }

  it('random bytes and random header fields fail only with CorruptRecordError', () => {
    const rand = prng(7);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rand() * 200);
      const buf = Buffer.alloc(len);
      for (let j = 0; j < len; j++) buf[j] = Math.floor(rand() * 256);
      if (len >= 61 && i % 2 === 0) {
        // A plausible header (magic 2, true length, valid CRC) over random contents.
        buf.writeInt32BE(len - 12, 8);
        buf[16] = 2;
        buf.writeInt16BE(buf.readInt16BE(21) & 0x0f, 21);
        buf.writeInt32BE(buf.readInt32BE(57) & 0x3f, 57);
        buf.writeUInt32BE(computeBatchCrc(buf, 0, len), 17);
      }
      expectOnlyCorrupt(() => decodeBatch(buf), buf);
      expectOnlyCorrupt(() => [...decodeRecordSet(buf)], buf);
    }
  });
});
