// kafka-dump-log (Kafka's DumpLogSegments): prints what a segment's .log, .index and .timeindex hold,
// read straight from the files (no cluster, no data dir). The reading is src/engine/log/dump.ts.
import { basename, resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { dumpLogFile, dumpOffsetIndex, dumpTimeIndex, indexEntryCount, offsetIndexSanity, timeIndexSanity, baseOffsetOf, type OffsetIndexDump, type TimeIndexDump } from '../engine/log/dump.js';
import {
  formatBatchLine,
  formatIndexMismatches,
  formatNonConsecutive,
  formatOffsetIndexEntries,
  formatRecordLine,
  formatTimeIndexEntries,
  formatTimeIndexErrors,
  formatTrailingBytes,
} from '../format/dump-log.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';

const DECODER_HELP = 'If set, used to deserialize the messages. This class should implement org.apache.kafka.tools.api.Decoder trait. Custom jar should be available in kafka/libs directory.';

export const tool: ToolSpec = {
  name: 'kafka-dump-log',
  description: 'This tool helps to parse a log file and dump its contents to the console, useful for debugging a seemingly corrupt log segment.',
  options: {
    'print-data-log': { type: 'boolean', describe: 'If set, printing the messages content when dumping data logs. Automatically set if any decoder option is specified.' },
    'verify-index-only': { type: 'boolean', describe: 'If set, just verify the index log without printing its content.' },
    'index-sanity-check': { type: 'boolean', describe: 'If set, just checks the index sanity without printing its content. This is the same check that is executed on broker startup to determine if an index needs rebuilding or not.' },
    files: { type: 'string', arg: 'file1, file2, ...', describe: 'REQUIRED: The comma separated list of data and index log files to be dumped.' },
    'max-message-size': { type: 'number', arg: 'size', describe: 'Size of largest message.', defaultDescription: '5242880' },
    'max-bytes': { type: 'number', arg: 'size', describe: 'Limit the amount of total batches read in bytes avoiding reading the whole .log file(s).', defaultDescription: '2147483647' },
    'deep-iteration': { type: 'boolean', describe: 'If set, uses deep instead of shallow iteration. Automatically set if print-data-log is enabled.' },
    'value-decoder-class': { type: 'string', arg: 'class', optionalValue: true, describe: DECODER_HELP, defaultDescription: 'org.apache.kafka.tools.api.StringDecoder' },
    'key-decoder-class': { type: 'string', arg: 'class', optionalValue: true, describe: DECODER_HELP.replace('the messages', 'the keys'), defaultDescription: 'org.apache.kafka.tools.api.StringDecoder' },
    'skip-record-metadata': { type: 'boolean', describe: 'Whether to skip printing metadata for each record.' },
  },
};

const INT_MAX = 2147483647;
// Kafka's StringDecoder under its 4.x name and its old Scala name: kafkit decodes UTF-8 only.
const STRING_DECODERS = new Set(['', 'org.apache.kafka.tools.api.StringDecoder', 'kafka.serializer.StringDecoder']);
// Files Kafka's tool reads that the embedded engine never writes.
const NOT_DUMPED = new Set(['.snapshot', '.txnindex', '.checkpoint']);

interface Options {
  printData: boolean;
  deep: boolean;
  skipMetadata: boolean;
  verifyOnly: boolean;
  sanityOnly: boolean;
  maxBytes: number;
}

function options(args: ParsedArgs): Options {
  for (const opt of ['value-decoder-class', 'key-decoder-class']) {
    const cls = args[opt];
    if (typeof cls === 'string' && !STRING_DECODERS.has(cls)) {
      throw new UsageError(`--${opt} ${cls} is not available: kafkit decodes keys and values as UTF-8 strings only (org.apache.kafka.tools.api.StringDecoder).`);
    }
  }
  const printData = Boolean(args['print-data-log'] || args['value-decoder-class'] !== undefined || args['key-decoder-class'] !== undefined);
  const maxBytes = (args['max-bytes'] as number | undefined) ?? INT_MAX;
  if (maxBytes < 0) throw new UsageError(`--max-bytes must not be negative: ${maxBytes}`);
  return {
    printData,
    deep: Boolean(args['deep-iteration']) || printData,
    skipMetadata: Boolean(args['skip-record-metadata']),
    verifyOnly: Boolean(args['verify-index-only']),
    sanityOnly: Boolean(args['index-sanity-check']),
    maxBytes,
  };
}

/** What is printed on stderr after all files, in Kafka's order. */
interface Findings {
  indexMismatches: Array<[string, OffsetIndexDump['mismatches']]>;
  timeIndexes: Array<[string, TimeIndexDump]>;
  nonConsecutive: Array<[string, Array<[number, number]>]>;
  /** Something Kafka's tool would have died of: the exit code is 1. */
  failed: boolean;
}

async function dumpLog(file: string, o: Options, io: CommandIO, found: Findings): Promise<void> {
  await write(io.stdout, `Log starting offset: ${baseOffsetOf(file)}\n`);
  const pairs: Array<[number, number]> = [];
  let last = -1;
  let out = '';
  for (const item of dumpLogFile(file, { deep: o.deep, maxBytes: o.maxBytes })) {
    if (item.kind === 'problem') {
      await write(io.stdout, out);
      out = '';
      await write(io.stderr, `${item.message}\n`);
      found.failed = true;
      continue;
    }
    if (item.kind === 'end') {
      if (item.trailingBytes > 0 && o.maxBytes === INT_MAX) out += formatTrailingBytes(item.trailingBytes, basename(file));
      continue;
    }
    const b = item.batch;
    out += formatBatchLine(b);
    for (const r of b.records ?? []) {
      if (last !== -1 && r.offset !== last + 1) pairs.push([last, r.offset]);
      last = r.offset;
      out += formatRecordLine(r, b, o);
    }
    if (b.recordsError) {
      await write(io.stdout, out);
      out = '';
      await write(io.stderr, `${b.recordsError}\n`);
      found.failed = true;
    }
    if (out.length > 1 << 16) {
      await write(io.stdout, out);
      out = '';
    }
  }
  await write(io.stdout, out);
  if (pairs.length > 0) found.nonConsecutive.push([resolve(file), pairs]);
}

async function dumpIndex(file: string, o: Options, io: CommandIO, found: Findings): Promise<void> {
  if (indexEntryCount(file, 8) === 0) return write(io.stdout, `${file} is empty.\n`);
  if (o.sanityOnly) return sanity(offsetIndexSanity(file), file, io, found);
  const dump = dumpOffsetIndex(file);
  if (dump.mismatches.length > 0) found.indexMismatches.push([resolve(file), dump.mismatches]);
  if (!o.verifyOnly) await write(io.stdout, formatOffsetIndexEntries(dump));
}

async function dumpTimeIndexFile(file: string, o: Options, io: CommandIO, found: Findings): Promise<void> {
  if (o.sanityOnly) return sanity(timeIndexSanity(file), file, io, found);
  const dump = dumpTimeIndex(file);
  found.timeIndexes.push([resolve(file), dump]);
  if (!o.verifyOnly) await write(io.stdout, formatTimeIndexEntries(dump));
}

async function sanity(problem: string | null, file: string, io: CommandIO, found: Findings): Promise<void> {
  if (problem === null) return write(io.stdout, `${file} passed sanity check.\n`);
  found.failed = true;
  return write(io.stderr, `${problem}\n`);
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  if (typeof args.files !== 'string') throw new UsageError('Missing required argument "[files]"');
  const o = options(args);
  const found: Findings = { indexMismatches: [], timeIndexes: [], nonConsecutive: [], failed: false };
  for (const file of args.files.split(',')) {
    await write(io.stdout, `Dumping ${file}\n`);
    const dot = basename(file).lastIndexOf('.');
    const suffix = dot < 0 ? '' : basename(file).slice(dot);
    const known = suffix === '.log' || suffix === '.index' || suffix === '.timeindex';
    if (known && Number.isNaN(baseOffsetOf(file))) {
      // Kafka's tool dies of a NumberFormatException here.
      await write(io.stderr, `Cannot dump ${file}: a segment file's name is its base offset (e.g. 00000000000000000000${suffix}).\n`);
      found.failed = true;
      continue;
    }
    try {
      if (suffix === '.log') await dumpLog(file, o, io, found);
      else if (suffix === '.index') await dumpIndex(file, o, io, found);
      else if (suffix === '.timeindex') await dumpTimeIndexFile(file, o, io, found);
      else if (NOT_DUMPED.has(suffix)) {
        await write(io.stderr, `kafkit cannot dump ${suffix} files (its engine writes none): only .log, .index and .timeindex.\n`);
        found.failed = true;
      } else await write(io.stderr, `Ignoring unknown file ${file}\n`);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      if (!e.code) throw err;
      const reason = e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : e.message;
      await write(io.stderr, `Cannot read ${e.path ?? file}: ${reason}.\n`);
      found.failed = true;
    }
  }
  let report = '';
  for (const [path, m] of found.indexMismatches) report += formatIndexMismatches(path, m);
  report += formatTimeIndexErrors(found.timeIndexes);
  for (const [path, pairs] of found.nonConsecutive) report += formatNonConsecutive(path, pairs);
  if (report) await write(io.stderr, report);
  return found.failed ? 1 : 0;
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
