// Streams stdin as lines in constant memory, splitting at \n, \r\n and \r like Java's
// BufferedReader.readLine. Lines stay bytes: the common case (valid UTF-8) hands out positions in
// the chunk just read, so a million lines cost no decode/encode round trip and no object each.
// Invalid UTF-8 is passed through a decode/encode so that it becomes U+FFFD exactly as Kafka's
// UTF-8 reader makes it.
import { isUtf8 } from 'node:buffer';
import { bufferView } from '../engine/record/varint.js';

const LF = 10;
const CR = 13;

/**
 * The complete lines of one chunk (terminators removed): `head`, a line that began in an earlier
 * chunk, if any, then line i = data[starts[i], ends[i]) for i < count. `starts` and `ends` are
 * reused for the next block: read them before asking for it.
 */
export interface LineBlock {
  head: Buffer | null;
  data: Buffer;
  starts: Int32Array;
  ends: Int32Array;
  count: number;
}

/** Yields the lines of each chunk as one block; the last line may lack a terminator. */
export async function* readLineBlocks(input: AsyncIterable<Buffer | string>): AsyncGenerator<LineBlock> {
  // Bytes of a line that started in an earlier chunk: kept as a list, joined once its end arrives.
  let carry: Buffer[] = [];
  let carryBytes = 0;
  // The previous chunk ended with \r: a \n starting this chunk belongs to it, not a new empty line.
  let pendingCR = false;
  let starts: Int32Array = new Int32Array(1024);
  let ends: Int32Array = new Int32Array(1024);
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const n = chunk.length;
    let i = 0;
    if (pendingCR && n > 0) {
      pendingCR = false;
      if (chunk[0] === LF) i = 1;
    }
    let count = 0;
    let head: Buffer | null = null;
    // Next \n and \r at or after i, each searched once per pass over the chunk (not once per line).
    let lf = chunk.indexOf(LF, i);
    let cr = chunk.indexOf(CR, i);
    while (lf >= 0 || cr >= 0) {
      const end = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      if (carryBytes > 0) {
        carry.push(chunk.subarray(i, end));
        head = Buffer.concat(carry, carryBytes + end - i);
        carry = [];
        carryBytes = 0;
      } else {
        if (count === starts.length) {
          starts = grow(starts);
          ends = grow(ends);
        }
        starts[count] = i;
        ends[count] = end;
        count++;
      }
      i = end + 1;
      if (chunk[end] === CR) {
        if (i < n) {
          if (chunk[i] === LF) i++;
        } else pendingCR = true;
      }
      if (lf >= 0 && lf < i) lf = chunk.indexOf(LF, i);
      if (cr >= 0 && cr < i) cr = chunk.indexOf(CR, i);
    }
    if (i < n) {
      // Copy the unfinished tail: a view would pin the whole chunk for one short line.
      const tail = Buffer.from(chunk.subarray(i));
      carry.push(tail);
      carryBytes += tail.length;
    }
    if (head === null && count === 0) continue;
    if (head !== null && !isUtf8(head)) head = sanitize(head);
    // The lines wholly inside this chunk are contiguous: one UTF-8 check covers them all.
    if (count > 0 && !isUtf8(chunk.subarray(starts[0], ends[count - 1]))) {
      yield { head, ...sanitizeBlock(chunk, starts, ends, count) };
    } else {
      yield { head, data: chunk, starts, ends, count };
    }
  }
  if (carryBytes > 0) yield { head: sanitize(Buffer.concat(carry, carryBytes)), data: Buffer.alloc(0), starts, ends, count: 0 };
}

/** Lines in a block, head included. */
export function blockLength(block: LineBlock): number {
  return block.count + (block.head === null ? 0 : 1);
}

/** Line k of a block (head first) as a view of the block's bytes. */
export function blockLine(block: LineBlock, k: number): Buffer {
  if (block.head !== null) {
    if (k === 0) return block.head;
    k--;
  }
  return bufferView(block.data, block.starts[k], block.ends[k]);
}

/** Yields the complete lines of each chunk (terminators removed) as buffers; the last line may lack one. */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer[]> {
  for await (const block of readLineBlocks(input)) {
    const n = blockLength(block);
    const lines = new Array<Buffer>(n);
    for (let k = 0; k < n; k++) lines[k] = blockLine(block, k);
    yield lines;
  }
}

function grow(a: Int32Array): Int32Array {
  const next = new Int32Array(a.length * 2);
  next.set(a);
  return next;
}

/** Valid UTF-8 passes untouched; anything else gets Java's replacement characters. */
function sanitize(line: Buffer): Buffer {
  return isUtf8(line) ? line : Buffer.from(line.toString('utf8'), 'utf8');
}

/** The block's lines with invalid UTF-8 replaced, in a new buffer (positions rewritten in place). */
function sanitizeBlock(chunk: Buffer, starts: Int32Array, ends: Int32Array, count: number): { data: Buffer; starts: Int32Array; ends: Int32Array; count: number } {
  const parts: Buffer[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    const line = sanitize(chunk.subarray(starts[k], ends[k]));
    parts.push(line);
    starts[k] = at;
    at += line.length;
    ends[k] = at;
  }
  return { data: Buffer.concat(parts, at), starts, ends, count };
}
