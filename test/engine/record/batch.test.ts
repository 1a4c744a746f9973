import { describe, expect, it } from 'vitest';
import {
  decodeBatch,
  decodeRecordSet,
  encodeBatch,
  estimateRecordSize,
  type Compression,
  type DecodedRecord,
  type RecordInput,
} from '../../../src/engine/record/batch.js';
import {
  computeBatchCrc,
  readBatchHeader,
  setBaseOffset,
  setLogAppendTime,
  validateBatchAt,
} from '../../../src/engine/record/header.js';
import { CorruptRecordError, InvalidRecordError, InvalidTimestampError } from '../../../src/errors.js';

const CODECS: Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

// Bit-at-a-time CRC-32C (Castagnoli, reflected 0x82F63B78): independent of the native one under test.
function crc32cReference(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Re-seals a batch after a test edits it, so the edit reaches the record parser instead of the CRC check. */
function reseal(buf: Buffer, pos = 0): Buffer {
  const size = 12 + buf.readInt32BE(pos + 8);
  buf.writeUInt32BE(computeBatchCrc(buf, pos, size), pos + 17);
  return buf;
}

/** A batch around arbitrary record bytes (for hostile bodies). */
function batchAround(body: Buffer, recordCount: number, attributes = 0): Buffer {
  const buf = Buffer.alloc(61 + body.length);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt32BE(-1, 12);
  buf.writeInt8(2, 16);
  buf.writeInt16BE(attributes, 21);
  buf.writeInt32BE(Math.max(recordCount - 1, 0), 23);
  buf.writeBigInt64BE(-1n, 43);
  buf.writeInt16BE(-1, 51);
  buf.writeInt32BE(-1, 53);
  buf.writeInt32BE(recordCount, 57);
  body.copy(buf, 61);
  return reseal(buf);
}

const view = (r: DecodedRecord) => ({
  offset: r.offset,
  timestamp: r.timestamp,
  key: r.key?.toString() ?? null,
  value: r.value?.toString() ?? null,
  headers: r.headers.map((h) => [h.key, h.value?.toString() ?? null]),
});

const records: RecordInput[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: 1000 },
  { key: null, value: Buffer.from('no key'), timestamp: 1005, headers: [{ key: 'h', value: Buffer.from('x') }, { key: 'n', value: null }] },
  { key: Buffer.from('gone'), value: null, timestamp: 999 },
];

