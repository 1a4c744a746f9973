// kafka-dump-log output, byte for byte as Kafka 4.1's DumpLogSegments prints it.
import type { DumpedBatch, DumpedRecord, OffsetIndexDump, TimeIndexDump } from '../engine/log/dump.js';

/** The batch line (Kafka's printBatchLevel for a v2 batch). */
export function formatBatchLine(b: DumpedBatch): string {
  const h = b.header;
  const horizon = b.deleteHorizonMs === null ? 'OptionalLong.empty' : `OptionalLong[${b.deleteHorizonMs}]`;
  const codec = b.compression ?? `unknown(${h.attributes & 0x07})`;
  return (
    `baseOffset: ${h.baseOffset} lastOffset: ${h.baseOffset + h.lastOffsetDelta} count: ${h.recordCount}` +
    ` baseSequence: ${h.baseSequence} lastSequence: ${b.lastSequence} producerId: ${h.producerId} producerEpoch: ${h.producerEpoch}` +
    ` partitionLeaderEpoch: ${h.partitionLeaderEpoch} isTransactional: ${b.isTransactional} isControl: ${b.isControl} deleteHorizonMs: ${horizon}` +
    ` position: ${b.position} ${b.timestampType}: ${h.maxTimestamp} size: ${b.size} magic: ${h.magic} compresscodec: ${codec} crc: ${h.crc} isvalid: ${b.crcValid}\n`
  );
}

const CONTROL_TYPES = ['ABORT', 'COMMIT', 'SNAPSHOT_HEADER', 'SNAPSHOT_FOOTER', 'KRAFT_VERSION', 'KRAFT_VOTERS'];

/** What Kafka prints after a control record's metadata: the transaction marker, else the control type. */
function controlText(r: DumpedRecord): string {
  const type = r.key && r.key.length >= 4 ? r.key.readInt16BE(2) : -1;
  if ((type === 0 || type === 1) && r.value && r.value.length >= 6) {
    return ` endTxnMarker: ${CONTROL_TYPES[type]} coordinatorEpoch: ${r.value.readInt32BE(2)}`;
  }
  return ` controlType: ${CONTROL_TYPES[type] ?? 'UNKNOWN'}(${type})`;
}

export interface RecordLineOptions {
  printData: boolean;
  skipMetadata: boolean;
}

/** A record line of --deep-iteration / --print-data-log, keys and values decoded as UTF-8 (StringDecoder). */
export function formatRecordLine(r: DumpedRecord, b: DumpedBatch, options: RecordLineOptions): string {
  let line = '';
  let prefix = '| ';
  if (!options.skipMetadata) {
    line += `${prefix}offset: ${r.offset} ${b.timestampType}: ${r.timestamp} keySize: ${r.keySize} valueSize: ${r.valueSize}`;
    line += ` sequence: ${r.sequence} headerKeys: [${r.headerKeys.join(',')}]`;
    prefix = ' ';
    if (b.isControl) line += controlText(r);
  }
  if (options.printData && !b.isControl) {
    if (r.key !== null) {
      line += `${prefix}key: ${r.key.toString('utf8')}`;
      prefix = ' ';
    }
    if (r.value !== null) line += ` payload: ${r.value.toString('utf8')}`;
  }
  return `${line}\n`;
}

export function formatTrailingBytes(count: number, fileName: string): string {
  return `Found ${count} invalid bytes at the end of ${fileName}\n`;
}

export function formatOffsetIndexEntries(dump: OffsetIndexDump): string {
  return dump.entries.map((e) => `offset: ${e.offset} position: ${e.position}\n`).join('');
}

export function formatTimeIndexEntries(dump: TimeIndexDump): string {
  return dump.entries.map((e) => `timestamp: ${e.timestamp} offset: ${e.offset}\n`).join('');
}

// What Kafka prints on stderr after all files, per file (absolute path). Kafka collects the offset
// index mismatches and the non-consecutive offsets by prepending to a list, so they come out last first.

export function formatIndexMismatches(absolutePath: string, mismatches: OffsetIndexDump['mismatches']): string {
  if (mismatches.length === 0) return '';
  return `Mismatches in :${absolutePath}\n${[...mismatches].reverse().map((m) => `  Index offset: ${m.indexOffset}, log offset: ${m.logOffset}\n`).join('')}`;
}

/** Kafka's TimeIndexDumpErrors.printErrors: each kind of error for every file, then the next kind. */
export function formatTimeIndexErrors(dumps: Array<[absolutePath: string, dump: TimeIndexDump]>): string {
  let out = '';
  for (const [path, d] of dumps) {
    if (d.timestampMismatches.length === 0) continue;
    out += `Found timestamp mismatch in :${path}\n`;
    for (const m of d.timestampMismatches) out += `  Index timestamp: ${m.indexTimestamp}, log timestamp: ${m.logTimestamp}\n`;
  }
  for (const [path, d] of dumps) {
    if (d.outOfOrder.length === 0) continue;
    out += `Found out of order timestamp in :${path}\n`;
    for (const m of d.outOfOrder) out += `  Index timestamp: ${m.indexTimestamp}, Previously indexed timestamp: ${m.previousTimestamp}\n`;
  }
  for (const [, d] of dumps) {
    if (d.offsetsNotFound.length === 0) continue;
    out += 'The following indexed offsets are not found in the log.\n';
    for (const m of d.offsetsNotFound) out += `Indexed offset: ${m.indexOffset}, found log offset: ${m.logOffset}\n`;
  }
  return out;
}

export function formatNonConsecutive(absolutePath: string, pairs: Array<[number, number]>): string {
  if (pairs.length === 0) return '';
  return `Non-consecutive offsets in ${absolutePath}\n${[...pairs].reverse().map(([a, b]) => `  ${a} is followed by ${b}\n`).join('')}`;
}
