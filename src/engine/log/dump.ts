// Reading a segment's files as they are on disk, for kafka-dump-log (Kafka's DumpLogSegments): every
// batch of a .log with what its header says and whether its CRC holds, and the entries of an .index
// or .timeindex checked against the .log next to them. Nothing here trusts the files: a torn tail,
// a bad length or garbage ends the walk with one line saying where and why, never an exception.
import { closeSync, fstatSync, openSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CorruptRecordError } from '../../errors.js';
import { decodeBatchEach } from '../record/batch.js';
import { CODEC_NAMES } from '../record/compression.js';
import {
  BATCH_HEADER_SIZE,
  COMPRESSION_MASK,
  CONTROL_BIT,
  LOG_OVERHEAD,
  MAGIC_V2,
  OFFSET_MAGIC,
  TIMESTAMP_TYPE_BIT,
  TRANSACTIONAL_BIT,
  computeBatchCrc,
  readBatchHeader,
  readInt64,
  type BatchHeader,
} from '../record/header.js';
import { LOG_SUFFIX, INDEX_SUFFIX, pread } from './segment.js';

/** Kafka's FileLogInputStream: bytes up to and including the magic byte, and the smallest legal size field (a v0 record). */
const HEADER_SIZE_UP_TO_MAGIC = OFFSET_MAGIC + 1;
const MIN_SIZE_FIELD = 14;
const DELETE_HORIZON_BIT = 0x40;
const INT_MAX = 2147483647;

export interface DumpedRecord {
  offset: number;
  timestamp: number;
  keySize: number;
  valueSize: number;
  sequence: number;
  headerKeys: string[];
  key: Buffer | null;
  value: Buffer | null;
}

export interface DumpedBatch {
  /** Byte position in the file. */
  position: number;
  header: BatchHeader;
  /** Bytes the batch takes (LOG_OVERHEAD + batchLength). */
  size: number;
  crcValid: boolean;
  /** null: an unknown compression id (the records cannot be read). */
  compression: string | null;
  timestampType: 'CreateTime' | 'LogAppendTime';
  isTransactional: boolean;
  isControl: boolean;
  /** The base timestamp when the batch carries a delete horizon (compaction), else null. */
  deleteHorizonMs: number | null;
  lastSequence: number;
  /** With deep iteration: the records decoded (those before a corrupt one). */
  records?: DumpedRecord[];
  /** With deep iteration: why the records could not all be read. */
  recordsError?: string;
}

export type LogDumpItem =
  | { kind: 'batch'; batch: DumpedBatch }
  /** The walk stopped (or a batch was skipped) here: one line saying where and why. */
  | { kind: 'problem'; message: string }
  /** Bytes after the last whole batch that is no batch (a torn tail or garbage), within the range read. */
  | { kind: 'end'; trailingBytes: number };

/** Kafka's DefaultRecordBatch.incrementSequence: sequences wrap at Integer.MAX_VALUE. */
export function incrementSequence(sequence: number, increment: number): number {
  if (sequence > INT_MAX - increment) return increment - (INT_MAX - sequence) - 1;
  return sequence + increment;
}

/** The base offset a segment file's name gives (`00000000000000000042.log` -> 42). */
export function baseOffsetOf(path: string): number {
  const name = basename(path);
  const stem = name.slice(0, name.indexOf('.') < 0 ? name.length : name.indexOf('.'));
  return /^\d+$/.test(stem) ? Number(stem) : NaN;
}

function describeBatch(buf: Buffer, position: number, size: number, deep: boolean): DumpedBatch {
  const header = readBatchHeader(buf, 0);
  const attributes = header.attributes;
  const compression = CODEC_NAMES[attributes & COMPRESSION_MASK] ?? null;
  const batch: DumpedBatch = {
    position,
    header,
    size,
    crcValid: computeBatchCrc(buf, 0, size) === header.crc,
    compression,
    timestampType: attributes & TIMESTAMP_TYPE_BIT ? 'LogAppendTime' : 'CreateTime',
    isTransactional: (attributes & TRANSACTIONAL_BIT) !== 0,
    isControl: (attributes & CONTROL_BIT) !== 0,
    deleteHorizonMs: attributes & DELETE_HORIZON_BIT ? header.baseTimestamp : null,
    lastSequence: header.baseSequence === -1 ? -1 : incrementSequence(header.baseSequence, header.lastOffsetDelta),
  };
  if (!deep) return batch;
  const records: DumpedRecord[] = [];
  batch.records = records;
  if (compression === null) {
    batch.recordsError = `Record batch at offset ${header.baseOffset} (position ${position}) uses unknown compression type id ${attributes & COMPRESSION_MASK}.`;
    return batch;
  }
  try {
    // The CRC is reported on the batch line; the records are read whatever it says, as Kafka does.
    decodeBatchEach(
      buf,
      0,
      (offset, timestamp, _type, key, value, headers) => {
        records.push({
          offset,
          timestamp,
          keySize: key === null ? -1 : key.length,
          valueSize: value === null ? -1 : value.length,
          sequence: header.baseSequence === -1 ? -1 : incrementSequence(header.baseSequence, offset - header.baseOffset),
          headerKeys: headers.map((h) => h.key),
          key,
          value,
        });
      },
      false,
    );
  } catch (err) {
    if (!(err instanceof CorruptRecordError)) throw err;
    batch.recordsError = err.message.replace(/\(position 0\)/, `(position ${position})`);
  }
  return batch;
}

