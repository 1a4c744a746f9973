// Kafka's DefaultMessageFormatter (reference §3.4): fields in a fixed order, key.separator between
// printed fields, line.separator after the last; key and value bytes written raw. Records are
// written straight into one output buffer per poll, so printing a million records allocates a
// few hundred buffers, not millions.
import { isUtf8 } from 'node:buffer';
import type { ConsumerRecord } from '../client/types.js';
import { OutputBuffer } from './output-buffer.js';
import { DeserializationError, deserializerFor, type Deserialize } from './deserializers.js';
import { UsageError } from '../errors.js';

export { OutputBuffer } from './output-buffer.js';

export interface FormatterConfig {
  printTimestamp: boolean;
  printPartition: boolean;
  printOffset: boolean;
  printDelivery: boolean;
  printEpoch: boolean;
  printHeaders: boolean;
  printKey: boolean;
  printValue: boolean;
  keySeparator: Buffer;
  lineSeparator: Buffer;
  headersSeparator: Buffer;
  nullLiteral: Buffer;
  /** kafkit's print.timestamp.format=iso: 2026-12-04T16:21:23.123Z rather than epoch ms. */
  isoTimestamps: boolean;
  /** key.deserializer, value.deserializer, headers.deserializer; none prints the bytes as they are. */
  keyDeserializer?: Deserialize;
  valueDeserializer?: Deserialize;
  headersDeserializer?: Deserialize;
}

const isTrue = (v: string | undefined, fallback: boolean) => (v === undefined ? fallback : v.trim().toLowerCase() === 'true');

export function formatterConfig(props: Record<string, string>): FormatterConfig {
  return {
    printTimestamp: isTrue(props['print.timestamp'], false),
    printPartition: isTrue(props['print.partition'], false),
    printOffset: isTrue(props['print.offset'], false),
    printDelivery: isTrue(props['print.delivery'], false),
    printEpoch: isTrue(props['print.epoch'], false),
    printHeaders: isTrue(props['print.headers'], false),
    printKey: isTrue(props['print.key'], false),
    printValue: isTrue(props['print.value'], true),
    keySeparator: Buffer.from(props['key.separator'] ?? '\t'),
    lineSeparator: Buffer.from(props['line.separator'] ?? '\n'),
    headersSeparator: Buffer.from(props['headers.separator'] ?? ','),
    nullLiteral: Buffer.from(props['null.literal'] ?? 'null'),
    isoTimestamps: timestampFormat(props['print.timestamp.format']),
    keyDeserializer: deserializer(props, 'key.deserializer'),
    valueDeserializer: deserializer(props, 'value.deserializer'),
    headersDeserializer: deserializer(props, 'headers.deserializer'),
  };
}

function timestampFormat(v: string | undefined): boolean {
  const f = (v ?? 'epoch').trim().toLowerCase();
  if (f !== 'epoch' && f !== 'iso') throw new UsageError(`Invalid value ${v} for print.timestamp.format: use 'epoch' (milliseconds, Kafka's) or 'iso' (ISO-8601 in UTC).`);
  return f === 'iso';
}

const deserializer = (props: Record<string, string>, name: string) => (props[name] === undefined ? undefined : deserializerFor(name, props[name]));

/** Only the value is printed, as it is (the default): formatInto's fast path. */
export function printsValueOnly(cfg: FormatterConfig): boolean {
  return cfg.printValue && cfg.valueDeserializer === undefined && !cfg.printTimestamp && !cfg.printPartition && !cfg.printOffset && !cfg.printDelivery && !cfg.printEpoch && !cfg.printHeaders && !cfg.printKey;
}

/** Appends the bytes printed for one record (nothing at all when every field is off). */
export function formatInto(cfg: FormatterConfig, r: ConsumerRecord, out: OutputBuffer): void {
  if (printsValueOnly(cfg)) {
    out.bytes(r.value ?? cfg.nullLiteral);
    out.bytes(cfg.lineSeparator);
    return;
  }
  formatFieldsInto(cfg, r, out);
}

