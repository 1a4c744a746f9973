// Kafka's v2 record batch (DefaultRecordBatch / DefaultRecord): encode and decode.
import { CorruptRecordError } from '../../errors.js';
import { CODEC_IDS, CODEC_NAMES, compress, decompress, type Compression } from './compression.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  CONTROL_BIT,
  LOG_OVERHEAD,
  MAGIC_V2,
  OFFSET_CRC,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
  batchSizeAt,
  computeBatchCrc,
  readBatchHeader,
  validateBatchAt,
  type BatchHeader,
} from './header.js';
import { Reader, varintSize, writeVarint } from './varint.js';

export type { Compression } from './compression.js';

export interface RecordHeaderInput {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeaderInput[];
  /** Omitted: now. */
  timestamp?: number;
}

export interface BatchOptions {
  baseOffset?: number;
  compression?: Compression;
  producerId?: number;
  producerEpoch?: number;
  baseSequence?: number;
  partitionLeaderEpoch?: number;
  isTransactional?: boolean;
}

export interface DecodedRecord {
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeaderInput[];
}

function bodySize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + varintSize(timestampDelta) + varintSize(offsetDelta);
  size += r.key === null ? 1 : varintSize(r.key.length) + r.key.length;
  size += r.value === null ? 1 : varintSize(r.value.length) + r.value.length;
  const headers = r.headers ?? [];
  size += varintSize(headers.length);
  for (const h of headers) {
    const klen = Buffer.byteLength(h.key);
    size += varintSize(klen) + klen;
    size += h.value === null ? 1 : varintSize(h.value.length) + h.value.length;
  }
  return size;
}

/** Upper bound of the bytes one record adds to a batch (for batch.size accounting). */
export function estimateRecordSize(r: RecordInput): number {
  const size = bodySize(r, 0, 0) + 16; // deltas and length prefix grow by a few bytes at most
  return size;
}

/** Encodes records into one v2 batch with its CRC set. Offsets start at `baseOffset` (default 0). */
export function encodeBatch(records: RecordInput[], options: BatchOptions = {}): Buffer {
  if (records.length === 0) throw new CorruptRecordError('A record batch needs at least one record.');
  const now = Date.now();
  const baseTimestamp = records[0].timestamp ?? now;
  let maxTimestamp = baseTimestamp;
  const sizes = new Array<number>(records.length);
  let recordsSize = 0;
  for (let i = 0; i < records.length; i++) {
    const ts = records[i].timestamp ?? now;
    if (ts > maxTimestamp) maxTimestamp = ts;
    const body = bodySize(records[i], ts - baseTimestamp, i);
    sizes[i] = body;
    recordsSize += varintSize(body) + body;
  }
  let recordsBuf: Buffer = Buffer.allocUnsafe(recordsSize);
  let pos = 0;
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeVarint(recordsBuf, pos, sizes[i]);
    recordsBuf[pos++] = 0;
    pos = writeVarint(recordsBuf, pos, (r.timestamp ?? now) - baseTimestamp);
    pos = writeVarint(recordsBuf, pos, i);
    pos = writeBytes(recordsBuf, pos, r.key);
    pos = writeBytes(recordsBuf, pos, r.value);
    const headers = r.headers ?? [];
    pos = writeVarint(recordsBuf, pos, headers.length);
    for (const h of headers) {
      const klen = Buffer.byteLength(h.key);
      pos = writeVarint(recordsBuf, pos, klen);
      pos += recordsBuf.write(h.key, pos);
      pos = writeBytes(recordsBuf, pos, h.value);
    }
  }
  const codec = options.compression ?? 'none';
  if (codec !== 'none') recordsBuf = compress(codec, recordsBuf);

  const total = BATCH_HEADER_SIZE + recordsBuf.length;
  const buf = Buffer.allocUnsafe(total);
  buf.writeBigInt64BE(BigInt(options.baseOffset ?? 0), 0);
  buf.writeInt32BE(total - LOG_OVERHEAD, 8);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? -1, 12);
  buf.writeInt8(MAGIC_V2, 16);
  let attributes = CODEC_IDS[codec];
  if (options.isTransactional) attributes |= TRANSACTIONAL_BIT;
  buf.writeInt16BE(attributes, 21);
  buf.writeInt32BE(records.length - 1, 23);
  buf.writeBigInt64BE(BigInt(baseTimestamp), 27);
  buf.writeBigInt64BE(BigInt(maxTimestamp), 35);
  buf.writeBigInt64BE(BigInt(options.producerId ?? -1), 43);
  buf.writeInt16BE(options.producerEpoch ?? -1, 51);
  buf.writeInt32BE(options.baseSequence ?? -1, 53);
  buf.writeInt32BE(records.length, 57);
  recordsBuf.copy(buf, BATCH_HEADER_SIZE);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, total), OFFSET_CRC);
  return buf;
}

