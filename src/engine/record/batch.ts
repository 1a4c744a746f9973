// Kafka's v2 record batch (DefaultRecordBatch / DefaultRecord): encode and decode.
//
//   record := length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
//             keyLength varint (-1 = null) | key | valueLength varint (-1 = null) | value |
//             headerCount varint | { keyLength varint | key utf8 | valueLength varint (-1 = null) | value }*
//
// The decoder returns keys and values as views into the batch (or its decompressed body), never
// copies, and treats every length and count as hostile until checked.
import { CorruptRecordError, InvalidRecordError, InvalidTimestampError } from '../../errors.js';
import { CODEC_IDS, CODEC_NAMES, compress, decompress, type Compression } from './compression.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  CONTROL_BIT,
  LOG_OVERHEAD,
  MAGIC_V2,
  OFFSET_ATTRIBUTES,
  OFFSET_BASE_OFFSET,
  OFFSET_BASE_SEQUENCE,
  OFFSET_BASE_TIMESTAMP,
  OFFSET_BATCH_LENGTH,
  OFFSET_CRC,
  OFFSET_LAST_OFFSET_DELTA,
  OFFSET_LEADER_EPOCH,
  OFFSET_MAGIC,
  OFFSET_MAX_TIMESTAMP,
  OFFSET_PRODUCER_EPOCH,
  OFFSET_PRODUCER_ID,
  OFFSET_RECORD_COUNT,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
  batchSizeAt,
  computeBatchCrc,
  readBatchHeader,
  validateBatchAt,
  writeInt64,
  type BatchHeader,
} from './header.js';
import { MAX_EXACT_VARLONG, Reader, varintSize, writeVarint } from './varint.js';
import { moduleMemory, recordsModule, type RecordsModule } from './wasm.js';

// Fewer values than this are encoded in TypeScript: the copies in and out cost more than they save.
const MODULE_MIN_VALUES = 8;

export type { Compression } from './compression.js';
export type { BatchHeader } from './header.js';

export interface RecordHeaderInput {
  key: string;
  value: Buffer | null;
}

export interface RecordInput {
  key: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeaderInput[];
  /** Milliseconds since the epoch; omitted: now. */
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
  /** A view into the batch buffer (or its decompressed body), not a copy. */
  key: Buffer | null;
  value: Buffer | null;
  /** Records without headers share one frozen empty array: copy before mutating. */
  headers: RecordHeaderInput[];
}

export interface DecodedBatch {
  header: BatchHeader;
  /** Bytes the whole batch takes in `buf` (LOG_OVERHEAD + batchLength). */
  size: number;
  isControl: boolean;
  records: DecodedRecord[];
}

/** Smallest possible record: length, attributes, two deltas, null key, null value, header count. */
const MIN_RECORD_SIZE = 7;
const NO_HEADERS: RecordHeaderInput[] = Object.freeze([]) as unknown as RecordHeaderInput[];

function bodySize(r: RecordInput, timestampDelta: number, offsetDelta: number): number {
  let size = 1 + varintSize(timestampDelta) + varintSize(offsetDelta);
  size += r.key === null ? 1 : varintSize(r.key.length) + r.key.length;
  size += r.value === null ? 1 : varintSize(r.value.length) + r.value.length;
  const headers = r.headers;
  if (headers === undefined) return size + 1;
  size += varintSize(headers.length);
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i];
    const klen = Buffer.byteLength(h.key);
    size += varintSize(klen) + klen;
    size += h.value === null ? 1 : varintSize(h.value.length) + h.value.length;
  }
  return size;
}

/**
 * An upper bound of the bytes one record adds to an uncompressed batch (for batch.size accounting):
 * the body with the widest deltas (varlong timestamp 10 bytes, varint offset 5) plus its length prefix.
 */
export function estimateRecordSize(r: RecordInput): number {
  const body = bodySize(r, 0, 0) - 2 + 10 + 5;
  return varintSize(body) + body;
}

/**
 * Encodes records into one v2 batch with its CRC set, as Kafka's producer does: CreateTime,
 * baseTimestamp = the first record's timestamp, maxTimestamp = the largest, offsets from
 * `baseOffset` (default 0), producer id/epoch/sequence -1 unless given.
 */
