// Streams stdin as lines in constant memory, splitting at \n, \r\n and \r like Java's
// BufferedReader.readLine. A \r at the end of one chunk waits for the next, so that a \r\n split
// across chunks is one terminator, not a bogus empty line.
import { StringDecoder } from 'node:string_decoder';

export async function* readLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let pendingCR = false;
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length === 0) continue;
    if (pendingCR) {
      pendingCR = false;
      if (text[0] === '\n') text = text.slice(1);
    }
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      lines.push(carry + text.slice(start, i));
      carry = '';
      if (c === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else pendingCR = true;
      }
      start = i + 1;
    }
    carry += text.slice(start);
    if (lines.length > 0) yield lines;
  }
  carry += decoder.end();
  if (carry.length > 0) yield [carry];
}