function writeBytes(buf: Buffer, pos: number, value: Buffer | null): number {
  if (value === null) return writeVarint(buf, pos, -1);
  pos = writeVarint(buf, pos, value.length);
  value.copy(buf, pos);
  return pos + value.length;
}

export interface DecodedBatch {
  header: BatchHeader;
  size: number;
  isControl: boolean;
  records: DecodedRecord[];
}

/** Decodes the whole batch at `pos` (CRC checked). Throws CorruptRecordError on any inconsistency. */
export function decodeBatch(buf: Buffer, pos = 0): DecodedBatch {
  const size = validateBatchAt(buf, pos);
  const header = readBatchHeader(buf, pos);
  const codec = CODEC_NAMES[header.attributes & COMPRESSION_MASK];
  if (codec === undefined) throw new CorruptRecordError(`Record batch at offset ${header.baseOffset} uses unknown compression ${header.attributes & COMPRESSION_MASK}.`);
  const logAppend = (header.attributes & TIMESTAMP_TYPE_BIT) !== 0;
  const isControl = (header.attributes & CONTROL_BIT) !== 0;
  if (header.recordCount < 0 || header.recordCount > size) {
    throw new CorruptRecordError(`Record batch at offset ${header.baseOffset} has invalid record count ${header.recordCount}.`);
  }
  const body = decompress(codec, buf.subarray(pos + BATCH_HEADER_SIZE, pos + size));
  const records: DecodedRecord[] = new Array(header.recordCount);
  const reader = new Reader(body, 0, body.length);
  try {
    for (let i = 0; i < header.recordCount; i++) {
      const length = reader.varint();
      if (length < 0 || reader.pos + length > body.length) throw new RangeError(`record length ${length} runs past the batch`);
      const end = reader.pos + length;
      const rec = new Reader(body, reader.pos, end);
      rec.int8();
      const tsDelta = rec.varint();
      const offsetDelta = rec.varint();
      const key = rec.bytes();
      const value = rec.bytes();
      const count = rec.varint();
      if (count < 0 || count > length) throw new RangeError(`invalid header count ${count}`);
      const headers: RecordHeaderInput[] = [];
      for (let h = 0; h < count; h++) {
        const k = rec.bytes();
        if (k === null) throw new RangeError('null header key');
        headers.push({ key: k.toString('utf8'), value: rec.bytes() });
      }
      if (rec.pos !== end) throw new RangeError('record length does not match its fields');
      reader.pos = end;
      records[i] = {
        offset: header.baseOffset + offsetDelta,
        timestamp: logAppend ? header.maxTimestamp : header.baseTimestamp + tsDelta,
        timestampType: logAppend ? 'LogAppendTime' : 'CreateTime',
        key,
        value,
        headers,
      };
    }
  } catch (err) {
    if (err instanceof RangeError) {
      throw new CorruptRecordError(`Record batch at offset ${header.baseOffset} is corrupt: ${err.message}.`);
    }
    throw err;
  }
  if (reader.pos !== body.length) {
    throw new CorruptRecordError(`Record batch at offset ${header.baseOffset} has ${body.length - reader.pos} trailing bytes.`);
  }
  return { header, size, isControl, records };
}

/**
 * Every record of every whole batch in `buf`, skipping control batches. A partial batch at the end
 * (fetch responses may end with one) is ignored.
 */
export function* decodeRecordSet(buf: Buffer): Generator<DecodedRecord> {
  let pos = 0;
  while (pos < buf.length) {
    const size = batchSizeAt(buf, pos);
    if (size < 0 || pos + size > buf.length) return;
    const batch = decodeBatch(buf, pos);
    if (!batch.isControl) yield* batch.records;
    pos += size;
  }
}
