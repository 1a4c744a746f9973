// Bounded reads over one request frame. Every length and count is checked against the bytes that
// are actually left before anything is allocated, so a hostile frame can only fail, never make the
// server allocate more than the frame itself.
import { InvalidRequestError } from '../errors.js';

export class MalformedFrameError extends InvalidRequestError {}

export class Reader {
  offset: number;

  constructor(
    readonly buf: Buffer,
    offset = 0,
    readonly end = buf.length,
  ) {
    this.offset = offset;
  }

  get remaining(): number {
    return this.end - this.offset;
  }

  private need(n: number): number {
    if (n > this.end - this.offset) throw new MalformedFrameError(`Request truncated: needed ${n} byte(s) at offset ${this.offset}, ${this.end - this.offset} left.`);
    const at = this.offset;
    this.offset += n;
    return at;
  }

  int8(): number {
    return this.buf.readInt8(this.need(1));
  }
  int16(): number {
    return this.buf.readInt16BE(this.need(2));
  }
  uint16(): number {
    return this.buf.readUInt16BE(this.need(2));
  }
  int32(): number {
    return this.buf.readInt32BE(this.need(4));
  }
  uint32(): number {
    return this.buf.readUInt32BE(this.need(4));
  }
  int64(): number {
    return Number(this.buf.readBigInt64BE(this.need(8)));
  }
  float64(): number {
    return this.buf.readDoubleBE(this.need(8));
  }
  bool(): boolean {
    return this.buf[this.need(1)] !== 0;
  }
  uuid(): string {
    return this.buf.subarray(this.need(16), this.offset).toString('base64url');
  }

  uvarint(): number {
    let value = 0;
    for (let shift = 0; shift <= 28; shift += 7) {
      const b = this.buf[this.need(1)];
      value += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new MalformedFrameError('Malformed unsigned varint (more than 5 bytes).');
  }

  /** A length prefix: int16/int32 (classic) or uvarint+1 (compact). -1 (null) is allowed only when nullable. */
  length(compact: boolean, wide: boolean, nullable: boolean, what: string): number {
    const n = compact ? this.uvarint() - 1 : wide ? this.int32() : this.int16();
    if (n === -1) {
      if (!nullable) throw new MalformedFrameError(`Null ${what} where the protocol does not allow one.`);
      return -1;
    }
    if (n < -1) throw new MalformedFrameError(`Negative ${what} length ${n}.`);
    if (n > this.remaining) throw new MalformedFrameError(`${what} length ${n} exceeds the ${this.remaining} byte(s) left in the request.`);
    return n;
  }

  /** An array count; each element takes at least `minElementBytes`, which bounds the count by the bytes left. */
  count(compact: boolean, nullable: boolean, minElementBytes: number): number {
    const n = compact ? this.uvarint() - 1 : this.int32();
    if (n === -1) {
      if (!nullable) throw new MalformedFrameError('Null array where the protocol does not allow one.');
      return -1;
    }
    if (n < -1) throw new MalformedFrameError(`Negative array length ${n}.`);
    if (n * minElementBytes > this.remaining) throw new MalformedFrameError(`Array of ${n} element(s) cannot fit in the ${this.remaining} byte(s) left in the request.`);
    return n;
  }

  string(compact: boolean, nullable: boolean): string | null {
    const n = this.length(compact, false, nullable, 'string');
    if (n === -1) return null;
    const at = this.need(n);
    return this.buf.toString('utf8', at, at + n);
  }

  /** Bytes are returned as a view into the frame (no copy); the frame stays alive as long as they do. */
  bytes(compact: boolean, nullable: boolean): Buffer | null {
    const n = this.length(compact, true, nullable, 'bytes');
    if (n === -1) return null;
    const at = this.need(n);
    return this.buf.subarray(at, at + n);
  }

  skip(n: number): void {
    this.need(n);
  }
}
