// ListOffsets' max-timestamp query (Kafka's OffsetSpec.maxTimestamp, KIP-734): the record with the
// largest timestamp, the first one when several share it, as Kafka's segments track it
// (maxTimestampSoFar only moves on a strictly larger timestamp).
import { decodeBatch } from '../record/batch.js';
import { pointerAt } from './segment.js';

const CHUNK = 1 << 20;

/**
 * Walks the committed log [start, end) through `read` (the data plane's reader, capped at the high
 * watermark) by batch headers, then decodes the one batch that holds the largest timestamp.
 * null for a log with no record.
 */
export function offsetOfMaxTimestamp(read: (offset: number, maxBytes: number) => Buffer, start: number, end: number): { offset: number; timestamp: number } | null {
  let best: Buffer | null = null;
  let bestTimestamp = -Infinity;
  let next = start;
  while (next < end) {
    const chunk = read(next, CHUNK);
    let p = 0;
    let moved = false;
    for (let b = pointerAt(chunk, 0, 0); b && p + b.size <= chunk.length; b = pointerAt(chunk, p, p)) {
      if (b.maxTimestamp > bestTimestamp) {
        bestTimestamp = b.maxTimestamp;
        best = Buffer.from(chunk.subarray(p, p + b.size));
      }
      p += b.size;
      next = b.lastOffset + 1;
      moved = true;
    }
    if (!moved) break;
  }
  if (!best) return null;
  for (const r of decodeBatch(best).records) if (r.timestamp === bestTimestamp) return { offset: r.offset, timestamp: r.timestamp };
  return null;
}
