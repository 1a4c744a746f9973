// The fixed 61-byte head of a v2 record batch (Kafka's DefaultRecordBatch), shared by the codec,
// the log (which scans batches without decoding records) and the protocol server.
//
//   baseOffset int64 | batchLength int32 | partitionLeaderEpoch int32 | magic int8 | crc uint32 |
//   attributes int16 | lastOffsetDelta int32 | baseTimestamp int64 | maxTimestamp int64 |
//   producerId int64 | producerEpoch int16 | baseSequence int32 | recordCount int32
//
// batchLength counts the bytes after the batchLength field; the CRC-32C covers attributes to the end.
import { crc32c } from '@node-rs/crc32';
import { CorruptRecordError } from '../../errors.js';

export const LOG_OVERHEAD = 12; // baseOffset + batchLength
export const BATCH_HEADER_SIZE = 61;
export const MAGIC_V2 = 2;

export const OFFSET_BASE_OFFSET = 0;
export const OFFSET_BATCH_LENGTH = 8;
export const OFFSET_LEADER_EPOCH = 12;
export const OFFSET_MAGIC = 16;
export const OFFSET_CRC = 17;
export const OFFSET_ATTRIBUTES = 21;
export const OFFSET_LAST_OFFSET_DELTA = 23;
export const OFFSET_BASE_TIMESTAMP = 27;
export const OFFSET_MAX_TIMESTAMP = 35;
export const OFFSET_PRODUCER_ID = 43;
export const OFFSET_PRODUCER_EPOCH = 51;
export const OFFSET_BASE_SEQUENCE = 53;
export const OFFSET_RECORD_COUNT = 57;

export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_BIT = 0x08;
export const TRANSACTIONAL_BIT = 0x10;
export const CONTROL_BIT = 0x20;

export interface BatchHeader {
  baseOffset: number;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: number;
  maxTimestamp: number;
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

const TWO_32 = 2 ** 32;

/**
 * An int64 field as a number, from its two halves: BigInt conversions cost more than the rest of a
 * batch header. Exact within Number's safe range, as every offset and timestamp is.
 */
export function readInt64(buf: Buffer, pos: number): number {
  return buf.readInt32BE(pos) * TWO_32 + buf.readUInt32BE(pos + 4);
}

export function writeInt64(buf: Buffer, pos: number, value: number): void {
  const hi = Math.floor(value / TWO_32);
  buf.writeInt32BE(hi, pos);
  buf.writeUInt32BE(value - hi * TWO_32, pos + 4);
}

/** Total bytes of the batch starting at `pos` (LOG_OVERHEAD + batchLength); -1 when the length field is not all there. */
export function batchSizeAt(buf: Buffer, pos = 0): number {
  if (buf.length - pos < LOG_OVERHEAD) return -1;
  return LOG_OVERHEAD + buf.readInt32BE(pos + OFFSET_BATCH_LENGTH);
}

export function readBatchHeader(buf: Buffer, pos = 0): BatchHeader {
  if (buf.length - pos < BATCH_HEADER_SIZE) {
    throw new CorruptRecordError(`Record batch header at position ${pos} is truncated: ${buf.length - pos} of ${BATCH_HEADER_SIZE} bytes.`);
  }
  return {
    baseOffset: readInt64(buf, pos + OFFSET_BASE_OFFSET),
    batchLength: buf.readInt32BE(pos + OFFSET_BATCH_LENGTH),
    partitionLeaderEpoch: buf.readInt32BE(pos + OFFSET_LEADER_EPOCH),
    magic: buf.readInt8(pos + OFFSET_MAGIC),
    crc: buf.readUInt32BE(pos + OFFSET_CRC),
    attributes: buf.readInt16BE(pos + OFFSET_ATTRIBUTES),
    lastOffsetDelta: buf.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA),
    baseTimestamp: readInt64(buf, pos + OFFSET_BASE_TIMESTAMP),
    maxTimestamp: readInt64(buf, pos + OFFSET_MAX_TIMESTAMP),
    producerId: readInt64(buf, pos + OFFSET_PRODUCER_ID),
    producerEpoch: buf.readInt16BE(pos + OFFSET_PRODUCER_EPOCH),
    baseSequence: buf.readInt32BE(pos + OFFSET_BASE_SEQUENCE),
    recordCount: buf.readInt32BE(pos + OFFSET_RECORD_COUNT),
  };
}

/** CRC-32C of the batch at `pos`, computed over attributes..end as Kafka does. */
export function computeBatchCrc(buf: Buffer, pos: number, size: number): number {
  return crc32c(buf.subarray(pos + OFFSET_ATTRIBUTES, pos + size)) >>> 0;
}

/**
 * Checks that a whole, well-formed v2 batch starts at `pos` and returns its size. Throws
 * CorruptRecordError naming what is wrong (torn, bad magic, bad length, CRC mismatch; the CRC only
 * with `checkCrc`).
 */
export function validateBatchAt(buf: Buffer, pos = 0, checkCrc = true): number {
  const size = batchSizeAt(buf, pos);
  if (size < 0) throw new CorruptRecordError(`Record batch at position ${pos} is truncated.`);
  if (size < BATCH_HEADER_SIZE) throw new CorruptRecordError(`Record batch at position ${pos} has invalid length ${size - LOG_OVERHEAD}.`);
  if (buf.length - pos < size) throw new CorruptRecordError(`Record batch at position ${pos} is truncated: ${buf.length - pos} of ${size} bytes.`);
  const magic = buf.readInt8(pos + OFFSET_MAGIC);
  if (magic !== MAGIC_V2) throw new CorruptRecordError(`Record batch at position ${pos} has unsupported magic ${magic}; only v2 is supported.`);
  if (!checkCrc) return size;
  const stored = buf.readUInt32BE(pos + OFFSET_CRC);
  const actual = computeBatchCrc(buf, pos, size);
  if (stored !== actual) {
    throw new CorruptRecordError(`Record batch at position ${pos} is corrupt (stored crc = ${stored}, computed crc = ${actual}).`);
  }
  return size;
}

/** Rewrites the base offset in place (not covered by the CRC, so no recomputation). */
export function setBaseOffset(buf: Buffer, pos: number, offset: number): void {
  writeInt64(buf, pos + OFFSET_BASE_OFFSET, offset);
}

/** Rewrites the partition leader epoch in place (not covered by the CRC). */
export function setPartitionLeaderEpoch(buf: Buffer, pos: number, epoch: number): void {
  buf.writeInt32BE(epoch, pos + OFFSET_LEADER_EPOCH);
}

/** Marks the batch LogAppendTime with the broker's time and recomputes the CRC, as a broker does. */
export function setLogAppendTime(buf: Buffer, pos: number, timestamp: number): void {
  const size = batchSizeAt(buf, pos);
  buf.writeInt16BE(buf.readInt16BE(pos + OFFSET_ATTRIBUTES) | TIMESTAMP_TYPE_BIT, pos + OFFSET_ATTRIBUTES);
  writeInt64(buf, pos + OFFSET_MAX_TIMESTAMP, timestamp);
  buf.writeUInt32BE(computeBatchCrc(buf, pos, size), pos + OFFSET_CRC);
}
