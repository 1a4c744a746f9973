// Positional decoding of v2 batches, for readers that print records rather than keep them: each
// record is described by one reused view (positions in the batch, or in its decompressed body), so
// a million records cost no object and no Buffer each. It checks what decodeBatchEach checks;
// decodeBatchEach stays a decoder of its own, because building it on this one (a view, then
// Buffers) made poll()'s decoding ~20% slower in bench/codec.
import { CorruptRecordError } from '../../errors.js';
import { CODEC_NAMES, decompress } from './compression.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  CONTROL_BIT,
  OFFSET_ATTRIBUTES,
  OFFSET_BASE_OFFSET,
  OFFSET_LAST_OFFSET_DELTA,
  OFFSET_RECORD_COUNT,
  readInt64,
  validateBatchAt,
} from './header.js';

/** What the decoder fills in for each record; valid only while the record is being visited. */
export interface RecordPositions {
  offset: number;
  /** The bytes the value is in (the batch, or its decompressed records). */
  data: Buffer;
  /** -1: a null value. */
  valueStart: number;
  valueEnd: number;
  /** The offset after the last record whose visit returned (`from` before the first). */
  next: number;
  /** Records whose visit returned (what a reader handed out before a malformed record threw). */
  visited: number;
}

export interface VisitedBatch {
  /** Bytes the whole batch takes in `buf`. */
  size: number;
  /** Offset after the batch's last record. */
  nextOffset: number;
  /** Records handed to the visitor. */
  visited: number;
  /** The offset after the last record visited, or `from` when none was. */
  position: number;
  /** No record of the batch is left to visit. */
  complete: boolean;
}

/** Smallest possible record: length, attributes, two deltas, null key, null value, header count. */
const MIN_RECORD_SIZE = 7;

// The position after the varint just read (one module-level cursor: no object per field).
let at = 0;

function varint(data: Buffer, pos: number, end: number): number {
  if (pos < end) {
    const b = data[pos];
    if (b < 0x80) {
      at = pos + 1;
      return (b >>> 1) ^ -(b & 1);
    }
  }
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) throw new RangeError('a varint runs past the end of its record');
    const b = data[pos++];
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      at = pos;
      return (result >>> 1) ^ -(result & 1);
    }
  }
  throw new RangeError('a varint is longer than 5 bytes');
}

function varlong(data: Buffer, pos: number, end: number): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new RangeError('a varlong runs past the end of its record');
    const b = data[pos++];
    result += (b & 0x7f) * mul;
    if (b < 0x80) {
      at = pos;
      return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
    }
    mul *= 128;
  }
  throw new RangeError('a varlong is longer than 10 bytes');
}

/** Checks length-prefixed bytes at `pos`; returns their start (-1: null) and leaves `at` after them. */
function bytes(data: Buffer, pos: number, end: number, what: string): number {
  const len = varint(data, pos, end);
  if (len === -1) return -1;
  if (len < -1) throw new RangeError(`${what} has negative length ${len}`);
  const start = at;
  if (len > end - start) throw new RangeError(`${what} length ${len} runs past the end of its record`);
  at = start + len;
  return start;
}

/** A batch's frame, checked, and where its records are (decompressed if need be). */
export interface OpenedBatch {
  result: VisitedBatch;
  baseOffset: number;
  count: number;
  where: string;
  /** The records: data[start, end). */
  data: Buffer;
  start: number;
  end: number;
}

/**
 * Checks the frame of the batch at `pos` (and its CRC, with `checkCrc`) and, unless it has no
 * record to visit at or after `from` within `limit`, decompresses its records. Returns the
 * VisitedBatch for a batch with nothing to visit, else the opened batch.
 */
