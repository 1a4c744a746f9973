// Zigzag varints as Kafka's record format uses them (ByteUtils.writeVarint / writeVarlong).
// Values stay JS numbers: record-level deltas and lengths fit easily in 2^53.

export function varintSize(value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes a zigzag varint at `pos` and returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

/** A cursor over a buffer, for decoding records without allocating per field. */
export class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  varint(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('varint runs past the end of the record');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      mul *= 128;
    }
    throw new RangeError('varint is longer than 10 bytes');
  }

  int8(): number {
    if (this.pos >= this.end) throw new RangeError('record runs past the end of the batch');
    return this.buf.readInt8(this.pos++);
  }

  /** Length-prefixed bytes; null for length -1. Returns a view, not a copy. */
  bytes(): Buffer | null {
    const len = this.varint();
    if (len === -1) return null;
    if (len < -1) throw new RangeError(`negative length ${len}`);
    if (this.pos + len > this.end) throw new RangeError(`length ${len} runs past the end of the record`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}
