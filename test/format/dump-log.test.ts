// kafka-dump-log's lines against the texts of Kafka 4.1's DumpLogSegments (printBatchLevel and the
// deep-iteration record line), built from batches the engine's codec encodes.
import { describe, expect, it } from 'vitest';
import type { DumpedBatch, DumpedRecord } from '../../src/engine/log/dump.js';
import { encodeBatch } from '../../src/engine/record/batch.js';
import { readBatchHeader } from '../../src/engine/record/header.js';
import {
  formatBatchLine,
  formatIndexMismatches,
  formatNonConsecutive,
  formatRecordLine,
  formatTimeIndexErrors,
  formatTrailingBytes,
} from '../../src/format/dump-log.js';

function dumped(buf: Buffer, extra: Partial<DumpedBatch> = {}): DumpedBatch {
  return {
    position: 0,
    header: readBatchHeader(buf),
    size: buf.length,
    crcValid: true,
    compression: 'none',
    timestampType: 'CreateTime',
    isTransactional: false,
    isControl: false,
    deleteHorizonMs: null,
    lastSequence: -1,
    ...extra,
  };
}

const record = (r: Partial<DumpedRecord>): DumpedRecord => ({ offset: 0, timestamp: 0, keySize: -1, valueSize: -1, sequence: -1, headerKeys: [], key: null, value: null, ...r });

describe('dump-log batch line', () => {
  it('prints every header field in Kafka order, deleteHorizonMs as a Java OptionalLong', () => {
    const buf = encodeBatch([{ key: null, value: Buffer.from('a'), timestamp: 1000 }, { key: null, value: Buffer.from('b'), timestamp: 1005 }], { baseOffset: 40, partitionLeaderEpoch: 3 });
    const h = readBatchHeader(buf);
    expect(formatBatchLine(dumped(buf, { position: 123 }))).toBe(
      `baseOffset: 40 lastOffset: 41 count: 2 baseSequence: -1 lastSequence: -1 producerId: -1 producerEpoch: -1 partitionLeaderEpoch: 3 isTransactional: false isControl: false deleteHorizonMs: OptionalLong.empty position: 123 CreateTime: 1005 size: ${buf.length} magic: 2 compresscodec: none crc: ${h.crc} isvalid: true\n`,
    );
    const line = formatBatchLine(dumped(buf, { crcValid: false, deleteHorizonMs: 77, compression: 'zstd', timestampType: 'LogAppendTime', isTransactional: true }));
    expect(line).toContain(' isTransactional: true isControl: false deleteHorizonMs: OptionalLong[77] position: 0 LogAppendTime: 1005 ');
    expect(line).toMatch(/ compresscodec: zstd crc: \d+ isvalid: false\n$/);
  });
});

describe('dump-log record line', () => {
  const buf = encodeBatch([{ key: null, value: Buffer.from('x'), timestamp: 1 }]);
  it('shows metadata, then key and payload with --print-data-log (null key: no key field)', () => {
    const r = record({ offset: 7, timestamp: 1700000000000, keySize: 2, valueSize: 5, sequence: 3, headerKeys: ['h1', 'h2'], key: Buffer.from('k1'), value: Buffer.from('hello') });
    expect(formatRecordLine(r, dumped(buf), { printData: true, skipMetadata: false })).toBe(
      '| offset: 7 CreateTime: 1700000000000 keySize: 2 valueSize: 5 sequence: 3 headerKeys: [h1,h2] key: k1 payload: hello\n',
    );
    expect(formatRecordLine({ ...r, key: null, keySize: -1 }, dumped(buf), { printData: true, skipMetadata: false })).toBe(
      '| offset: 7 CreateTime: 1700000000000 keySize: -1 valueSize: 5 sequence: 3 headerKeys: [h1,h2] payload: hello\n',
    );
    expect(formatRecordLine(r, dumped(buf), { printData: false, skipMetadata: false })).toBe(
      '| offset: 7 CreateTime: 1700000000000 keySize: 2 valueSize: 5 sequence: 3 headerKeys: [h1,h2]\n',
    );
  });

  it('--skip-record-metadata keeps only key and payload, with Kafka\'s spacing', () => {
    const r = record({ key: Buffer.from('k'), value: Buffer.from('v') });
    expect(formatRecordLine(r, dumped(buf), { printData: true, skipMetadata: true })).toBe('| key: k payload: v\n');
    expect(formatRecordLine({ ...r, key: null }, dumped(buf), { printData: true, skipMetadata: true })).toBe(' payload: v\n');
  });

  it('a transaction marker shows its type and coordinator epoch, never a payload', () => {
    const key = Buffer.from([0, 0, 0, 1]);
    const value = Buffer.from([0, 0, 0, 0, 0, 5]);
    const r = record({ offset: 9, keySize: 4, valueSize: 6, key, value });
    expect(formatRecordLine(r, dumped(buf, { isControl: true }), { printData: true, skipMetadata: false })).toBe(
      '| offset: 9 CreateTime: 0 keySize: 4 valueSize: 6 sequence: -1 headerKeys: [] endTxnMarker: COMMIT coordinatorEpoch: 5\n',
    );
  });
});

describe('dump-log end-of-run reports', () => {
  it('uses Kafka\'s texts; index mismatches and offset gaps come out last first, as Kafka lists them', () => {
    expect(formatTrailingBytes(17, '00000000000000000000.log')).toBe('Found 17 invalid bytes at the end of 00000000000000000000.log\n');
    expect(formatIndexMismatches('/d/0.index', [{ indexOffset: 5, logOffset: 4 }, { indexOffset: 9, logOffset: -1 }])).toBe(
      'Mismatches in :/d/0.index\n  Index offset: 9, log offset: -1\n  Index offset: 5, log offset: 4\n',
    );
    expect(formatNonConsecutive('/d/0.log', [[1, 3], [3, 7]])).toBe('Non-consecutive offsets in /d/0.log\n  3 is followed by 7\n  1 is followed by 3\n');
    expect(formatNonConsecutive('/d/0.log', [])).toBe('');
    expect(
      formatTimeIndexErrors([
        ['/d/0.timeindex', { entries: [], timestampMismatches: [{ indexTimestamp: 5, logTimestamp: 6 }], outOfOrder: [{ indexTimestamp: 4, previousTimestamp: 5 }], offsetsNotFound: [{ indexOffset: 3, logOffset: -1 }] }],
      ]),
    ).toBe(
      'Found timestamp mismatch in :/d/0.timeindex\n  Index timestamp: 5, log timestamp: 6\n' +
        'Found out of order timestamp in :/d/0.timeindex\n  Index timestamp: 4, Previously indexed timestamp: 5\n' +
        'The following indexed offsets are not found in the log.\nIndexed offset: 3, found log offset: -1\n',
    );
  });
});