export function openBatch(buf: Buffer, pos: number, from: number, limit: number, checkCrc: boolean): VisitedBatch | OpenedBatch {
  const size = validateBatchAt(buf, pos, checkCrc);
  const attributes = buf.readInt16BE(pos + OFFSET_ATTRIBUTES);
  const baseOffset = readInt64(buf, pos + OFFSET_BASE_OFFSET);
  const count = buf.readInt32BE(pos + OFFSET_RECORD_COUNT);
  const where = `Record batch at offset ${baseOffset} (position ${pos})`;
  const codec = CODEC_NAMES[attributes & COMPRESSION_MASK];
  if (codec === undefined) throw new CorruptRecordError(`${where} uses unknown compression type ${attributes & COMPRESSION_MASK}.`);
  if (count < 0) throw new CorruptRecordError(`${where} has a negative record count ${count}.`);
  const isControl = (attributes & CONTROL_BIT) !== 0;
  const result: VisitedBatch = { size, nextOffset: baseOffset + buf.readInt32BE(pos + OFFSET_LAST_OFFSET_DELTA) + 1, visited: 0, position: from, complete: true };
  if (count === 0 || isControl || result.nextOffset <= from) return result;
  if (limit <= 0) {
    result.complete = false;
    return result;
  }
  let data: Buffer;
  let start: number;
  let end: number;
  if (codec === 'none') {
    data = buf;
    start = pos + BATCH_HEADER_SIZE;
    end = pos + size;
  } else {
    data = decompress(codec, buf.subarray(pos + BATCH_HEADER_SIZE, pos + size));
    start = 0;
    end = data.length;
  }
  if (count > (end - start) / MIN_RECORD_SIZE) {
    throw new CorruptRecordError(`${where} claims ${count} records but holds only ${end - start} bytes of records.`);
  }
  return { result, baseOffset, count, where, data, start, end };
}

/**
 * Visits the records of the batch at `pos` whose offset is >= `from`, at most `limit` of them,
 * filling `view` for each. A control batch visits nothing. Throws CorruptRecordError for a batch
 * that is torn or corrupt: before any visit for a bad frame (or CRC, with `checkCrc`), after the
 * records before it for a malformed record; `view.next` and `view.visited` then tell how far the visits got.
 */
export function visitBatch<V extends RecordPositions>(buf: Buffer, pos: number, from: number, limit: number, view: V, visit: (view: V) => void, checkCrc = true): VisitedBatch {
  view.next = from;
  view.visited = 0;
  const opened = openBatch(buf, pos, from, limit, checkCrc);
  if (!('data' in opened)) return opened;
  const { result, baseOffset, count, where, data, start: p, end: bodyEnd } = opened;
  view.data = data;
  // As Java's consumer does, records before a malformed one are handed out, then the error is
  // thrown (the position stays at the malformed record). A bad CRC refuses the batch before that.
  let q = p;
  let i = 0;
  try {
    for (; i < count; i++) {
      if (q >= bodyEnd) throw new CorruptRecordError(`${where} claims ${count} records but its data ends after ${i}.`);
      const length = varint(data, q, bodyEnd);
      if (length < 0) throw new RangeError(`record length ${length} is negative`);
      const start = at;
      if (length > bodyEnd - start) throw new RangeError(`record length ${length} runs past the end of the batch`);
      const end = start + length;
      if (start >= end) throw new RangeError('a record runs past the end of the batch');
      varlong(data, start + 1, end); // the timestamp delta, after the attributes byte (unused in v2)
      const offsetDelta = varint(data, at, end);
      bytes(data, at, end, 'key');
      const valueStart = bytes(data, at, end, 'value');
      const valueEnd = at;
      skipHeaders(data, at, end);
      if (at !== end) throw new RangeError(`record length ${length} does not match its fields (${length - (end - at)} bytes)`);
      q = end;
      const offset = baseOffset + offsetDelta;
      if (offset < from) continue;
      view.offset = offset;
      view.valueStart = valueStart;
      view.valueEnd = valueEnd;
      visit(view);
      view.next = offset + 1;
      view.visited = ++result.visited;
      result.position = offset + 1;
      if (result.visited >= limit) {
        result.complete = i === count - 1;
        return result;
      }
    }
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw new CorruptRecordError(`${where} is corrupt in record ${i}: ${err.message}.`);
  }
  if (q !== bodyEnd) {
    throw new CorruptRecordError(`${where} has ${bodyEnd - q} bytes left after its ${count} records; the record count is wrong.`);
  }
  return result;
}

function skipHeaders(data: Buffer, pos: number, end: number): void {
  const headerCount = varint(data, pos, end);
  if (headerCount === 0) return;
  if (headerCount < 0) throw new RangeError(`header count ${headerCount} is negative`);
  if (headerCount > (end - at) / 2) throw new RangeError(`header count ${headerCount} runs past the end of its record`);
  for (let h = 0; h < headerCount; h++) {
    if (bytes(data, at, end, 'header key') < 0) throw new RangeError('a header key is null');
    bytes(data, at, end, 'header value');
  }
}
