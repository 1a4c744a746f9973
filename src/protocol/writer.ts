// Response encoding into a list of chunks. Small fields go into a scratch buffer; large byte
// fields (record sets) are appended as their own chunks, so a Fetch response never copies the
// segment bytes it serves.
const SCRATCH = 64 * 1024;
const BIG = 4096;

export class Writer {
  private chunks: Buffer[] = [];
  private buf = Buffer.allocUnsafe(SCRATCH);
  private pos = 0;
  private start = 0;
  /** Total bytes written so far. */
  length = 0;

  private room(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.cut();
    this.buf = Buffer.allocUnsafe(Math.max(SCRATCH, n));
    this.pos = 0;
    this.start = 0;
  }

  /** Moves the scratch bytes written since the last cut into the chunk list. */
  private cut(): void {
    if (this.pos > this.start) this.chunks.push(this.buf.subarray(this.start, this.pos));
    this.start = this.pos;
  }

  int8(v: number): void {
    this.room(1);
    this.buf.writeInt8(v, this.pos);
    this.pos += 1;
    this.length += 1;
  }
  int16(v: number): void {
    this.room(2);
    this.buf.writeInt16BE(v, this.pos);
    this.pos += 2;
    this.length += 2;
  }
  uint16(v: number): void {
    this.room(2);
    this.buf.writeUInt16BE(v, this.pos);
    this.pos += 2;
    this.length += 2;
  }
  int32(v: number): void {
    this.room(4);
    this.buf.writeInt32BE(v, this.pos);
    this.pos += 4;
    this.length += 4;
  }
  uint32(v: number): void {
    this.room(4);
    this.buf.writeUInt32BE(v, this.pos);
    this.pos += 4;
    this.length += 4;
  }
  int64(v: number): void {
    this.room(8);
    this.buf.writeBigInt64BE(BigInt(v), this.pos);
    this.pos += 8;
    this.length += 8;
  }
  float64(v: number): void {
    this.room(8);
    this.buf.writeDoubleBE(v, this.pos);
    this.pos += 8;
    this.length += 8;
  }
  bool(v: boolean): void {
    this.int8(v ? 1 : 0);
  }
  uuid(v: string): void {
    const raw = Buffer.from(v, 'base64url');
    if (raw.length !== 16) throw new Error(`Not a Kafka Uuid: ${v}`);
    this.raw(raw);
  }
  uvarint(v: number): void {
    this.room(5);
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      this.length++;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    this.length++;
  }

  raw(b: Buffer): void {
    if (b.length >= BIG) {
      this.cut();
      this.chunks.push(b);
      this.length += b.length;
      return;
    }
    this.room(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    this.length += b.length;
  }

  string(v: string | null, compact: boolean): void {
    if (v === null) {
      if (compact) this.uvarint(0);
      else this.int16(-1);
      return;
    }
    const n = Buffer.byteLength(v);
    if (compact) this.uvarint(n + 1);
    else this.int16(n);
    this.room(n);
    this.buf.write(v, this.pos, 'utf8');
    this.pos += n;
    this.length += n;
  }

  bytes(v: Buffer | null, compact: boolean): void {
    if (v === null) {
      if (compact) this.uvarint(0);
      else this.int32(-1);
      return;
    }
    if (compact) this.uvarint(v.length + 1);
    else this.int32(v.length);
    this.raw(v);
  }

  count(n: number | null, compact: boolean): void {
    if (n === null) {
      if (compact) this.uvarint(0);
      else this.int32(-1);
    } else if (compact) this.uvarint(n + 1);
    else this.int32(n);
  }

  /** The encoded bytes as chunks (shared with the scratch buffer; use before writing more). */
  finish(): Buffer[] {
    this.cut();
    return this.chunks;
  }

  /** One contiguous buffer (tests, small messages). */
  toBuffer(): Buffer {
    return Buffer.concat(this.finish());
  }
}
