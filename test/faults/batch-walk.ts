// An independent reader of a replica's segment files for the fault tests: it shares no code with
// the engine, so a bug in the engine's own reader cannot hide a bug in its writer. It knows only
// the v2 batch framing (baseOffset int64, batchLength int32) and where the CRC-32C sits.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';

export interface WalkedBatch {
  /** The base offset the batch claims (bytes 0..8, which no checksum covers). */
  offset: number;
  /** The base offset it should have: its segment's base plus the CRC-covered counts of the batches before it. */
  due: number;
  lastOffset: number;
  /** The CRC the batch claims (bytes 17..21). */
  storedCrc: number;
  /** CRC-32C of bytes [21, end): differs from storedCrc when the batch is damaged. */
  actualCrc: number;
  file: string;
  position: number;
  size: number;
}

export interface WalkedLog {
  files: string[];
  batches: WalkedBatch[];
  /** Where the framing stopped making sense before a file's end (a torn or damaged length). */
  torn: Array<{ file: string; position: number }>;
}

/** `<20 digits>.log` files, oldest first. */
export function segmentFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((n) => /^\d{20}\.log$/.test(n)).sort().map((n) => join(dir, n));
}

/** Every whole batch of every segment of a replica dir, in file order. */
export function walkReplica(dir: string): WalkedLog {
  const batches: WalkedBatch[] = [];
  const torn: WalkedLog['torn'] = [];
  const files = segmentFiles(dir);
  for (const file of files) {
    const bytes = readFileSync(file);
    let due = Number(file.slice(-24, -4));
    let pos = 0;
    while (pos < bytes.length) {
      if (pos + 61 > bytes.length) {
        torn.push({ file, position: pos });
        break;
      }
      const size = 12 + bytes.readInt32BE(pos + 8);
      if (size < 61 || pos + size > bytes.length) {
        torn.push({ file, position: pos });
        break;
      }
      const offset = Number(bytes.readBigInt64BE(pos));
      const delta = bytes.readInt32BE(pos + 23);
      batches.push({
        offset,
        due,
        lastOffset: offset + delta,
        storedCrc: bytes.readUInt32BE(pos + 17),
        actualCrc: crc32c(bytes.subarray(pos + 21, pos + size)) >>> 0,
        file,
        position: pos,
        size,
      });
      due += delta + 1;
      pos += size;
    }
  }
  return { files, batches, torn };
}

/** Damage the batch's own bytes expose: a CRC that does not match, or a base offset out of sequence. */
export const damaged = (b: WalkedBatch) => b.storedCrc !== b.actualCrc || b.offset !== b.due;

/** "offset:crc" keys, the identity the rules compare (the CRC a batch's bytes really have). */
export const identity = (b: WalkedBatch) => `${b.offset}-${b.lastOffset}:${b.actualCrc.toString(16)}`;