export function encodeBatch(records: RecordInput[], options: BatchOptions = {}): Buffer {
  const count = records.length;
  if (count === 0) throw new InvalidRecordError('Cannot encode an empty record batch: give at least one record.');
  const now = Date.now();
  const baseTimestamp = records[0].timestamp ?? now;
  let maxTimestamp = baseTimestamp;
  const sizes = new Int32Array(count);
  let recordsSize = 0;
  for (let i = 0; i < count; i++) {
    const ts = records[i].timestamp ?? now;
    if (!Number.isSafeInteger(ts) || Math.abs(ts - baseTimestamp) >= MAX_EXACT_VARLONG) {
      throw new InvalidTimestampError(`Record ${i} has timestamp ${ts}; use an integer number of milliseconds near the batch's first (${baseTimestamp}).`);
    }
    if (ts > maxTimestamp) maxTimestamp = ts;
    const body = bodySize(records[i], ts - baseTimestamp, i);
    sizes[i] = body;
    recordsSize += varintSize(body) + body;
  }

  const codec = codecId(options);
  let buf: Buffer;
  if (codec === 0) {
    // Records go straight into the batch: no intermediate buffer, no copy.
    buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + recordsSize);
    writeRecords(buf, BATCH_HEADER_SIZE, records, sizes, baseTimestamp, now);
  } else {
    const plain = Buffer.allocUnsafe(recordsSize);
    writeRecords(plain, 0, records, sizes, baseTimestamp, now);
    const packed = compress(CODEC_NAMES[codec], plain);
    buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + packed.length);
    packed.copy(buf, BATCH_HEADER_SIZE);
  }
  writeHeader(buf, codec, options, count, baseTimestamp, maxTimestamp);
  return buf;
}

function codecId(options: BatchOptions): number {
  const codec = options.compression ?? 'none';
  const id = CODEC_IDS[codec];
  if (id === undefined) throw new InvalidRecordError(`Unknown compression '${codec}'; use none, gzip, snappy, lz4 or zstd.`);
  return id;
}

/** Fills in the 61-byte header of the batch that is all of `buf`, CRC last. */
function writeHeader(buf: Buffer, codec: number, options: BatchOptions, count: number, baseTimestamp: number, maxTimestamp: number): void {
  const total = buf.length;
  let attributes = codec;
  if (options.isTransactional) attributes |= TRANSACTIONAL_BIT;
  writeInt64(buf, OFFSET_BASE_OFFSET, options.baseOffset ?? 0);
  buf.writeInt32BE(total - LOG_OVERHEAD, OFFSET_BATCH_LENGTH);
  buf.writeInt32BE(options.partitionLeaderEpoch ?? -1, OFFSET_LEADER_EPOCH);
  buf.writeInt8(MAGIC_V2, OFFSET_MAGIC);
  buf.writeInt16BE(attributes, OFFSET_ATTRIBUTES);
  buf.writeInt32BE(count - 1, OFFSET_LAST_OFFSET_DELTA);
  writeInt64(buf, OFFSET_BASE_TIMESTAMP, baseTimestamp);
  writeInt64(buf, OFFSET_MAX_TIMESTAMP, maxTimestamp);
  writeInt64(buf, OFFSET_PRODUCER_ID, options.producerId ?? -1);
  buf.writeInt16BE(options.producerEpoch ?? -1, OFFSET_PRODUCER_EPOCH);
  buf.writeInt32BE(options.baseSequence ?? -1, OFFSET_BASE_SEQUENCE);
  buf.writeInt32BE(count, OFFSET_RECORD_COUNT);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, total), OFFSET_CRC);
}

/** writeVarint of a non-negative value, with the one- and two-byte cases inline. */
function putVarint(buf: Buffer, pos: number, value: number): number {
  if (value < 64) {
    buf[pos] = value << 1;
    return pos + 1;
  }
  if (value < 8192) {
    buf[pos] = ((value << 1) & 0x7f) | 0x80;
    buf[pos + 1] = value >>> 6;
    return pos + 2;
  }
  return writeVarint(buf, pos, value);
}