describe('known byte vectors', () => {
  // Built field by field from DefaultRecordBatch/DefaultRecord (docs/implementation.html §5.3):
  // two records, baseOffset 5, CreateTime 1700000000000 and +5 ms, no producer id.
  const golden = Buffer.from(
    [
      '0000000000000005', // baseOffset
      '00000049', // batchLength = 85 - 12
      'ffffffff', // partitionLeaderEpoch -1
      '02', // magic
      '720c6e66', // CRC-32C of attributes..end
      '0000', // attributes: no compression, CreateTime
      '00000001', // lastOffsetDelta
      '0000018bcfe56800', // baseTimestamp 1700000000000
      '0000018bcfe56805', // maxTimestamp
      'ffffffffffffffff', // producerId
      'ffff', // producerEpoch
      'ffffffff', // baseSequence
      '00000002', // records count
      // record 0: length 8, attrs, tsDelta 0, offsetDelta 0, key null, value "hi", 0 headers
      '10' + '00' + '00' + '00' + '01' + '04' + '6869' + '00',
      // record 1: length 14, attrs, tsDelta 5, offsetDelta 1, key "k", value null, 2 headers: h=v, n=null
      '1c' + '00' + '0a' + '02' + '026b' + '01' + '04' + '0268' + '0276' + '026e' + '01',
    ].join(''),
    'hex',
  );
  const goldenInput: RecordInput[] = [
    { key: null, value: Buffer.from('hi'), timestamp: 1_700_000_000_000 },
    { key: Buffer.from('k'), value: null, timestamp: 1_700_000_000_005, headers: [{ key: 'h', value: Buffer.from('v') }, { key: 'n', value: null }] },
  ];

  it('the hand-built batch carries a correct CRC-32C (checked by an independent implementation)', () => {
    expect(crc32cReference(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32cReference(golden.subarray(21))).toBe(golden.readUInt32BE(17));
  });

  it('encodeBatch writes the hand-built batch byte for byte', () => {
    expect(encodeBatch(goldenInput, { baseOffset: 5 }).toString('hex')).toBe(golden.toString('hex'));
  });

  it('decodeBatch reads the hand-built batch', () => {
    const batch = decodeBatch(golden);
    expect(batch.size).toBe(85);
    expect(batch.isControl).toBe(false);
    expect(batch.header).toMatchObject({ baseOffset: 5, lastOffsetDelta: 1, baseTimestamp: 1_700_000_000_000, maxTimestamp: 1_700_000_000_005, recordCount: 2 });
    expect(batch.records.map(view)).toEqual([
      { offset: 5, timestamp: 1_700_000_000_000, key: null, value: 'hi', headers: [] },
      { offset: 6, timestamp: 1_700_000_000_005, key: 'k', value: null, headers: [['h', 'v'], ['n', null]] },
    ]);
    expect(batch.records.map((r) => r.timestampType)).toEqual(['CreateTime', 'CreateTime']);
  });

  it('returns keys and values as views into the batch, not copies', () => {
    const batch = decodeBatch(golden);
    expect(batch.records[0].value!.buffer).toBe(golden.buffer);
    expect(batch.records[0].value!.byteOffset).toBe(golden.byteOffset + 67);
  });

  it('a one-record batch with a null key and a 100-byte value is 170 bytes (engine.md worked size)', () => {
    expect(encodeBatch([{ key: null, value: Buffer.alloc(100, 1), timestamp: 0 }]).length).toBe(170);
  });
});

describe('encodeBatch / decodeBatch round trips', () => {
  it('writes the v2 header fields Kafka expects', () => {
    const buf = encodeBatch(records, { baseOffset: 42 });
    const h = readBatchHeader(buf);
    expect(h).toMatchObject({
      baseOffset: 42, batchLength: buf.length - 12, partitionLeaderEpoch: -1, magic: 2, attributes: 0,
      lastOffsetDelta: 2, baseTimestamp: 1000, maxTimestamp: 1005, producerId: -1, producerEpoch: -1,
      baseSequence: -1, recordCount: 3,
    });
    expect(validateBatchAt(buf)).toBe(buf.length);
  });

  it('writes producer id, epoch, sequence, leader epoch and the transactional bit when given', () => {
    const buf = encodeBatch(records, { producerId: 4000, producerEpoch: 3, baseSequence: 17, partitionLeaderEpoch: 9, isTransactional: true, compression: 'zstd' });
    expect(readBatchHeader(buf)).toMatchObject({ producerId: 4000, producerEpoch: 3, baseSequence: 17, partitionLeaderEpoch: 9, attributes: 0x10 | 4 });
    expect(decodeBatch(buf).records).toHaveLength(3);
  });

  for (const compression of CODECS) {
    it(`round-trips keys, null keys, tombstones and headers with ${compression}`, () => {
      const buf = encodeBatch(records, { baseOffset: 7, compression });
      expect(readBatchHeader(buf).attributes & 7).toBe(CODECS.indexOf(compression));
      const batch = decodeBatch(buf);
      expect(batch.records.map(view)).toEqual([
        { offset: 7, timestamp: 1000, key: 'k1', value: 'v1', headers: [] },
        { offset: 8, timestamp: 1005, key: null, value: 'no key', headers: [['h', 'x'], ['n', null]] },
        { offset: 9, timestamp: 999, key: 'gone', value: null, headers: [] },
      ]);
    });

    it(`round-trips 3,000 records (several codec blocks) with ${compression}`, () => {
      const many: RecordInput[] = [];
      for (let i = 0; i < 3000; i++) {
        many.push({ key: Buffer.from(`key-${i}`), value: Buffer.from(`value ${i} `.repeat(1 + (i % 40))), timestamp: 1_700_000_000_000 + i });
      }
      const batch = decodeBatch(encodeBatch(many, { compression }));
      expect(batch.records).toHaveLength(3000);
      for (const i of [0, 1, 1234, 2999]) {
        expect(view(batch.records[i])).toEqual({ offset: i, timestamp: 1_700_000_000_000 + i, key: `key-${i}`, value: `value ${i} `.repeat(1 + (i % 40)), headers: [] });
      }
    });
  }

  it('keeps empty keys and values apart from null ones', () => {
    const batch = decodeBatch(encodeBatch([{ key: Buffer.alloc(0), value: Buffer.alloc(0), headers: [{ key: '', value: Buffer.alloc(0) }] }]));
    expect(batch.records[0].key).toEqual(Buffer.alloc(0));
    expect(batch.records[0].value).toEqual(Buffer.alloc(0));
    expect(batch.records[0].headers).toEqual([{ key: '', value: Buffer.alloc(0) }]);
  });

  it('encodes header keys as UTF-8 and repeated header keys in order', () => {
    const headers = [{ key: 'clé-ü-😀', value: Buffer.from('1') }, { key: 'clé-ü-😀', value: Buffer.from('2') }];
    const batch = decodeBatch(encodeBatch([{ key: null, value: null, headers }]));
    expect(batch.records[0].headers.map((h) => [h.key, h.value!.toString()])).toEqual([['clé-ü-😀', '1'], ['clé-ü-😀', '2']]);
  });

  it('sets baseTimestamp from the first record and maxTimestamp from the largest, with negative deltas', () => {
    const buf = encodeBatch([{ key: null, value: null, timestamp: 5000 }, { key: null, value: null, timestamp: 9000 }, { key: null, value: null, timestamp: 1 }]);
    expect(readBatchHeader(buf)).toMatchObject({ baseTimestamp: 5000, maxTimestamp: 9000 });
    expect(decodeBatch(buf).records.map((r) => r.timestamp)).toEqual([5000, 9000, 1]);
  });

  it('stamps records without a timestamp with the current time', () => {
    const before = Date.now();
    const [r] = decodeBatch(encodeBatch([{ key: null, value: Buffer.from('x') }])).records;
    expect(r.timestamp).toBeGreaterThanOrEqual(before);
    expect(r.timestamp).toBeLessThanOrEqual(Date.now());
  });

  it('reports LogAppendTime from the batch max timestamp after the broker sets it', () => {
    const buf = encodeBatch(records, { compression: 'gzip' });
    setLogAppendTime(buf, 0, 5555);
    const batch = decodeBatch(buf);
    expect(batch.records.map((r) => [r.timestamp, r.timestampType])).toEqual([
      [5555, 'LogAppendTime'], [5555, 'LogAppendTime'], [5555, 'LogAppendTime'],
    ]);
  });

  it('keeps the CRC valid when the base offset is rewritten', () => {
    const buf = encodeBatch(records, { compression: 'lz4' });
    setBaseOffset(buf, 0, 1_000_000);
    expect(decodeBatch(buf).records[2].offset).toBe(1_000_002);
  });

  it('refuses to encode an empty batch or a non-integer timestamp', () => {
    expect(() => encodeBatch([])).toThrow(InvalidRecordError);
    expect(() => encodeBatch([{ key: null, value: null, timestamp: 1.5 }])).toThrow(InvalidTimestampError);
    expect(() => encodeBatch([{ key: null, value: null, timestamp: 0 }, { key: null, value: null, timestamp: 2 ** 53 - 1 }])).toThrow(InvalidTimestampError);
  });

  it('decodes an empty batch (compaction leaves those) to no records, even when marked compressed', () => {
    const buf = batchAround(Buffer.alloc(0), 0, 4);
    expect(decodeBatch(buf).records).toEqual([]);
  });

  it('estimateRecordSize is an upper bound of the bytes a record adds', () => {
    const samples: RecordInput[] = [
      { key: null, value: null },
      { key: Buffer.alloc(10), value: Buffer.alloc(100) },
      { key: Buffer.alloc(200), value: Buffer.alloc(20_000), headers: [{ key: 'trace-id', value: Buffer.alloc(16) }, { key: 'x', value: null }] },
    ];
    for (const r of samples) {
      const one = encodeBatch([{ ...r, timestamp: 0 }]).length - 61;
      // A later record in a batch has wider deltas than the first: bound those too.
      const far = encodeBatch([{ key: null, value: null, timestamp: 0 }, { ...r, timestamp: 2 ** 40 }]).length - 61 - 8;
      expect(estimateRecordSize(r)).toBeGreaterThanOrEqual(Math.max(one, far));
      expect(estimateRecordSize(r)).toBeLessThanOrEqual(one + 20);
    }
  });
});

describe('decodeRecordSet', () => {
  it('reads consecutive batches and ignores a partial one at the end', () => {
    const a = encodeBatch(records.slice(0, 1), { baseOffset: 0 });
    const b = encodeBatch(records.slice(1), { baseOffset: 1, compression: 'snappy' });
    for (const cut of [1, 11, 12, 30, 61, b.length - 1]) {
      const set = Buffer.concat([a, b, b.subarray(0, cut)]);
      expect([...decodeRecordSet(set)].map((r) => r.offset)).toEqual([0, 1, 2]);
    }
    expect([...decodeRecordSet(Buffer.alloc(0))]).toEqual([]);
  });

  it('skips control batches', () => {
    const data = encodeBatch(records.slice(0, 1), { baseOffset: 0 });
    const marker = encodeBatch([{ key: Buffer.from('00000001', 'hex'), value: Buffer.from('000000000000', 'hex') }], { baseOffset: 1, isTransactional: true });
    marker.writeInt16BE(marker.readInt16BE(21) | 0x20, 21);
    reseal(marker);
    expect(decodeBatch(marker).isControl).toBe(true);
    const more = encodeBatch(records.slice(2), { baseOffset: 2 });
    expect([...decodeRecordSet(Buffer.concat([data, marker, more]))].map((r) => r.offset)).toEqual([0, 2]);
  });

  it('throws on a whole batch with a bad CRC instead of stopping', () => {
    const a = encodeBatch(records.slice(0, 1));
    const b = encodeBatch(records.slice(1), { baseOffset: 1 });
    b[b.length - 1] ^= 0x40;
    expect(() => [...decodeRecordSet(Buffer.concat([a, b]))]).toThrow(/Record batch at position \d+ is corrupt \(stored crc = \d+, computed crc = \d+\)/);
  });

  it('throws on a batch length that cannot be a batch', () => {
    const a = encodeBatch(records.slice(0, 1));
    const bad = Buffer.alloc(61);
    bad.writeInt32BE(-100, 8);
    expect(() => [...decodeRecordSet(Buffer.concat([a, bad]))]).toThrow(`Record batch at position ${a.length} has invalid length -100.`);
    bad.writeInt32BE(10, 8);
    expect(() => [...decodeRecordSet(Buffer.concat([a, bad]))]).toThrow(CorruptRecordError);
  });
});

describe('hostile input', () => {
  // One record: length 6, attrs, tsDelta, offsetDelta, key null, value "", 0 headers.
  const good = Buffer.from('0c' + '00' + '00' + '00' + '01' + '00' + '00', 'hex');
  const bigValue = '20' + '000002' + '01' + '14' + '00'.repeat(10) + '00'; // 16-byte record, offsetDelta 1

  it('accepts the hand-built bodies these cases start from', () => {
    expect(decodeBatch(batchAround(good, 1)).records.map(view)).toEqual([{ offset: 0, timestamp: 0, key: null, value: '', headers: [] }]);
    expect(decodeBatch(batchAround(Buffer.from('0c000000010000' + bigValue, 'hex'), 2)).records.map((r) => r.value!.length)).toEqual([0, 10]);
  });

  const cases: [string, string, number, RegExp][] = [
    ['a negative key length other than -1', '0c00000003' + '0000', 1, /record 0: key has negative length -2/],
    ['a value length past the end', '0c00000001' + '14' + '0000', 1, /record 0: value length 10 runs past the end of its record/],
    ['a negative record length', '01' + '0000000100' + '00', 1, /record 0: record length -1 is negative/],
    ['a record length past the batch', '40' + '000000010000', 1, /record length 32 runs past the end of the batch/],
    ['a record length longer than its fields', '0e' + '000000010000' + '00', 1, /record length 7 does not match its fields \(6 bytes\)/],
    ['a negative header count', '0c' + '0000000100' + '01', 1, /header count -1 is negative/],
    ['a huge header count', '16' + '0000000100' + 'feffffff0f' + '00', 1, /header count 2147483647 runs past the end of its record/],
    ['a null header key', '10' + '0000000100' + '02' + '01' + '01', 1, /a header key is null/],
    ['more records claimed than the bytes allow', '0c000000010000', 2, /claims 2 records but holds only 7 bytes of records/],
    ['fewer records claimed than present', '0c000000010000' + '0c000200010000', 1, /has 7 bytes left after its 1 records; the record count is wrong/],
    ['more records claimed than present', '0c000000010000' + bigValue, 3, /claims 3 records but its data ends after 2/],
    ['a negative record count', '', -5, /has a negative record count -5/],
    ['a huge record count', '0c000000010000', 0x7fffffff, /claims 2147483647 records but holds only 7 bytes/],
  ];
  for (const [what, body, count, message] of cases) {
    it(`rejects ${what} with CorruptRecordError`, () => {
      const buf = batchAround(Buffer.from(body, 'hex'), count);
      expect(() => decodeBatch(buf)).toThrow(CorruptRecordError);
      expect(() => decodeBatch(buf)).toThrow(message);
    });
  }

  it('rejects an unknown compression type, bad magic and a truncated batch', () => {
    expect(() => decodeBatch(batchAround(good, 1, 5))).toThrow(/uses unknown compression type 5/);
    const magic = encodeBatch(records);
    magic[16] = 1;
    expect(() => decodeBatch(magic)).toThrow('Record batch at position 0 has unsupported magic 1; only v2 is supported.');
    const whole = encodeBatch(records);
    expect(() => decodeBatch(whole.subarray(0, 40))).toThrow(CorruptRecordError);
    expect(() => decodeBatch(whole.subarray(0, whole.length - 1))).toThrow(/is truncated/);
  });

  it('rejects a flipped byte with CorruptRecordError', () => {
    const buf = encodeBatch(records);
    buf[70] ^= 0xff;
    expect(() => decodeBatch(buf)).toThrow(CorruptRecordError);
    expect(() => decodeBatch(buf)).toThrow(/corrupt \(stored crc/);
  });
});
