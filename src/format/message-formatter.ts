// Kafka's DefaultMessageFormatter (reference §3.4): fields in a fixed order, key.separator between
// printed fields, line.separator after the last; key and value bytes written raw.
import type { ConsumerRecord } from '../client/types.js';

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
  };
}

/** The bytes printed for one record (nothing at all when every field is off). */
export function formatRecord(cfg: FormatterConfig, r: ConsumerRecord): Buffer[] {
  const fields: Buffer[] = [];
  if (cfg.printTimestamp) {
    fields.push(Buffer.from(r.timestampType === 'NoTimestampType' || r.timestamp < 0 ? 'NO_TIMESTAMP' : `${r.timestampType}:${r.timestamp}`));
  }
  if (cfg.printPartition) fields.push(Buffer.from(`Partition:${r.partition}`));
  if (cfg.printOffset) fields.push(Buffer.from(`Offset:${r.offset}`));
  // The console consumer has no delivery count and drops the leader epoch, as Kafka's does.
  if (cfg.printDelivery) fields.push(Buffer.from('Delivery:NOT_PRESENT'));
  if (cfg.printEpoch) fields.push(Buffer.from('Epoch:NOT_PRESENT'));
  if (cfg.printHeaders) {
    if (r.headers.length === 0) fields.push(Buffer.from('NO_HEADERS'));
    else {
      const parts: Buffer[] = [];
      r.headers.forEach((h, i) => {
        if (i > 0) parts.push(cfg.headersSeparator);
        parts.push(Buffer.from(`${h.key}:`), h.value ?? cfg.nullLiteral);
      });
      fields.push(Buffer.concat(parts));
    }
  }
  if (cfg.printKey) fields.push(r.key ?? cfg.nullLiteral);
  if (cfg.printValue) fields.push(r.value ?? cfg.nullLiteral);
  const out: Buffer[] = [];
  fields.forEach((f, i) => {
    out.push(f, i < fields.length - 1 ? cfg.keySeparator : cfg.lineSeparator);
  });
  return out;
}
