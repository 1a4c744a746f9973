// Kafka's LineMessageReader: turns one input line into a record, with its properties, its checks
// and its error texts (reference §2.2).
import type { RecordHeader } from '../client/types.js';
import { InvalidRecordError, UsageError } from '../errors.js';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  headersSeparator: RegExp;
  headersKeySeparator: string;
  nullMarker: string | undefined;
  ignoreError: boolean;
}

export interface ParsedLine {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

const isTrue = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === 'true';

/** Builds the reader's config from reader properties, refusing the combinations Kafka refuses. */
export function lineReaderConfig(props: Record<string, string>): LineReaderConfig {
  const keySeparator = props['key.separator'] ?? '\t';
  const headersDelimiter = props['headers.delimiter'] ?? '\t';
  const headersSeparatorText = props['headers.separator'] ?? ',';
  const headersKeySeparator = props['headers.key.separator'] ?? ':';
  const nullMarker = props['null.marker'];
  const pairs: Array<[string, string, string, string]> = [
    ['headers.delimiter', headersDelimiter, 'headers.separator', headersSeparatorText],
    ['headers.delimiter', headersDelimiter, 'headers.key.separator', headersKeySeparator],
    ['headers.separator', headersSeparatorText, 'headers.key.separator', headersKeySeparator],
  ];
  if (nullMarker !== undefined) {
    pairs.push(
      ['null.marker', nullMarker, 'key.separator', keySeparator],
      ['null.marker', nullMarker, 'headers.separator', headersSeparatorText],
      ['null.marker', nullMarker, 'headers.delimiter', headersDelimiter],
      ['null.marker', nullMarker, 'headers.key.separator', headersKeySeparator],
    );
  }
  for (const [a, av, b, bv] of pairs) if (av === bv) throw new UsageError(`${a} and ${b} may not be equal`);
  let headersSeparator: RegExp;
  try {
    // headers.separator is a Java regex in Kafka.
    headersSeparator = new RegExp(headersSeparatorText);
  } catch (err) {
    throw new UsageError(`Invalid headers.separator regular expression '${headersSeparatorText}': ${(err as Error).message}`);
  }
  return {
    parseKey: isTrue(props['parse.key']),
    keySeparator,
    parseHeaders: isTrue(props['parse.headers']),
    headersDelimiter,
    headersSeparator,
    headersKeySeparator,
    nullMarker,
    ignoreError: isTrue(props['ignore.error']),
  };
}

/** Java's String.split: trailing empty strings are dropped (but a wholly empty input gives ['']). */
function javaSplit(text: string, re: RegExp): string[] {
  if (text === '') return [''];
  const parts = text.split(re);
  while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

export function parseLine(cfg: LineReaderConfig, line: string, lineNumber: number): ParsedLine {
  let pos = 0;
  let headers: RecordHeader[] = [];
  const toBytes = (s: string | null) => (s === null || s === cfg.nullMarker ? null : Buffer.from(s, 'utf8'));
  if (cfg.parseHeaders) {
    const at = line.indexOf(cfg.headersDelimiter);
    if (at < 0) {
      if (!cfg.ignoreError) throw new InvalidRecordError(`No headers delimiter found on line number ${lineNumber}: '${line}'`);
    } else {
      headers = parseHeaders(cfg, line.slice(0, at), lineNumber);
      pos = at + cfg.headersDelimiter.length;
    }
  }
  if (cfg.parseKey) {
    const at = line.indexOf(cfg.keySeparator, pos);
    if (at < 0) {
      if (!cfg.ignoreError) throw new InvalidRecordError(`No key separator found on line number ${lineNumber}: '${line}'`);
      return { key: null, value: toBytes(line.slice(pos)), headers };
    }
    return { key: toBytes(line.slice(pos, at)), value: toBytes(line.slice(at + cfg.keySeparator.length)), headers };
  }
  return { key: null, value: toBytes(line.slice(pos)), headers };
}

function parseHeaders(cfg: LineReaderConfig, block: string, lineNumber: number): RecordHeader[] {
  if (cfg.nullMarker !== undefined && block === cfg.nullMarker) return [];
  return javaSplit(block, cfg.headersSeparator).map((pair) => {
    const at = pair.indexOf(cfg.headersKeySeparator);
    if (at < 0) {
      if (!cfg.ignoreError) throw new InvalidRecordError(`No header key separator found in pair '${pair}' on line number ${lineNumber}`);
      return { key: pair, value: null };
    }
    const key = pair.slice(0, at);
    if (cfg.nullMarker !== undefined && key === cfg.nullMarker) {
      throw new InvalidRecordError(`Header keys should not be equal to the null marker '${cfg.nullMarker}' as they can't be null`);
    }
    const value = pair.slice(at + cfg.headersKeySeparator.length);
    return { key, value: cfg.nullMarker !== undefined && value === cfg.nullMarker ? null : Buffer.from(value, 'utf8') };
  });
}
