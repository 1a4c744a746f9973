// `kafka-console-producer --input json` (kafkit's own): replays what `kafka-console-consumer
// --output json` printed, one JSON object per line (see src/format/message-formatter.ts for the
// shape). Topic, partition and offset in the object are ignored: the record goes to --topic and
// is partitioned like any other (a keyed record lands in the same partition when the partition
// counts match). Key, value, headers and a CreateTime timestamp are replayed byte for byte.
import type { RecordHeader } from '../client/types.js';
import { InvalidRecordError } from '../errors.js';

export interface JsonRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
  /** Only for CreateTime records: a LogAppendTime belongs to the log it was appended to. */
  timestamp: number | undefined;
}

export function parseJsonRecord(line: Buffer | string, lineNumber: number): JsonRecord {
  const text = typeof line === 'string' ? line : line.toString('utf8');
  const fail = (why: string): never => {
    throw new InvalidRecordError(`Invalid JSON record on line number ${lineNumber}: ${why}: '${text}'`);
  };
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err) {
    fail((err as Error).message);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) fail('expected an object');
  const o = obj as Record<string, unknown>;
  const bytes = (from: Record<string, unknown>, name: string, where: string): Buffer | null => {
    const v = from[name];
    if (v === null || v === undefined) return null;
    if (typeof v !== 'string') return fail(`${where} must be a string or null`);
    const encoding = from[`${name}Encoding`] ?? 'utf8';
    if (encoding === 'utf8') return Buffer.from(v, 'utf8');
    if (encoding === 'base64') return Buffer.from(v, 'base64');
    return fail(`${where}Encoding must be 'utf8' or 'base64'`);
  };
  const headers: RecordHeader[] = [];
  if (o.headers !== undefined && o.headers !== null) {
    if (!Array.isArray(o.headers)) fail('headers must be an array');
    for (const h of o.headers as unknown[]) {
      if (h === null || typeof h !== 'object' || typeof (h as Record<string, unknown>).key !== 'string') fail('each header needs a string key');
      const hh = h as Record<string, unknown>;
      headers.push({ key: hh.key as string, value: bytes(hh, 'value', 'header value') });
    }
  }
  let timestamp: number | undefined;
  if (o.timestampType === undefined || o.timestampType === 'CreateTime') {
    if (typeof o.timestamp === 'number' && Number.isSafeInteger(o.timestamp) && o.timestamp >= 0) timestamp = o.timestamp;
    else if (o.timestamp !== undefined && o.timestamp !== null) fail('timestamp must be a non-negative integer (ms)');
  }
  return { key: bytes(o, 'key', 'key'), value: bytes(o, 'value', 'value'), headers, timestamp };
}