/**
 * Builds one v2 batch a record at a time, each encoded as it arrives (Kafka's
 * MemoryRecordsBuilder), so that a producer keeps bytes, not record objects, while a batch fills.
 * The result is byte for byte what encodeBatch makes of the same records, with `now` (taken when
 * the builder is made) as the timestamp of records that have none.
 *
 * `into` builds the batch in place in a region of a caller's buffer (a producer's request, batches
 * back to back), so that a finished batch needs no copy; a batch that outgrows the region moves to
 * a buffer of its own.
 */
export class BatchBuilder {
  private buf: Buffer;
  private start: number;
  private limit: number;
  private pos: number;
  private n = 0;
  private baseTimestamp = 0;
  private maxTimestamp = 0;
  private readonly codec: number;
  readonly now: number;

  /** `capacity`: the record bytes to make room for at first (it grows if needed). */
  constructor(
    capacity: number,
    private readonly options: BatchOptions = {},
    now = Date.now(),
    into?: { buf: Buffer; start: number; end: number },
  ) {
    this.codec = codecId(options);
    if (into !== undefined && into.end - into.start >= BATCH_HEADER_SIZE) {
      this.buf = into.buf;
      this.start = into.start;
      this.limit = into.end;
    } else {
      this.buf = Buffer.allocUnsafe(BATCH_HEADER_SIZE + Math.max(0, capacity));
      this.start = 0;
      this.limit = this.buf.length;
    }
    this.pos = this.start + BATCH_HEADER_SIZE;
    this.now = now;
  }

  /** Records appended so far. */
  get count(): number {
    return this.n;
  }

  /** Bytes of the uncompressed batch so far, header included (what Kafka holds against batch.size). */
  get sizeInBytes(): number {
    return this.pos - this.start;
  }

