import { describe, expect, it } from 'vitest';
import { encodeBatch, type Compression, type RecordInput } from '../../../src/engine/record/batch.js';
import { computeBatchCrc, OFFSET_CRC } from '../../../src/engine/record/header.js';
import { positionsView, valueLinesOf } from '../../../src/engine/record/value-lines.js';
import { recordsModule } from '../../../src/engine/record/wasm.js';
import { OutputBuffer } from '../../../src/format/output-buffer.js';
import { CorruptRecordError } from '../../../src/errors.js';

const records: RecordInput[] = [
  { key: null, value: Buffer.from('plain') },
  { key: Buffer.from('k'), value: null },
  { key: null, value: Buffer.alloc(0), headers: [{ key: 'h', value: Buffer.from('v') }, { key: 'n', value: null }] },
  { key: Buffer.from('key'), value: Buffer.alloc(300, 0x61) },
  { key: null, value: Buffer.from('é\u0000\xff', 'latin1') },
  { key: null, value: Buffer.alloc(70000, 0x62) },
  { key: null, value: Buffer.from('last') },
];

const lf = { separator: Buffer.from('\n'), nullLiteral: Buffer.from('null') };
const wide = { separator: Buffer.from('<|>\r\n'), nullLiteral: Buffer.from('') };

function lines(batch: Buffer, from: number, limit: number, format = lf, useModule = true) {
  const out = new OutputBuffer(16);
  const view = positionsView();
  const r = valueLinesOf(batch, 0, from, limit, format, out, view, true, useModule);
  return { text: out.take().toString('latin1'), visited: r.visited, position: r.position, complete: r.complete, size: r.size };
}

const expected = (rs: RecordInput[], format = lf) => rs.map((r) => (r.value ?? format.nullLiteral).toString('latin1') + format.separator.toString('latin1')).join('');

describe('valueLinesOf', () => {
  it('is built for the tests (npm test builds dist/wasm/records.wasm)', () => {
    if (process.env.KAFKIT_BUILT === '1') expect(recordsModule()).not.toBeNull();
  });

  for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as Compression[]) {
    it(`prints value or null literal, then the separator, for every record (${compression}), in WebAssembly and TypeScript alike`, () => {
      const batch = encodeBatch(records, { compression, baseOffset: 40 });
      for (const format of [lf, wide]) {
        for (const useModule of [true, false]) {
          expect(lines(batch, 0, 100, format, useModule)).toEqual({ text: expected(records, format), visited: 7, position: 47, complete: true, size: batch.length });
        }
      }
    });
  }

  it('starts at `from` and stops after `limit` records, saying where it stopped', () => {
    const batch = encodeBatch(records, { baseOffset: 40 });
    for (const useModule of [true, false]) {
      expect(lines(batch, 42, 2, lf, useModule)).toMatchObject({ text: expected(records.slice(2, 4)), visited: 2, position: 44, complete: false });
      expect(lines(batch, 44, 3, lf, useModule)).toMatchObject({ text: expected(records.slice(4)), visited: 3, position: 47, complete: true });
      expect(lines(batch, 47, 3, lf, useModule)).toMatchObject({ text: '', visited: 0, position: 47, complete: true });
    }
  });

  it('prints the records before a malformed one, then names it; the view says how far it got', () => {
    const batch = encodeBatch([{ key: null, value: Buffer.from('a') }, { key: null, value: Buffer.from('b') }, { key: null, value: Buffer.from('c') }], { baseOffset: 10 });
    // Record 1's value length (1, zigzag 2) becomes 60: past the end of its record. The CRC is
    // made to match, so only the record decoder can tell.
    const at = batch.indexOf(Buffer.from([2, 0x62]), 61 + 8);
    batch[at] = 120;
    batch.writeUInt32BE(computeBatchCrc(batch, 0, batch.length), OFFSET_CRC);
    for (const useModule of [true, false]) {
      const out = new OutputBuffer(16);
      const view = positionsView();
      expect(() => valueLinesOf(batch, 0, 10, 100, lf, out, view, true, useModule)).toThrow(CorruptRecordError);
      expect(() => valueLinesOf(batch, 0, 10, 100, lf, new OutputBuffer(), positionsView(), true, useModule)).toThrow(
        'Record batch at offset 10 (position 0) is corrupt in record 1: value length 60 runs past the end of its record.',
      );
      expect(out.take().toString()).toBe('a\n');
      expect(view.next).toBe(11);
    }
  });

  it('refuses a batch whose CRC does not match before printing anything, unless check.crcs is off', () => {
    const batch = encodeBatch([{ key: null, value: Buffer.from('abc') }]);
    batch[batch.length - 2] ^= 1;
    const out = new OutputBuffer(16);
    expect(() => valueLinesOf(batch, 0, 0, 10, lf, out, positionsView())).toThrow(/is corrupt \(stored crc = \d+, computed crc = \d+\)/);
    expect(out.length).toBe(0);
    valueLinesOf(batch, 0, 0, 10, lf, out, positionsView(), false);
    expect(out.take().toString()).toBe('abb\n');
  });

  it('prints nothing for a control batch', () => {
    const marker = encodeBatch([{ key: Buffer.from('00000001', 'hex'), value: Buffer.from('000000000000', 'hex') }], { baseOffset: 1, isTransactional: true });
    marker.writeInt16BE(marker.readInt16BE(21) | 0x20, 21);
    marker.writeUInt32BE(computeBatchCrc(marker, 0, marker.length), OFFSET_CRC);
    expect(lines(marker, 0, 10)).toMatchObject({ text: '', visited: 0, complete: true });
  });
});
