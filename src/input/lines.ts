// Streams stdin as lines in constant memory, splitting at \n, \r\n and \r like Java's
// BufferedReader.readLine. Lines stay bytes: the common case (valid UTF-8) hands out views of the
// chunk just read, so a million lines cost no decode/encode round trip. Invalid UTF-8 is passed
// through a decode/encode so that it becomes U+FFFD exactly as Kafka's UTF-8 reader makes it.
import { isUtf8 } from 'node:buffer';
import { bufferView } from '../engine/record/varint.js';

const LF = 10;
const CR = 13;

/** Yields the complete lines of each chunk (terminators removed); the last line may lack one. */
export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer[]> {
  // Bytes of a line that started in an earlier chunk: kept as a list, joined once its end arrives.
  let carry: Buffer[] = [];
  let carryBytes = 0;
  // The previous chunk ended with \r: a \n starting this chunk belongs to it, not a new empty line.
  let pendingCR = false;
  for await (const raw of input) {
    const chunk = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
    const n = chunk.length;
    let i = 0;
    if (pendingCR && n > 0) {
      pendingCR = false;
      if (chunk[0] === LF) i = 1;
    }
    const lines: Buffer[] = [];
    // The lines wholly inside this chunk are contiguous: one UTF-8 check covers them all.
    let regionStart = -1;
    let regionEnd = -1;
    let joined: Buffer | undefined;
    // Next \n and \r at or after i, each searched once per pass over the chunk (not once per line).
    let lf = chunk.indexOf(LF, i);
    let cr = chunk.indexOf(CR, i);
    while (lf >= 0 || cr >= 0) {
      const end = cr < 0 || (lf >= 0 && lf < cr) ? lf : cr;
      if (carryBytes > 0) {
        carry.push(chunk.subarray(i, end));
        joined = Buffer.concat(carry, carryBytes + end - i);
        carry = [];
        carryBytes = 0;
        lines.push(joined);
      } else {
        if (regionStart < 0) regionStart = i;
        regionEnd = end;
        lines.push(bufferView(chunk, i, end));
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
    if (lines.length > 0) {
      const valid = (joined === undefined || isUtf8(joined)) && (regionStart < 0 || isUtf8(chunk.subarray(regionStart, regionEnd)));
      yield valid ? lines : sanitize(lines);
    }
  }
  if (carryBytes > 0) yield sanitize([Buffer.concat(carry, carryBytes)]);
}

/** Valid UTF-8 passes untouched; anything else gets Java's replacement characters. */
function sanitize(lines: Buffer[]): Buffer[] {
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!isUtf8(line)) lines[k] = Buffer.from(line.toString('utf8'), 'utf8');
  }
  return lines;
}