  /** The delta of timestamp `ts` to the batch's base; refuses what encodeBatch refuses. */
  private delta(ts: number): number {
    if (this.n === 0) {
      if (!Number.isSafeInteger(ts)) throw new InvalidTimestampError(`Record 0 has timestamp ${ts}; use an integer number of milliseconds near the batch's first (${ts}).`);
      this.baseTimestamp = this.maxTimestamp = ts;
      return 0;
    }
    if (!Number.isSafeInteger(ts) || Math.abs(ts - this.baseTimestamp) >= MAX_EXACT_VARLONG) {
      throw new InvalidTimestampError(`Record ${this.n} has timestamp ${ts}; use an integer number of milliseconds near the batch's first (${this.baseTimestamp}).`);
    }
    if (ts > this.maxTimestamp) this.maxTimestamp = ts;
    return ts - this.baseTimestamp;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.limit) return;
    const size = this.pos - this.start;
    const next = Buffer.allocUnsafe(Math.max((this.limit - this.start) * 2, size + bytes));
    this.buf.copy(next, 0, this.start, this.pos);
    this.buf = next;
    this.start = 0;
    this.pos = size;
    this.limit = next.length;
  }

  append(r: RecordInput): void {
    const delta = this.delta(r.timestamp ?? this.now);
    const body = bodySize(r, delta, this.n);
    this.reserve(varintSize(body) + body);
    this.pos = writeRecord(this.buf, this.pos, r, body, delta, this.n);
    this.n++;
  }

  /**
   * append({ key: null, value, timestamp: now }) without the record objects, for values i = from,
   * from + 1, ... < to, each data[starts[i] + shift, ends[i] + shift) (starts[i] < 0: null), while
   * the batch stays within `maxBytes`; the first always goes in.
   * Returns the index of the first value not appended. A run of values is encoded in WebAssembly
   * where the module is built (appendValuesInModule), else here.
   */
  appendValues(data: Buffer, shift: number, starts: Int32Array, ends: Int32Array, from: number, to: number, maxBytes: number, useModule = true): number {
    if (from >= to) return from;
    const delta = this.n === 0 || this.now !== this.baseTimestamp ? this.delta(this.now) : 0;
    if (useModule && to - from >= MODULE_MIN_VALUES) {
      const m = recordsModule();
      if (m !== null) return this.appendValuesInModule(m, data, shift, starts, ends, from, to, maxBytes, delta);
    }
    const fixed = 3 + varintSize(delta);
    const limit = this.start + maxBytes;
    // The hot loop of the console producer: state in locals, varints of one or two bytes inline.
    let buf = this.buf;
    let pos = this.pos;
    let n = this.n;
    let i = from;
    for (; i < to; i++) {
      const start = starts[i];
      const len = ends[i] - start;
      const body = fixed + (n < 64 ? 1 : n < 8192 ? 2 : varintSize(n)) + (start < 0 ? 1 : (len < 64 ? 1 : len < 8192 ? 2 : varintSize(len)) + len);
      const total = (body < 64 ? 1 : body < 8192 ? 2 : varintSize(body)) + body;
      if (i > from && pos + total > limit) break;
      if (pos + total > this.limit) {
        this.pos = pos;
        this.reserve(total);
        buf = this.buf;
        pos = this.pos;
      }
      pos = putVarint(buf, pos, body);
      buf[pos++] = 0; // attributes
      pos = delta === 0 ? ((buf[pos] = 0), pos + 1) : writeVarint(buf, pos, delta);
      pos = putVarint(buf, pos, n);
      buf[pos++] = 1; // null key: zigzag(-1)
      if (start < 0) buf[pos++] = 1;
      else {
        pos = putVarint(buf, pos, len);
        const at = start + shift;
        if (len > 32) data.copy(buf, pos, at, at + len);
        else for (let j = 0; j < len; j++) buf[pos + j] = data[at + j];
        pos += len;
      }
      buf[pos++] = 0; // no headers
      n++;
    }
    this.pos = pos;
    this.n = n;
    return i;
  }

  /**
   * appendValues in WebAssembly (wasm/records.ts): the values that can fit and their positions are
   * copied into the module's memory, encoded there in one call, and the records copied back.
   */
  private appendValuesInModule(m: RecordsModule, data: Buffer, shift: number, starts: Int32Array, ends: Int32Array, from: number, to: number, maxBytes: number, delta: number): number {
    const room = this.start + maxBytes - this.pos;
    // The values that could fit: a record takes more than its value, so none past `room` bytes of
    // values (the first always goes in).
    let lo = Number.MAX_SAFE_INTEGER;
    let hi = -1;
    let k = from;
    for (; k < to; k++) {
      const s = starts[k];
      if (s < 0) continue;
      const e = ends[k];
      const nextLo = Math.min(lo, s);
      const nextHi = Math.max(hi, e);
      if (k > from && nextHi - nextLo > room) break;
      lo = nextLo;
      hi = nextHi;
    }
    const count = k - from;
    const span = hi < 0 ? 0 : hi - lo;
    const positions = (span + 3) & ~3;
    const out = positions + 8 * count;
    const firstLen = starts[from] < 0 ? 0 : ends[from] - starts[from];
    const outRoom = Math.max(room, firstLen + 32);
    const mem = moduleMemory(m, out + outRoom);
    if (hi >= 0) data.copy(mem, 0, lo + shift, hi + shift);
    new Int32Array(mem.buffer, positions, count).set(starts.subarray(from, k));
    new Int32Array(mem.buffer, positions + 4 * count, count).set(ends.subarray(from, k));
    const written = m.encodeValues(0, hi < 0 ? 0 : lo, positions, positions + 4 * count, count, out, out + Math.max(0, room), this.n, delta);
    const bytes = m.outEnd.value - out;
    this.reserve(bytes);
    mem.copy(this.buf, this.pos, out, out + bytes);
    this.pos += bytes;
    this.n += written;
    return from + written;
  }

  /**
   * The finished batch (compressed as asked, CRC set), in place where the builder was given a
   * region and the batch still fits there; the builder must not be used after.
   */
  build(): Buffer {
    if (this.n === 0) throw new InvalidRecordError('Cannot encode an empty record batch: give at least one record.');
    let out: Buffer;
    if (this.codec === 0) {
      out = this.buf.subarray(this.start, this.pos);
    } else {
      const packed = compress(CODEC_NAMES[this.codec], this.buf.subarray(this.start + BATCH_HEADER_SIZE, this.pos));
      const end = this.start + BATCH_HEADER_SIZE + packed.length;
      out = end <= this.limit ? this.buf.subarray(this.start, end) : Buffer.allocUnsafe(BATCH_HEADER_SIZE + packed.length);
      packed.copy(out, BATCH_HEADER_SIZE);
    }
    writeHeader(out, this.codec, this.options, this.n, this.baseTimestamp, this.maxTimestamp);
    return out;
  }
}

