// Kafka's LineMessageReader: turns one input line into a record, with its properties, its checks
// and its error texts (reference §2.2). Lines arrive as UTF-8 bytes; key and value are cut out of
// them as views (searching the UTF-8 bytes of a separator finds the same place as Java's
// String.indexOf, since UTF-8 is self-synchronising). Header blocks, a regex affair, use strings.
import type { RecordHeader } from '../client/types.js';
import { InvalidRecordError, UsageError } from '../errors.js';

export interface LineReaderConfig {
  parseKey: boolean;
  keySeparator: string;
  parseHeaders: boolean;
  headersDelimiter: string;
  /** The headers.separator text; `headersPattern` is its compiled (Java-regex) form. */
  headersSeparator: string;
  headersPattern: RegExp;
  headersKeySeparator: string;
  nullMarker: string | undefined;
  ignoreError: boolean;
  // Byte forms used on the hot path.
  keySeparatorBytes: Buffer;
  headersDelimiterBytes: Buffer;
  nullMarkerBytes: Buffer | undefined;
}

export interface ParsedLine {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

const isTrue = (v: string | undefined) => v !== undefined && v.trim().toLowerCase() === 'true';

/** Builds the reader's config from reader properties, refusing the combinations Kafka refuses, in Kafka's order. */
export function lineReaderConfig(props: Record<string, string>): LineReaderConfig {
  const keySeparator = props['key.separator'] ?? '\t';
  const headersDelimiter = props['headers.delimiter'] ?? '\t';
  const headersSeparator = props['headers.separator'] ?? ',';
  const headersKeySeparator = props['headers.key.separator'] ?? ':';
  let headersPattern: RegExp;
  try {
    // headers.separator is a Java regex in Kafka; JS syntax covers the patterns people use.
    headersPattern = new RegExp(headersSeparator, 'g');
  } catch (err) {
    throw new UsageError(`Invalid headers.separator regular expression '${headersSeparator}': ${(err as Error).message}`);
  }
  const refuse = (a: string, b: string) => {
    throw new UsageError(`${a} and ${b} may not be equal`);
  };
  if (headersDelimiter === headersSeparator) refuse('headers.delimiter', 'headers.separator');
  if (headersDelimiter === headersKeySeparator) refuse('headers.delimiter', 'headers.key.separator');
  if (headersSeparator === headersKeySeparator) refuse('headers.separator', 'headers.key.separator');
  const nullMarker = props['null.marker'];
  if (nullMarker !== undefined) {
    if (keySeparator === nullMarker) refuse('null.marker', 'key.separator');
    if (headersSeparator === nullMarker) refuse('null.marker', 'headers.separator');
    if (headersDelimiter === nullMarker) refuse('null.marker', 'headers.delimiter');
    if (headersKeySeparator === nullMarker) refuse('null.marker', 'headers.key.separator');
  }
  return {
    parseKey: isTrue(props['parse.key']),
    keySeparator,
    parseHeaders: isTrue(props['parse.headers']),
    headersDelimiter,
    headersSeparator,
    headersPattern,
    headersKeySeparator,
    nullMarker,
    ignoreError: isTrue(props['ignore.error']),
    keySeparatorBytes: Buffer.from(keySeparator, 'utf8'),
    headersDelimiterBytes: Buffer.from(headersDelimiter, 'utf8'),
    nullMarkerBytes: nullMarker === undefined ? undefined : Buffer.from(nullMarker, 'utf8'),
  };
}

const NO_HEADERS: RecordHeader[] = [];

/**
 * One line (its UTF-8 bytes, terminator removed) as a record. Throws InvalidRecordError with
 * Kafka's text, naming `lineNumber` (counted from 1), for a line the properties cannot parse.
 */
export function parseLine(cfg: LineReaderConfig, input: Buffer | string, lineNumber: number): ParsedLine {
  const line = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const nullMarker = cfg.nullMarkerBytes;
  if (!cfg.parseKey && !cfg.parseHeaders) {
    return { key: null, value: nullMarker !== undefined && line.equals(nullMarker) ? null : line, headers: NO_HEADERS };
  }
  let pos = 0;
  let headers = NO_HEADERS;
  if (cfg.parseHeaders) {
    const at = line.indexOf(cfg.headersDelimiterBytes);
    if (at < 0) {
      if (!cfg.ignoreError) throw new InvalidRecordError(`No headers delimiter found on line number ${lineNumber}: '${line.toString('utf8')}'`);
    } else {
      headers = parseHeaderBlock(cfg, line.toString('utf8', 0, at), lineNumber);
      pos = at + cfg.headersDelimiterBytes.length;
    }
  }
  let key: Buffer | null = null;
  if (cfg.parseKey) {
    const at = line.indexOf(cfg.keySeparatorBytes, pos);
    if (at < 0) {
      if (!cfg.ignoreError) throw new InvalidRecordError(`No key separator found on line number ${lineNumber}: '${line.toString('utf8')}'`);
    } else {
      key = line.subarray(pos, at);
      if (nullMarker !== undefined && key.equals(nullMarker)) key = null;
      pos = at + cfg.keySeparatorBytes.length;
    }
  }
  const rest = line.subarray(pos);
  return { key, value: nullMarker !== undefined && rest.equals(nullMarker) ? null : rest, headers };
}

function parseHeaderBlock(cfg: LineReaderConfig, block: string, lineNumber: number): RecordHeader[] {
  if (cfg.nullMarker !== undefined && block === cfg.nullMarker) return NO_HEADERS;
  return javaSplit(block, cfg.headersPattern).map((pair) => {
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

/**
 * Java's Pattern.split(text) (limit 0): no leading empty piece for a zero-width match at 0,
 * trailing empty pieces dropped, and capture groups never spliced in (unlike JS's String.split).
 */
export function javaSplit(text: string, pattern: RegExp): string[] {
  if (text === '') return [''];
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const parts: string[] = [];
  let from = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const at = m.index;
    const len = m[0].length;
    if (len === 0) {
      re.lastIndex = at + 1;
      if (at === 0 || at >= text.length) continue;
    }
    parts.push(text.slice(from, at));
    from = at + len;
    if (re.lastIndex > text.length) break;
  }
  if (parts.length === 0) return [text];
  parts.push(text.slice(from));
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}
