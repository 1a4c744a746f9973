// Batches with a valid CRC whose records are not what the header says: what a hostile or buggy
// client can send, and what a reader may still find in an old log.
import { gzipSync } from 'node:zlib';
import { encodeBatch } from '../../../src/engine/record/batch.js';
import { computeBatchCrc } from '../../../src/engine/record/header.js';
import { writeVarint } from '../../../src/engine/record/varint.js';

/** A v2 batch around `body` (records, compressed with codec id `codec` or not), header fields as given, CRC valid. */
export function batchAround(body: Buffer, opts: { count: number; lastOffsetDelta?: number; codec?: number; attributes?: number; baseOffset?: number }): Buffer {
  const head = encodeBatch([{ key: null, value: Buffer.from('x'), timestamp: 1_700_000_000_000 }], { baseOffset: opts.baseOffset ?? 0 }).subarray(0, 61);
  const buf = Buffer.concat([head, body]);
  buf.writeInt32BE(buf.length - 12, 8);
  buf.writeInt16BE((opts.codec ?? 0) | (opts.attributes ?? 0), 21);
  buf.writeInt32BE(opts.lastOffsetDelta ?? opts.count - 1, 23);
  buf.writeInt32BE(opts.count, 57);
  buf.writeUInt32BE(computeBatchCrc(buf, 0, buf.length), 17);
  return buf;
}

/** One record's bytes, length prefix included; `valueLength` may lie about the value that follows. */
export function record(offsetDelta: number, value: Buffer, valueLength = value.length): Buffer {
  const fields = Buffer.alloc(32 + value.length);
  let p = 0;
  fields[p++] = 0; // attributes
  p = writeVarint(fields, p, 0); // timestamp delta
  p = writeVarint(fields, p, offsetDelta);
  p = writeVarint(fields, p, -1); // null key
  p = writeVarint(fields, p, valueLength);
  p += value.copy(fields, p);
  p = writeVarint(fields, p, 0); // no headers
  const len = Buffer.alloc(5);
  const n = writeVarint(len, 0, p);
  return Buffer.concat([len.subarray(0, n), fields.subarray(0, p)]);
}

/** A record that claims a 1 GiB value and holds 3 bytes. */
export const hugeValueBatch = (): Buffer => batchAround(record(0, Buffer.from('abc'), 1 << 30), { count: 1 });

/** Header says 5 records, the data holds 2 (lastOffsetDelta agrees with the count, so only the records tell). */
export const wrongCountBatch = (): Buffer => batchAround(Buffer.concat([record(0, Buffer.alloc(12, 'a')), record(1, Buffer.alloc(12, 'b'))]), { count: 5 });

/** gzip of ~200M minimal records' worth of zeros (1.4 GB inflated), a few MB on the wire. */
export const gzipBombBatch = (inflated = 200 * 1024 * 1024): Buffer => batchAround(gzipSync(Buffer.alloc(inflated), { level: 9 }), { count: 200_000_000, codec: 1 });
