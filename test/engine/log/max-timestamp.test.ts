// ListOffsets' max-timestamp answer: the first record holding the largest timestamp, across batches
// read in chunks, as Kafka's segments track it.
import { describe, expect, it } from 'vitest';
import { offsetOfMaxTimestamp } from '../../../src/engine/log/max-timestamp.js';
import { encodeBatch } from '../../../src/engine/record/batch.js';
import { batchSizeAt, readInt64 } from '../../../src/engine/record/header.js';

/** A reader over in-memory batches that, like the log, returns whole batches from the one holding `offset`, at least one. */
function reader(batches: Buffer[]) {
  return (offset: number, maxBytes: number) => {
    const from = batches.findIndex((b) => readInt64(b, 0) + b.readInt32BE(23) >= offset);
    if (from < 0) return Buffer.alloc(0);
    const out: Buffer[] = [];
    let size = 0;
    for (const b of batches.slice(from)) {
      if (out.length > 0 && size + batchSizeAt(b) > maxBytes) break;
      out.push(b);
      size += b.length;
    }
    return Buffer.concat(out);
  };
}

const batch = (base: number, timestamps: number[]) =>
  encodeBatch(timestamps.map((t) => ({ key: null, value: Buffer.from('x'), timestamp: t })), { baseOffset: base });

describe('offsetOfMaxTimestamp', () => {
  it('finds the record with the largest timestamp, the first of equals, even in an earlier batch', () => {
    const batches = [batch(0, [10, 50, 20]), batch(3, [30, 50]), batch(5, [40])];
    expect(offsetOfMaxTimestamp(reader(batches), 0, 6)).toEqual({ offset: 1, timestamp: 50 });
  });

  it('reads past one chunk and starts at the log start', () => {
    const big = Array.from({ length: 40 }, (_, i) => batch(i * 100, Array.from({ length: 100 }, (_, j) => 1000 + i * 100 + j)));
    const read = (offset: number, maxBytes: number) => reader(big)(offset, Math.min(maxBytes, 4096));
    expect(offsetOfMaxTimestamp(read, 0, 4000)).toEqual({ offset: 3999, timestamp: 4999 });
  });

  it('an empty log has no answer', () => {
    expect(offsetOfMaxTimestamp(() => Buffer.alloc(0), 0, 0)).toBeNull();
    expect(offsetOfMaxTimestamp(() => Buffer.alloc(0), 5, 9)).toBeNull();
  });
});
