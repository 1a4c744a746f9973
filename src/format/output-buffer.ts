// The bytes a formatter assembles before they go to stdout in one write: printing a million
// records allocates a few hundred buffers, not millions.

export class OutputBuffer {
  private buf: Buffer;
  private len = 0;

  constructor(private readonly initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.len;
  }

  /** Drops everything written after `length` (a record whose formatting failed half-way). */
  truncate(length: number): void {
    this.len = Math.min(this.len, length);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  bytes(b: Uint8Array): void {
    this.bytesOf(b, 0, b.length);
  }

  /** bytes(data.subarray(start, end)) without the view. */
  bytesOf(data: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.reserve(n);
    const buf = this.buf;
    const at = this.len;
    // A Buffer copy costs more than a byte loop for the short values that are common.
    if (n > 32) buf.set(start === 0 && end === data.length ? data : data.subarray(start, end), at);
    else for (let i = 0; i < n; i++) buf[at + i] = data[start + i];
    this.len += n;
  }

  /** For text known to be ASCII (numbers, field labels): one byte per char. */
  ascii(s: string): void {
    this.reserve(s.length);
    this.len += this.buf.write(s, this.len, 'latin1');
  }

  utf8(s: string): void {
    this.reserve(Buffer.byteLength(s, 'utf8'));
    this.len += this.buf.write(s, this.len, 'utf8');
  }

  /** The bytes written so far; the buffer starts afresh (the caller may keep what it got). */
  take(): Buffer {
    const out = this.buf.subarray(0, this.len);
    const spare = this.buf.length - this.len;
    // Reuse the free tail while it is a quarter of the initial size or more: a fresh buffer per
    // poll (a small write each) churns external memory and makes the GC run for nothing.
    this.buf = spare >= this.initial / 4 ? this.buf.subarray(this.len) : Buffer.allocUnsafe(Math.max(this.initial, out.length));
    this.len = 0;
    return out;
  }
}