/**
 * Every batch of a .log (or of its first `maxBytes` bytes), in file order, then an 'end' item.
 * As Kafka's FileRecords does, the walk ends quietly at a batch that does not fit in what is left
 * (reported as trailing bytes); a size field too small to be a batch is reported as a problem.
 */
export function* dumpLogFile(path: string, options: { deep: boolean; maxBytes: number }): Generator<LogDumpItem> {
  const fd = openSync(path, 'r');
  try {
    const end = Math.min(fstatSync(fd).size, options.maxBytes);
    let position = 0;
    while (position < end - HEADER_SIZE_UP_TO_MAGIC) {
      const head = pread(fd, position, HEADER_SIZE_UP_TO_MAGIC);
      const sizeField = head.readInt32BE(8);
      if (sizeField < MIN_SIZE_FIELD) {
        yield { kind: 'problem', message: `Found record size ${sizeField} smaller than minimum record overhead (${MIN_SIZE_FIELD}) at position ${position} in file ${path}.` };
        break;
      }
      if (position > end - LOG_OVERHEAD - sizeField) break;
      const size = LOG_OVERHEAD + sizeField;
      const magic = head.readInt8(OFFSET_MAGIC);
      if (magic !== MAGIC_V2) {
        yield { kind: 'problem', message: `Record batch at position ${position} (offset ${readInt64(head, 0)}) has magic ${magic}: kafkit reads only v2 batches (magic 2), so the rest of ${path} is not dumped.` };
        break;
      }
      if (size < BATCH_HEADER_SIZE) {
        yield { kind: 'problem', message: `Record batch at position ${position} has size ${size}, smaller than a v2 batch header (${BATCH_HEADER_SIZE} bytes), in file ${path}.` };
        break;
      }
      yield { kind: 'batch', batch: describeBatch(pread(fd, position, size), position, size, options.deep) };
      position += size;
    }
    yield { kind: 'end', trailingBytes: end - position };
  } finally {
    closeSync(fd);
  }
}

// ---- indexes ----------------------------------------------------------------------------------

export interface IndexEntry {
  offset: number;
  /** Byte position (.index) or timestamp (.timeindex). */
  value: number;
}

/** The raw entries of an index file: Kafka reads length / width of them, whatever they hold. */
function readIndexEntries(path: string, width: 8 | 12, base: number): { entries: IndexEntry[]; length: number } {
  const fd = openSync(path, 'r');
  try {
    const length = fstatSync(fd).size;
    const buf = pread(fd, 0, length - (length % width));
    const entries: IndexEntry[] = [];
    for (let p = 0; p + width <= buf.length; p += width) {
      entries.push(width === 8 ? { offset: base + buf.readInt32BE(p), value: buf.readInt32BE(p + 4) } : { offset: base + buf.readInt32BE(p + 8), value: readInt64(buf, p) });
    }
    return { entries, length };
  } finally {
    closeSync(fd);
  }
}

/** How many entries an .index (width 8) or .timeindex (width 12) holds, as Kafka counts them. */
export function indexEntryCount(path: string, width: 8 | 12): number {
  const fd = openSync(path, 'r');
  try {
    return Math.floor(fstatSync(fd).size / width);
  } finally {
    closeSync(fd);
  }
}

function siblingLog(path: string): string {
  const name = basename(path);
  return join(dirname(path), `${name.split('.')[0]}${LOG_SUFFIX}`);
}

/** The first batch at or after `position` in the .log, by header only; null when none is whole. */
function batchAt(fd: number, position: number, size: number): { lastOffset: number; size: number } | null {
  if (position < 0 || position + BATCH_HEADER_SIZE > size) return null;
  const head = pread(fd, position, BATCH_HEADER_SIZE);
  const batchSize = LOG_OVERHEAD + head.readInt32BE(8);
  if (batchSize < BATCH_HEADER_SIZE || position + batchSize > size) return null;
  return { lastOffset: readInt64(head, 0) + head.readInt32BE(23), size: batchSize };
}

export interface OffsetIndexDump {
  /** The entries up to the first zero entry (a crash leaves those in a sparse file). */
  entries: Array<{ offset: number; position: number }>;
  /** Entries whose position does not start a batch ending at their offset (-1: no batch there). */
  mismatches: Array<{ indexOffset: number; logOffset: number }>;
}

