// Kafka's LogValidator for a batch a client produced: a valid CRC only proves the bytes arrived as
// sent, not that the records inside are whole. A batch that claims a 1 GB value, more or fewer
// records than it holds, or offsets out of order would otherwise be stored, and then stop every
// reader at it. Batches built in this process (BatchBuilder) are correct by construction and skip
// this walk; everything built elsewhere goes through it before it reaches a log.
//
// Codes as Kafka answers them: a batch whose bytes are damaged (length, magic, CRC, compressed
// data that cannot be inflated within MAX_DECOMPRESSED_BYTES) is CORRUPT_MESSAGE; one whose bytes
// are intact but whose records or counts are inconsistent is INVALID_RECORD.
import { CorruptRecordError, InvalidRecordError } from '../../errors.js';
import { CODEC_NAMES, decompress } from './compression.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  CONTROL_BIT,
  readBatchHeader,
  validateBatchAt,
} from './header.js';
import { Reader } from './varint.js';

/** Smallest possible record: length, attributes, two deltas, null key, null value, header count. */
const MIN_RECORD_SIZE = 7;

/**
 * Checks the one batch at `pos` record by record, as a broker does before appending a client's
 * batch, and returns its size. `tp` (e.g. `orders-0`) names the partition in the error.
 */
export function validateProducedBatch(buf: Buffer, pos: number, tp: string): number {
  let size: number;
  try {
    size = validateBatchAt(buf, pos, true);
  } catch (err) {
    throw new CorruptRecordError(`${(err as Error).message.replace(/\.$/, '')} in topic partition ${tp}.`);
  }
  const h = readBatchHeader(buf, pos);
  const codec = CODEC_NAMES[h.attributes & COMPRESSION_MASK];
  if (codec === undefined) throw new CorruptRecordError(`Record batch uses unknown compression type ${h.attributes & COMPRESSION_MASK} in topic partition ${tp}.`);
  const invalid = (why: string) => new InvalidRecordError(`${why} in topic partition ${tp}.`);
  if ((h.attributes & CONTROL_BIT) !== 0) throw invalid('Clients are not allowed to write control records');
  if (h.lastOffsetDelta < 0) throw invalid(`Batch has an invalid offset range: [${h.baseOffset}, ${h.baseOffset + h.lastOffsetDelta}]`);
  if (h.recordCount <= 0) throw invalid(`Invalid reported count for record batch: ${h.recordCount}`);
  if (h.lastOffsetDelta + 1 !== h.recordCount) {
    throw invalid(`Inconsistent batch offset range [${h.baseOffset}, ${h.baseOffset + h.lastOffsetDelta}] and count of records ${h.recordCount}`);
  }
  if (h.producerId >= 0 && h.baseSequence < 0) throw invalid(`Invalid sequence number ${h.baseSequence} in record batch with producerId ${h.producerId}`);

  let body: Buffer;
  try {
    body = decompress(codec, buf.subarray(pos + BATCH_HEADER_SIZE, pos + size));
  } catch (err) {
    throw new CorruptRecordError(`${(err as Error).message.replace(/\.$/, '')} (topic partition ${tp}).`);
  }
  if (h.recordCount > body.length / MIN_RECORD_SIZE) throw invalid(`Record batch claims ${h.recordCount} records but holds only ${body.length} bytes of records`);
  const r = new Reader(body, 0, body.length);
  let i = 0;
  try {
    for (; i < h.recordCount; i++) checkRecord(r, body.length, i);
  } catch (err) {
    if (!(err instanceof RangeError)) throw err;
    throw invalid(`Record ${i} of a batch of ${h.recordCount} is invalid: ${err.message}`);
  }
  if (r.pos !== body.length) throw invalid(`Record batch has ${body.length - r.pos} bytes after its ${h.recordCount} records: the record count is wrong`);
  return size;
}

/** One record at r.pos; RangeError names what is wrong. A producer numbers its records 0, 1, 2, ... */
function checkRecord(r: Reader, bodyEnd: number, index: number): void {
  r.end = bodyEnd;
  if (r.pos >= bodyEnd) throw new RangeError('the batch data ends before it');
  const length = r.varint();
  if (length < MIN_RECORD_SIZE - 1) throw new RangeError(`record length ${length} is too small`);
  if (length > bodyEnd - r.pos) throw new RangeError(`record length ${length} runs past the end of the batch`);
  const end = r.pos + length;
  r.end = end;
  r.int8(); // attributes: unused in v2
  r.varlong(); // timestamp delta: any value is a valid delta
  const offsetDelta = r.varint();
  if (offsetDelta !== index) throw new RangeError(`offset delta ${offsetDelta} should be ${index} (records must be numbered in order from 0)`);
  r.bytes('key');
  r.bytes('value');
  const headers = r.varint();
  if (headers < 0) throw new RangeError(`header count ${headers} is negative`);
  if (headers > (end - r.pos) / 2) throw new RangeError(`header count ${headers} runs past the end of its record`);
  for (let k = 0; k < headers; k++) {
    if (r.bytes('header key') === null) throw new RangeError('a header key is null');
    r.bytes('header value');
  }
  if (r.pos !== end) throw new RangeError(`record length ${length} does not match its fields (${length - (end - r.pos)} bytes)`);
}

/** validateProducedBatch over every batch of a record set (an embedded append may carry several). */
export function validateProducedBatches(buf: Buffer, tp: string): void {
  for (let pos = 0; pos < buf.length; ) pos += validateProducedBatch(buf, pos, tp);
}
