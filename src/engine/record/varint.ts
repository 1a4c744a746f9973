// Zigzag varints as Kafka's record format uses them (ByteUtils.writeVarint / writeVarlong).
// Values stay JS numbers: zigzag doubles the magnitude, so values are exact within +-2^52 (record
// lengths and deltas are far smaller; encodeBatch refuses wider timestamp deltas). Small values (the
// common case: lengths, offset deltas) take a 32-bit fast path; larger ones fall back to arithmetic.

const TWO_30 = 0x40000000;
export const MAX_EXACT_VARLONG = 2 ** 52;

/** Bytes taken by `value` as a zigzag varint/varlong. */
export function varintSize(value: number): number {
  if (value < TWO_30 && value >= -TWO_30) {
    const v = ((value << 1) ^ (value >> 31)) >>> 0;
    if (v < 0x80) return 1;
    if (v < 0x4000) return 2;
    if (v < 0x200000) return 3;
    if (v < 0x10000000) return 4;
    return 5;
  }
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  let n = 1;
  while (v >= 128) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/** Writes a zigzag varint/varlong at `pos` and returns the position after it. */
export function writeVarint(buf: Buffer, pos: number, value: number): number {
  if (value < TWO_30 && value >= -TWO_30) {
    let v = ((value << 1) ^ (value >> 31)) >>> 0;
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  let v = value >= 0 ? value * 2 : -value * 2 - 1;
  while (v >= 128) {
    buf[pos++] = (v % 128) | 0x80;
    v = Math.floor(v / 128);
  }
  buf[pos++] = v;
  return pos;
}

// Buffer#subarray costs about twice a direct construction (it looks up Symbol.species and
// normalises its arguments), and decoding makes two views per record. Node's Buffer[Symbol.species]
// is the class every Buffer is an instance of (FastBuffer), so constructing it directly yields
// exactly what subarray would. If a Node version ever stops exposing it that way, we fall back.
type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => Buffer;
const Species = (Buffer as unknown as Record<symbol, ViewCtor | undefined>)[Symbol.species];
const VIEW: ViewCtor | null = (() => {
  if (typeof Species !== 'function' || (Species as unknown) === Buffer) return null;
  try {
    const probe = new Species(new ArrayBuffer(4), 1, 2);
    return Object.getPrototypeOf(probe) === Buffer.prototype && probe.length === 2 ? Species : null;
  } catch {
    return null;
  }
})();

/** `buf.subarray(start, end)` for 0 <= start <= end <= buf.length, at about half the cost. */
export function bufferView(buf: Buffer, start: number, end: number): Buffer {
  return VIEW !== null ? new VIEW(buf.buffer, buf.byteOffset + start, end - start) : buf.subarray(start, end);
}

/**
 * A cursor over a buffer, for decoding records without allocating per field. `end` is the
 * current bound (a record's end while decoding a record); every read is checked against it.
 * Overruns throw RangeError, which the batch decoder turns into CorruptRecordError with context.
 */
export class Reader {
  private readonly arrayBuffer: ArrayBufferLike;
  private readonly base: number;

  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number,
  ) {
    this.arrayBuffer = buf.buffer;
    this.base = buf.byteOffset;
  }

  /** A zigzag varint of at most 5 bytes (Kafka's int32 varint). */
  varint(): number {
    const buf = this.buf;
    if (this.pos < this.end) {
      const b = buf[this.pos];
      if (b < 0x80) {
        this.pos++;
        return (b >>> 1) ^ -(b & 1);
      }
    }
    let result = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw new RangeError('a varint runs past the end of its record');
      const b = buf[this.pos++];
      result |= (b & 0x7f) << shift;
      if (b < 0x80) return (result >>> 1) ^ -(result & 1);
    }
    throw new RangeError('a varint is longer than 5 bytes');
  }

  /** A zigzag varlong of at most 10 bytes; exact within +-2^52. */
  varlong(): number {
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('a varlong runs past the end of its record');
      const b = this.buf[this.pos++];
      result += (b & 0x7f) * mul;
      if (b < 0x80) return result % 2 === 0 ? result / 2 : -(result + 1) / 2;
      mul *= 128;
    }
    throw new RangeError('a varlong is longer than 10 bytes');
  }

  int8(): number {
    if (this.pos >= this.end) throw new RangeError('a record runs past the end of the batch');
    const b = this.buf[this.pos++];
    return b > 127 ? b - 256 : b;
  }

  /** Length-prefixed bytes; null for length -1. Returns a view, not a copy. */
  bytes(what: string): Buffer | null {
    const len = this.varint();
    if (len === -1) return null;
    if (len < -1) throw new RangeError(`${what} has negative length ${len}`);
    if (len > this.end - this.pos) throw new RangeError(`${what} length ${len} runs past the end of its record`);
    const out = VIEW !== null ? new VIEW(this.arrayBuffer, this.base + this.pos, len) : this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}
