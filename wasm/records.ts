// AssemblyScript, compiled to dist/wasm/records.wasm by `npm run build`; src/engine/record/wasm.ts
// loads it. Without it the same loops run in TypeScript (value-lines.ts, BatchBuilder.appendValues).
//
// The two inner loops where JavaScript's per-record costs dominate: printing a v2 batch's values as
// lines (kafka-console-consumer's default output) and encoding lines as records (the console
// producer's). In JS each record costs a call to copy its value (copyWithin alone is ~50 ns for
// 100 bytes) and a few more; here a batch's worth is one call.
//
// The caller lays the memory out for each call (nothing is kept between calls). valueLines trusts
// none of the record bytes: anything malformed returns -1 and the caller redoes the batch with the
// TypeScript decoder, which names the problem.

/** The records visited by the last call, and the offset delta after the last one visited. */
export let visited: i32 = 0;
export let nextDelta: i32 = 0;
/** Where the output of the last call ends. */
export let outEnd: usize = 0;

// The position after the last varint read, and whether one was malformed.
let cur: usize = 0;
let bad: bool = false;

// @ts-ignore: decorator
@inline
function varint(p: usize, end: usize): i32 {
  if (p < end) {
    const b = <u32>load<u8>(p);
    if (b < 0x80) {
      cur = p + 1;
      return <i32>((b >>> 1) ^ (0 - (b & 1)));
    }
  }
  let result: u32 = 0;
  for (let shift: u32 = 0; shift < 35; shift += 7) {
    if (p >= end) break;
    const b = <u32>load<u8>(p);
    p++;
    result |= (b & 0x7f) << shift;
    if (b < 0x80) {
      cur = p;
      return <i32>((result >>> 1) ^ (0 - (result & 1)));
    }
  }
  bad = true;
  return 0;
}

/** Skips length-prefixed bytes (a length of -1 is null); false when they do not fit. */
// @ts-ignore: decorator
@inline
function skipBytes(p: usize, end: usize, nullable: bool): bool {
  const len = varint(p, end);
  const least: i32 = nullable ? -1 : 0;
  if (bad || len < least) return false;
  if (len > 0) {
    if (<usize>len > end - cur) return false;
    cur += <usize>len;
  }
  return true;
}

/**
 * Writes, for each of the `count` records in [p, end) whose offset delta is >= fromDelta, its
 * value (the null literal for a null value) and the separator, from `out` on. Stops after `limit`
 * such records. Returns 0 when every record was read, 1 when it stopped at `limit` before the
 * last, -1 for a malformed record or batch (what was written then is to be discarded).
 * `out` must have room for the records' bytes plus (null literal + separator) per record.
 */
export function valueLines(p: usize, end: usize, count: i32, fromDelta: i32, limit: i32, out: usize, sep: usize, sepLen: usize, nul: usize, nulLen: usize): i32 {
  visited = 0;
  bad = false;
  for (let i = 0; i < count; i++) {
    if (p >= end) return -1;
    const length = varint(p, end);
    if (bad || length <= 0 || <usize>length > end - cur) return -1;
    const recEnd = cur + <usize>length;
    // The attributes byte, then the timestamp delta: a varlong, not needed here.
    let q = cur + 1;
    let k = 0;
    for (;;) {
      if (q >= recEnd || k == 10) return -1;
      const b = load<u8>(q);
      q++;
      k++;
      if (b < 0x80) break;
    }
    const offsetDelta = varint(q, recEnd);
    if (bad || offsetDelta < 0) return -1;
    if (!skipBytes(cur, recEnd, true)) return -1; // key
    const vlen = varint(cur, recEnd);
    if (bad || vlen < -1) return -1;
    const vstart = cur;
    if (vlen > 0) {
      if (<usize>vlen > recEnd - vstart) return -1;
      cur += <usize>vlen;
    }
    const headers = varint(cur, recEnd);
    if (bad || headers < 0 || <usize>headers > (recEnd - cur) / 2) return -1;
    for (let h = 0; h < headers; h++) {
      if (!skipBytes(cur, recEnd, false) || !skipBytes(cur, recEnd, true)) return -1;
    }
    if (cur != recEnd) return -1;
    p = recEnd;
    if (offsetDelta < fromDelta) continue;
    if (vlen < 0) {
      memory.copy(out, nul, nulLen);
      out += nulLen;
    } else {
      memory.copy(out, vstart, <usize>vlen);
      out += <usize>vlen;
    }
    if (sepLen == 1) store<u8>(out, load<u8>(sep));
    else memory.copy(out, sep, sepLen);
    out += sepLen;
    visited++;
    nextDelta = offsetDelta + 1;
    outEnd = out;
    if (visited >= limit && i + 1 < count) return 1;
  }
  outEnd = out;
  return p == end ? 0 : -1;
}

// @ts-ignore: decorator
@inline
function putVarint(p: usize, value: u64): usize {
  while (value >= 0x80) {
    store<u8>(p, <u8>((value & 0x7f) | 0x80));
    value >>= 7;
    p++;
  }
  store<u8>(p, <u8>value);
  return p + 1;
}

// @ts-ignore: decorator
@inline
function varintSize(value: u64): usize {
  let n: usize = 1;
  while (value >= 0x80) {
    value >>= 7;
    n++;
  }
  return n;
}

// @ts-ignore: decorator
@inline
function zigzag(value: i64): u64 {
  return <u64>((value << 1) ^ (value >> 63));
}

/**
 * Encodes the values of records i = 0 .. count-1 as v2 records from `out` on, the console
 * producer's records: a null key, no headers, the timestamp delta `timestampDelta` and offset
 * deltas from `firstDelta` on. Value i is [src + starts[i] - base, src + ends[i] - base) (the
 * i32 arrays at `starts` and `ends`); starts[i] < 0 is a null value. Stops before a record that
 * would end past `limit`, except the first. Returns how many records it wrote; `outEnd` is where
 * they end. The caller sized the source and the output; the values are its own data, not input
 * from elsewhere.
 */
export function encodeValues(src: usize, base: i32, starts: usize, ends: usize, count: i32, out: usize, limit: usize, firstDelta: i32, timestampDelta: f64): i32 {
  const ts = zigzag(<i64>timestampDelta);
  const fixed: usize = 3 + varintSize(ts);
  let i = 0;
  for (; i < count; i++) {
    const start = load<i32>(starts + (<usize>i << 2));
    const len = load<i32>(ends + (<usize>i << 2)) - start;
    const delta = <u64>(firstDelta + i) << 1;
    const value: u64 = start < 0 ? 1 : zigzag(<i64>len);
    const valueBytes: usize = start < 0 ? 0 : <usize>len;
    const body: usize = fixed + varintSize(delta) + varintSize(value) + valueBytes;
    const total: usize = varintSize(<u64>body << 1) + body;
    if (i > 0 && out + total > limit) break;
    let p = putVarint(out, <u64>body << 1);
    store<u8>(p, 0); // attributes
    p = putVarint(p + 1, ts);
    p = putVarint(p, delta);
    store<u8>(p, 1); // null key: zigzag(-1)
    p = putVarint(p + 1, value);
    if (start >= 0) {
      memory.copy(p, src + <usize>(start - base), <usize>len);
      p += <usize>len;
    }
    store<u8>(p, 0); // no headers
    out = p + 1;
  }
  outEnd = out;
  return i;
}