/** Kafka's OffsetIndex.sanityCheck: the reason the broker would rebuild the index, or null. */
export function offsetIndexSanity(path: string): string | null {
  const base = baseOffsetOf(path);
  const { entries, length } = readIndexEntries(path, 8, base);
  const last = entries.length > 0 ? entries[entries.length - 1].offset : base;
  if (entries.length !== 0 && last < base) {
    return `Corrupt index found, index file (${resolve(path)}) has non-zero size but the last offset is ${last} which is less than the base offset ${base}`;
  }
  if (length % 8 !== 0) return `Index file ${resolve(path)} is corrupt, found ${length} bytes which is neither positive nor a multiple of 8`;
  return null;
}

export function dumpOffsetIndex(path: string): OffsetIndexDump {
  const base = baseOffsetOf(path);
  const { entries } = readIndexEntries(path, 8, base);
  const out: OffsetIndexDump = { entries: [], mismatches: [] };
  if (entries.length === 0) return out;
  const fd = openSync(siblingLog(path), 'r');
  try {
    const size = fstatSync(fd).size;
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e.offset === base && i > 0) break;
      const b = batchAt(fd, e.value, size);
      if (!b || b.lastOffset !== e.offset) out.mismatches.push({ indexOffset: e.offset, logOffset: b ? b.lastOffset : -1 });
      out.entries.push({ offset: e.offset, position: e.value });
    }
  } finally {
    closeSync(fd);
  }
  return out;
}

export interface TimeIndexDump {
  entries: Array<{ timestamp: number; offset: number }>;
  /** Index timestamp vs the largest record timestamp of the batch it names. */
  timestampMismatches: Array<{ indexTimestamp: number; logTimestamp: number }>;
  outOfOrder: Array<{ indexTimestamp: number; previousTimestamp: number }>;
  /** Indexed offsets with no batch ending there: the last offset of the batch found instead, -1 for none. */
  offsetsNotFound: Array<{ indexOffset: number; logOffset: number }>;
}

/** Kafka's TimeIndex.sanityCheck. */
export function timeIndexSanity(path: string): string | null {
  const base = baseOffsetOf(path);
  const { entries, length } = readIndexEntries(path, 12, base);
  if (entries.length !== 0) {
    const first = entries[0].value;
    const last = entries[entries.length - 1];
    if (last.value < first) {
      return `Corrupt time index found, time index file (${resolve(path)}) has non-zero size but the last timestamp is ${last.value} which is less than the first timestamp ${first}`;
    }
    if (last.offset < base) {
      return `Corrupt time index found, time index file (${resolve(path)}) has non-zero size but the last offset is ${last.offset} which is less than the first offset ${base}`;
    }
  }
  if (length % 12 !== 0) return `Time index file ${resolve(path)} is corrupt, found ${length} bytes which is neither positive nor a multiple of 12`;
  return null;
}

/** OffsetIndex.lookup: the position of the last entry at or below `offset`, else the segment's start. */
function lookupPosition(index: IndexEntry[], offset: number): number {
  let lo = 0;
  let hi = index.length - 1;
  let position = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (index[mid].offset <= offset) {
      position = index[mid].value;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return position;
}

export function dumpTimeIndex(path: string): TimeIndexDump {
  const base = baseOffsetOf(path);
  const { entries } = readIndexEntries(path, 12, base);
  const out: TimeIndexDump = { entries: [], timestampMismatches: [], outOfOrder: [], offsetsNotFound: [] };
  let offsetIndex: IndexEntry[] = [];
  try {
    offsetIndex = readIndexEntries(join(dirname(path), `${basename(path).split('.')[0]}${INDEX_SUFFIX}`), 8, base).entries;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const fd = openSync(siblingLog(path), 'r');
  try {
    const size = fstatSync(fd).size;
    let previous = -1;
    for (let i = 0; i < entries.length; i++) {
      const { offset, value: timestamp } = entries[i];
      if (offset === base && i > 0) break;
      const position = lookupPosition(offsetIndex, offset);
      let found: { position: number; lastOffset: number; size: number } | null = null;
      for (let p = position, b = batchAt(fd, p, size); b; p += b.size, b = batchAt(fd, p, size)) {
        if (b.lastOffset >= offset) {
          found = { position: p, ...b };
          break;
        }
      }
      if (!found) out.offsetsNotFound.push({ indexOffset: offset, logOffset: -1 });
      else if (found.lastOffset !== offset) out.offsetsNotFound.push({ indexOffset: offset, logOffset: found.lastOffset });
      else {
        let max = -1;
        try {
          decodeBatchEach(pread(fd, found.position, found.size), 0, (_o, ts) => (max = Math.max(max, ts)), false);
        } catch (err) {
          if (!(err instanceof CorruptRecordError)) throw err;
        }
        if (max !== timestamp) out.timestampMismatches.push({ indexTimestamp: timestamp, logTimestamp: max });
        if (previous >= timestamp) out.outOfOrder.push({ indexTimestamp: timestamp, previousTimestamp: previous });
      }
      out.entries.push({ timestamp, offset });
      previous = timestamp;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
