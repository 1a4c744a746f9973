import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readLines } from '../../src/input/lines.js';

async function collect(chunks: Array<Buffer | string>): Promise<string[]> {
  const out: string[] = [];
  for await (const lines of readLines((async function* () { for (const c of chunks) yield typeof c === 'string' ? Buffer.from(c) : c; })())) {
    for (const l of lines) out.push(l.toString('utf8'));
  }
  return out;
}

describe('readLines', () => {
  it('splits on \\n, \\r\\n and \\r, and keeps a last line without terminator', async () => {
    expect(await collect(['a\nb\r\nc\rd'])).toEqual(['a', 'b', 'c', 'd']);
    expect(await collect(['x\n'])).toEqual(['x']);
    expect(await collect(['\n\n'])).toEqual(['', '']);
    expect(await collect(['\r\r\n\n'])).toEqual(['', '', '']);
    expect(await collect([''])).toEqual([]);
  });

  it('treats \\r at a chunk end followed by \\n in the next chunk as one terminator', async () => {
    expect(await collect(['a\r', '\nb\r', 'c\n'])).toEqual(['a', 'b', 'c']);
    expect(await collect(['a\r', '', '\nb'])).toEqual(['a', 'b']);
    expect(await collect(['a\r', '\r', '\n'])).toEqual(['a', '']);
    expect(await collect(['a\r'])).toEqual(['a']);
  });

  it('joins a line spread over many chunks', async () => {
    expect(await collect(['ab', 'cd', 'ef\ng', 'h'])).toEqual(['abcdef', 'gh']);
    expect(await collect(['one', '\n'])).toEqual(['one']);
  });

  it('decodes a UTF-8 character split across chunks', async () => {
    const bytes = Buffer.from('né\n');
    expect(await collect([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual(['né']);
  });

  it('replaces invalid UTF-8 with U+FFFD as a UTF-8 decoder does, and leaves valid lines byte-identical', async () => {
    const lines: Buffer[] = [];
    for await (const ls of readLines(Readable.from([Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xe2, 0x82, 0xac, 0x0a])]))) lines.push(...ls);
    expect(lines.map((l) => l.toString('hex'))).toEqual(['61efbfbd62', 'e282ac']);
  });

  it('yields views of the input chunk for valid lines (no copy) but copies an unfinished tail', async () => {
    const chunk = Buffer.from('abc\ndef\nrest');
    const got: Buffer[] = [];
    for await (const ls of readLines(Readable.from([chunk]))) got.push(...ls);
    expect(got.map(String)).toEqual(['abc', 'def', 'rest']);
    chunk.fill(0x7a);
    expect(got.map(String)).toEqual(['zzz', 'zzz', 'rest']);
  });

  it('streams a large input in bounded memory, one batch of lines per chunk', async () => {
    // 20 MB of lines in 64 KiB chunks: the reader never holds more than a chunk's lines at once.
    const chunk = Buffer.from('0123456789abcdef\n'.repeat(3855));
    let lines = 0;
    let maxBatch = 0;
    async function* source() {
      for (let i = 0; i < 320; i++) yield chunk;
    }
    for await (const ls of readLines(source())) {
      lines += ls.length;
      maxBatch = Math.max(maxBatch, ls.length);
    }
    expect(lines).toBe(320 * 3855);
    expect(maxBatch).toBe(3855);
  });
});