function writeRecords(buf: Buffer, pos: number, records: RecordInput[], sizes: Int32Array, baseTimestamp: number, now: number): number {
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    pos = writeRecord(buf, pos, r, sizes[i], (r.timestamp ?? now) - baseTimestamp, i);
  }
  return pos;
}

/** One record with its length prefix (`body`: its size from bodySize) at `pos`; returns the position after it. */
function writeRecord(buf: Buffer, pos: number, r: RecordInput, body: number, timestampDelta: number, offsetDelta: number): number {
  pos = writeVarint(buf, pos, body);
  buf[pos++] = 0;
  pos = writeVarint(buf, pos, timestampDelta);
  pos = writeVarint(buf, pos, offsetDelta);
  pos = writeBytes(buf, pos, r.key);
  pos = writeBytes(buf, pos, r.value);
  const headers = r.headers;
  if (headers === undefined) {
    buf[pos++] = 0;
    return pos;
  }
  pos = writeVarint(buf, pos, headers.length);
  for (let j = 0; j < headers.length; j++) {
    const h = headers[j];
    const klen = Buffer.byteLength(h.key);
    pos = writeVarint(buf, pos, klen);
    pos += buf.write(h.key, pos, klen, 'utf8');
    pos = writeBytes(buf, pos, h.value);
  }
  return pos;
}

function writeBytes(buf: Buffer, pos: number, value: Buffer | null): number {
  if (value === null) {
    buf[pos] = 1; // zigzag(-1)
    return pos + 1;
  }
  const n = value.length;
  pos = writeVarint(buf, pos, n);
  // TypedArray#set costs more than a byte loop for the short keys and values that are common.
  if (n > 32) {
    buf.set(value, pos);
    return pos + n;
  }
  for (let j = 0; j < n; j++) buf[pos + j] = value[j];
  return pos + n;
}

/**
 * Receives each record of a batch as decodeBatchEach reads it, so that a caller building its own
 * record type (the consumer's ConsumerRecord) makes one object per record, not two.
 */
export type RecordVisitor = (
  offset: number,
  timestamp: number,
  timestampType: 'CreateTime' | 'LogAppendTime',
  key: Buffer | null,
  value: Buffer | null,
  headers: RecordHeaderInput[],
) => void;

/** The batch-level result of decodeBatchEach (decodeBatch without the records). */
export interface DecodedBatchHead {
  header: BatchHeader;
  size: number;
  isControl: boolean;
}

/**
 * Decodes the whole batch at `pos`, checking its CRC, every length and the record count. Throws
 * CorruptRecordError naming the batch and the problem. An empty batch (compaction keeps those)
 * decodes to no records.
 */
export function decodeBatch(buf: Buffer, pos = 0): DecodedBatch {
  const records: DecodedRecord[] = [];
  const head = decodeBatchEach(buf, pos, (offset, timestamp, timestampType, key, value, headers) => {
    records.push({ offset, timestamp, timestampType, key, value, headers });
  });
  return { header: head.header, size: head.size, isControl: head.isControl, records };
}

/**
 * decodeBatch, handing each record to `visit` instead of collecting DecodedRecords. The checks
 * are the same; a corrupt record throws after the records before it were visited.
 */
