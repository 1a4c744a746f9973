import { describe, expect, it } from 'vitest';
import { encodeBatch } from '../../../src/engine/record/batch.js';
import { validateProducedBatch, validateProducedBatches } from '../../../src/engine/record/validate.js';
import { CorruptRecordError, InvalidRecordError } from '../../../src/errors.js';
import { batchAround, gzipBombBatch, hugeValueBatch, record, wrongCountBatch } from './poison.js';

const check = (b: Buffer) => () => validateProducedBatch(b, 0, 'orders-0');

describe('validateProducedBatch (LogValidator for client batches)', () => {
  it('accepts what a producer builds, in every codec, and returns its size', () => {
    for (const compression of ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const b = encodeBatch([{ key: Buffer.from('k'), value: Buffer.from('v1'), headers: [{ key: 'h', value: null }] }, { key: null, value: null }], { compression });
      expect(validateProducedBatch(b, 0, 'orders-0')).toBe(b.length);
    }
  });

  it('refuses a record that claims a 1 GiB value behind a valid CRC', () => {
    expect(check(hugeValueBatch())).toThrow(InvalidRecordError);
    expect(check(hugeValueBatch())).toThrow('Record 0 of a batch of 1 is invalid: value length 1073741824 runs past the end of its record in topic partition orders-0.');
  });

  it('refuses a record count that does not match the records, either way', () => {
    expect(check(wrongCountBatch())).toThrow(/Record 2 of a batch of 5 is invalid: the batch data ends before it in topic partition orders-0/);
    const fewer = batchAround(Buffer.concat([record(0, Buffer.from('a')), record(1, Buffer.from('b'))]), { count: 1 });
    expect(check(fewer)).toThrow('Record batch has 8 bytes after its 1 records: the record count is wrong in topic partition orders-0.');
    const offRange = batchAround(record(0, Buffer.from('a')), { count: 1, lastOffsetDelta: 3 });
    expect(check(offRange)).toThrow('Inconsistent batch offset range [0, 3] and count of records 1 in topic partition orders-0.');
    expect(check(batchAround(Buffer.alloc(0), { count: 0, lastOffsetDelta: 0 }))).toThrow('Invalid reported count for record batch: 0 in topic partition orders-0.');
  });

  it('refuses offset deltas that are not 0..n-1 in order', () => {
    const swapped = batchAround(Buffer.concat([record(1, Buffer.from('a')), record(0, Buffer.from('b'))]), { count: 2 });
    expect(check(swapped)).toThrow(/Record 0 of a batch of 2 is invalid: offset delta 1 should be 0/);
  });

  it('refuses control batches and idempotent batches without a sequence, as Kafka does', () => {
    expect(check(batchAround(record(0, Buffer.from('a')), { count: 1, attributes: 0x20 }))).toThrow('Clients are not allowed to write control records in topic partition orders-0.');
    const b = encodeBatch([{ key: null, value: Buffer.from('a') }], { producerId: 7, producerEpoch: 0, baseSequence: 0 });
    expect(validateProducedBatch(b, 0, 'orders-0')).toBe(b.length);
    const noSeq = encodeBatch([{ key: null, value: Buffer.from('a') }], { producerId: 7, producerEpoch: 0 });
    expect(() => validateProducedBatch(noSeq, 0, 'orders-0')).toThrow('Invalid sequence number -1 in record batch with producerId 7 in topic partition orders-0.');
  });

  it('refuses a broken CRC and bad varints as CORRUPT_MESSAGE / INVALID_RECORD', () => {
    const b = encodeBatch([{ key: null, value: Buffer.from('hello') }]);
    b[b.length - 2] ^= 1;
    expect(check(b)).toThrow(CorruptRecordError);
    expect(check(b)).toThrow(/is corrupt \(stored crc = \d+, computed crc = \d+\) in topic partition orders-0\./);
    const badVarint = batchAround(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]), { count: 1 });
    expect(check(badVarint)).toThrow('Record 0 of a batch of 1 is invalid: a varint is longer than 5 bytes in topic partition orders-0.');
  });

  it('stops inflating a gzip bomb at the cap instead of inflating it whole', () => {
    const bomb = gzipBombBatch();
    const started = process.hrtime.bigint();
    expect(check(bomb)).toThrow(CorruptRecordError);
    expect(check(bomb)).toThrow(/decompresses to more than 67108864 bytes; refusing it as a decompression bomb \(topic partition orders-0\)/);
    // Inflating all 200 MiB takes several times longer than stopping at 64 MiB.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(5000);
  });

  it('validateProducedBatches checks every batch of a record set, the torn tail included', () => {
    const a = encodeBatch([{ key: null, value: Buffer.from('a') }]);
    expect(() => validateProducedBatches(Buffer.concat([a, a]), 'orders-0')).not.toThrow();
    expect(() => validateProducedBatches(Buffer.concat([a, hugeValueBatch()]), 'orders-0')).toThrow(/value length 1073741824/);
    expect(() => validateProducedBatches(Buffer.concat([a, a.subarray(0, 30)]), 'orders-0')).toThrow(/is truncated: 30 of \d+ bytes in topic partition orders-0\./);
  });
});