/** formatInto for any set of fields (exported so that tests can hold the fast path against it). */
export function formatFieldsInto(cfg: FormatterConfig, r: ConsumerRecord, out: OutputBuffer): void {
  let first = true;
  const sep = () => {
    if (first) first = false;
    else out.bytes(cfg.keySeparator);
  };
  if (cfg.printTimestamp) {
    sep();
    out.ascii(r.timestampType === 'NoTimestampType' || r.timestamp < 0 ? 'NO_TIMESTAMP' : `${r.timestampType}:${timestampText(cfg, r.timestamp)}`);
  }
  if (cfg.printPartition) {
    sep();
    out.ascii(`Partition:${r.partition}`);
  }
  if (cfg.printOffset) {
    sep();
    out.ascii(`Offset:${r.offset}`);
  }
  // The console consumer has no delivery count and drops the leader epoch, as Kafka's does.
  if (cfg.printDelivery) {
    sep();
    out.ascii('Delivery:NOT_PRESENT');
  }
  if (cfg.printEpoch) {
    sep();
    out.ascii('Epoch:NOT_PRESENT');
  }
  if (cfg.printHeaders) {
    sep();
    if (r.headers.length === 0) out.ascii('NO_HEADERS');
    else {
      for (let i = 0; i < r.headers.length; i++) {
        const h = r.headers[i];
        if (i > 0) out.bytes(cfg.headersSeparator);
        out.utf8(h.key);
        out.ascii(':');
        out.bytes(h.value === null ? cfg.nullLiteral : deserialized(cfg.headersDeserializer, h.value, `header ${h.key}`, r));
      }
    }
  }
  if (cfg.printKey) {
    sep();
    out.bytes(r.key === null ? cfg.nullLiteral : deserialized(cfg.keyDeserializer, r.key, 'key', r));
  }
  if (cfg.printValue) {
    sep();
    out.bytes(r.value === null ? cfg.nullLiteral : deserialized(cfg.valueDeserializer, r.value, 'value', r));
  }
  if (!first) out.bytes(cfg.lineSeparator);
}

// Dates past year 275760 have no ISO form: such a timestamp stays in milliseconds.
const timestampText = (cfg: FormatterConfig, ms: number) => (cfg.isoTimestamps && ms <= 8.64e15 ? new Date(ms).toISOString() : String(ms));

/** A null is the null literal, never fed to the deserializer (Kafka feeds it the literal's bytes). */
function deserialized(d: Deserialize | undefined, b: Buffer, what: string, r: ConsumerRecord): Buffer {
  if (d === undefined) return b;
  try {
    return d(b);
  } catch (err) {
    if (!(err instanceof DeserializationError)) throw err;
    throw new DeserializationError(`${err.message} (the ${what} of ${r.topic}-${r.partition} at offset ${r.offset})`);
  }
}

/** The bytes printed for one record. */
export function formatRecord(cfg: FormatterConfig, r: ConsumerRecord): Buffer {
  const out = new OutputBuffer(256);
  formatInto(cfg, r, out);
  return out.take();
}

// ---------------------------------------------------------------------------------------------
// `--output json` (kafkit's own): one JSON object per line, lossless for any bytes. Keys, values
// and header values are written as UTF-8 text when they are valid UTF-8, else as base64, and each
// says which in its own `*Encoding` field; null stays null (with no encoding field).
// `kafka-console-producer --input json` reads exactly this back (src/input/json-record-reader.ts).

export type BytesEncoding = 'utf8' | 'base64';

export function encodeBytes(b: Buffer): { text: string; encoding: BytesEncoding } {
  return isUtf8(b) ? { text: b.toString('utf8'), encoding: 'utf8' } : { text: b.toString('base64'), encoding: 'base64' };
}

export function formatJsonInto(r: ConsumerRecord, out: OutputBuffer): void {
  const obj: Record<string, unknown> = {
    topic: r.topic,
    partition: r.partition,
    offset: r.offset,
    timestamp: r.timestampType === 'NoTimestampType' ? null : r.timestamp,
    timestampType: r.timestampType,
  };
  const put = (name: string, b: Buffer | null, into: Record<string, unknown>) => {
    if (b === null) into[name] = null;
    else {
      const e = encodeBytes(b);
      into[name] = e.text;
      into[`${name}Encoding`] = e.encoding;
    }
  };
  put('key', r.key, obj);
  put('value', r.value, obj);
  obj.headers = r.headers.map((h) => {
    const o: Record<string, unknown> = { key: h.key };
    put('value', h.value, o);
    return o;
  });
  out.utf8(JSON.stringify(obj));
  out.ascii('\n');
}