export function decodeBatchEach(buf: Buffer, pos: number, visit: RecordVisitor, checkCrc = true): DecodedBatchHead {
  const size = validateBatchAt(buf, pos, checkCrc);
  const header = readBatchHeader(buf, pos);
  const where = `Record batch at offset ${header.baseOffset} (position ${pos})`;
  const codec = CODEC_NAMES[header.attributes & COMPRESSION_MASK];
  if (codec === undefined) throw new CorruptRecordError(`${where} uses unknown compression type ${header.attributes & COMPRESSION_MASK}.`);
  const isControl = (header.attributes & CONTROL_BIT) !== 0;
  const count = header.recordCount;
  if (count < 0) throw new CorruptRecordError(`${where} has a negative record count ${count}.`);
  if (count === 0) return { header, size, isControl };

  const body = codec === 'none' ? buf.subarray(pos + BATCH_HEADER_SIZE, pos + size) : decompress(codec, buf.subarray(pos + BATCH_HEADER_SIZE, pos + size));
  if (count > body.length / MIN_RECORD_SIZE) {
    throw new CorruptRecordError(`${where} claims ${count} records but holds only ${body.length} bytes of records.`);
  }
  const logAppendTime = (header.attributes & TIMESTAMP_TYPE_BIT) !== 0;
  const timestampType = logAppendTime ? 'LogAppendTime' : 'CreateTime';
  const baseOffset = header.baseOffset;
  const baseTimestamp = header.baseTimestamp;
  const maxTimestamp = header.maxTimestamp;
  const bodyEnd = body.length;
  const reader = new Reader(body, 0, bodyEnd);
  let i = 0;
  try {
    for (; i < count; i++) {
      if (reader.pos >= bodyEnd) throw new CorruptRecordError(`${where} claims ${count} records but its data ends after ${i}.`);
      reader.end = bodyEnd;
      const length = reader.varint();
      if (length < 0) throw new RangeError(`record length ${length} is negative`);
      if (length > bodyEnd - reader.pos) throw new RangeError(`record length ${length} runs past the end of the batch`);
      const end = reader.pos + length;
      reader.end = end;
      reader.int8(); // attributes: unused in v2
      const timestampDelta = reader.varlong();
      const offsetDelta = reader.varint();
      const key = reader.bytes('key');
      const value = reader.bytes('value');
      const headers = readHeaders(reader, end);
      if (reader.pos !== end) throw new RangeError(`record length ${length} does not match its fields (${length - (end - reader.pos)} bytes)`);
      visit(baseOffset + offsetDelta, logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, timestampType, key, value, headers);
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new CorruptRecordError(`${where} is corrupt in record ${i}: ${err.message}.`);
  }
  if (reader.pos !== bodyEnd) {
    throw new CorruptRecordError(`${where} has ${bodyEnd - reader.pos} bytes left after its ${count} records; the record count is wrong.`);
  }
  return { header, size, isControl };
}

function readHeaders(reader: Reader, end: number): RecordHeaderInput[] {
  const headerCount = reader.varint();
  if (headerCount === 0) return NO_HEADERS;
  if (headerCount < 0) throw new RangeError(`header count ${headerCount} is negative`);
  // Each header takes at least 2 bytes, so a count beyond that cannot be real (and must not size an array).
  if (headerCount > (end - reader.pos) / 2) throw new RangeError(`header count ${headerCount} runs past the end of its record`);
  const headers = new Array<RecordHeaderInput>(headerCount);
  for (let h = 0; h < headerCount; h++) {
    const k = reader.bytes('header key');
    if (k === null) throw new RangeError('a header key is null');
    headers[h] = { key: k.toString('utf8'), value: reader.bytes('header value') };
  }
  return headers;
}

/**
 * Every record of every whole batch in `buf`, skipping control batches. A partial batch at the end
 * (fetch responses may end with one) ends the set silently; a whole batch that is corrupt throws.
 */
export function* decodeRecordSet(buf: Buffer): Generator<DecodedRecord> {
  let pos = 0;
  while (buf.length - pos >= LOG_OVERHEAD) {
    const size = batchSizeAt(buf, pos);
    if (size < BATCH_HEADER_SIZE) {
      throw new CorruptRecordError(`Record batch at position ${pos} has invalid length ${size - LOG_OVERHEAD}.`);
    }
    if (size > buf.length - pos) return;
    const batch = decodeBatch(buf, pos);
    if (!batch.isControl) yield* batch.records;
    pos += size;
  }
}
