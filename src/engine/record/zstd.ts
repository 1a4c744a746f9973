// zstd with no C/C++ build at install: node:zlib's own zstd where this Node has it (22.15+, 23.8+),
// else libzstd compiled to WebAssembly (@bokuweb/zstd-wasm, shipped built in its npm package).
// Both are synchronous (the embedded producer compresses on its hot path) and both refuse to
// produce more than `limit` bytes with an ERR_BUFFER_TOO_LARGE error, as zlib's maxOutputLength does.
import * as zlib from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface ZstdCodec {
  readonly name: 'node:zlib' | 'wasm';
  compress(data: Buffer): Buffer;
  decompress(data: Buffer, limit: number): Buffer;
}

type ZlibWithZstd = {
  zstdCompressSync?: (data: Buffer) => Buffer;
  zstdDecompressSync?: (data: Buffer, options: { maxOutputLength: number }) => Buffer;
};

/** node:zlib's zstd, or undefined on a Node without it. */
export function zlibZstd(): ZstdCodec | undefined {
  const z = zlib as unknown as ZlibWithZstd;
  const { zstdCompressSync, zstdDecompressSync } = z;
  if (typeof zstdCompressSync !== 'function' || typeof zstdDecompressSync !== 'function') return undefined;
  return {
    name: 'node:zlib',
    compress: (data) => zstdCompressSync(data),
    decompress(data, limit) {
      // A frame that declares too much is refused as such, not as corrupt once zlib stops at the limit.
      zstdOutputBound(data, limit);
      return zstdDecompressSync(data, { maxOutputLength: limit });
    },
  };
}

// The compiler's lib (ES2022, no DOM) has no WebAssembly types: the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};
type WasmInstance = { exports: unknown };

/** The subset of the emscripten module of @bokuweb/zstd-wasm that we call. */
interface ZstdWasmModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _ZSTD_compressBound(size: number): number;
  _ZSTD_compress(dst: number, dstCapacity: number, src: number, srcSize: number, level: number): number;
  _ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
  _ZSTD_isError(code: number): number;
  instantiateWasm?: (imports: object, receive: (instance: WasmInstance) => unknown) => unknown;
  init(): void;
}

// ZSTD_ErrorCode values (zstd_errors.h); a size_t error comes back as its negation in wasm32.
const ZSTD_DST_SIZE_TOO_SMALL = 70;
const ZSTD_BLOCK_MAX = 128 * 1024;
// Kafka's (and zstd's) default level.
const LEVEL = 3;

let wasmModule: ZstdWasmModule | undefined;

/**
 * The package's own init() is asynchronous; its emscripten module also takes an `instantiateWasm`
 * hook, through which the module is compiled and started synchronously on first use instead. Its
 * module file is reached by path, as the package exports only its async entry point (version pinned).
 */
function loadWasm(): ZstdWasmModule {
  if (wasmModule) return wasmModule;
  const require = createRequire(import.meta.url);
  const dir = dirname(require.resolve('@bokuweb/zstd-wasm'));
  const { Module } = require(join(dir, 'module.js')) as { Module: ZstdWasmModule };
  const bytes = readFileSync(join(dir, 'zstd.wasm'));
  Module.instantiateWasm = (imports, receive) => receive(new WebAssembly.Instance(new WebAssembly.Module(bytes), imports));
  Module.init();
  if (typeof Module._malloc !== 'function' || !Module.HEAPU8) throw new Error('the zstd WebAssembly module did not start');
  return (wasmModule = Module);
}

function tooLarge(limit: number): Error {
  return Object.assign(new RangeError(`zstd output exceeds ${limit} bytes`), { code: 'ERR_BUFFER_TOO_LARGE' });
}

/** ZSTD_decompress needs its output room up front: what the frames declare, else what their blocks can hold. */
export function zstdOutputBound(data: Buffer, limit: number): number {
  let total = 0;
  let pos = 0;
  while (pos < data.length) {
    if (data.length - pos < 8) throw new Error('a zstd frame header is truncated');
    const magic = data.readUInt32LE(pos);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      pos += 8 + data.readUInt32LE(pos + 4); // skippable frame
      continue;
    }
    if (magic !== 0xfd2fb528) throw new Error(`a zstd frame has bad magic 0x${magic.toString(16)}`);
    const fhd = data[pos + 4];
    const fcsFlag = fhd >> 6;
    const singleSegment = (fhd & 0x20) !== 0;
    const dictIdSize = [0, 1, 2, 4][fhd & 3];
    const checksum = (fhd & 0x04) !== 0;
    const fcsSize = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag];
    let p = pos + 5 + (singleSegment ? 0 : 1) + dictIdSize;
    let declared: number | undefined;
    if (fcsSize > 0) {
      if (p + fcsSize > data.length) throw new Error('a zstd frame header is truncated');
      declared =
        fcsSize === 1 ? data[p] : fcsSize === 2 ? data.readUInt16LE(p) + 256 : fcsSize === 4 ? data.readUInt32LE(p) : Number(data.readBigUInt64LE(p));
      if (declared > limit) throw tooLarge(limit);
    }
    p += fcsSize;
    let blocks = 0;
    for (let last = false; !last; ) {
      if (p + 3 > data.length) throw new Error('a zstd block header is truncated');
      const header = data[p] | (data[p + 1] << 8) | (data[p + 2] << 16);
      last = (header & 1) === 1;
      const type = (header >> 1) & 3;
      const size = header >>> 3;
      // Raw and RLE blocks regenerate `size` bytes; a compressed one at most a full block.
      blocks += type === 2 ? ZSTD_BLOCK_MAX : size;
      p += 3 + (type === 1 ? 1 : size);
    }
    pos = p + (checksum ? 4 : 0);
    total += declared ?? blocks;
    if (total > limit) return limit + 1;
  }
  return total;
}

/** libzstd in WebAssembly; started (about 10 ms) on its first call. */
export function wasmZstd(): ZstdCodec {
  const withBuffers = <T>(sizes: number[], fn: (ptrs: number[]) => T): T => {
    const m = loadWasm();
    const ptrs: number[] = [];
    try {
      for (const size of sizes) {
        const ptr = m._malloc(Math.max(1, size));
        if (ptr === 0) throw new Error(`cannot allocate ${size} bytes for zstd`);
        ptrs.push(ptr);
      }
      return fn(ptrs);
    } finally {
      for (const ptr of ptrs) m._free(ptr);
    }
  };
  return {
    name: 'wasm',
    compress(data) {
      const m = loadWasm();
      const bound = m._ZSTD_compressBound(data.length);
      return withBuffers([data.length, bound], ([src, dst]) => {
        m.HEAPU8.set(data, src);
        const n = m._ZSTD_compress(dst, bound, src, data.length, LEVEL);
        if (m._ZSTD_isError(n)) throw new Error(`zstd compression failed (error ${-n})`);
        return Buffer.from(m.HEAPU8.subarray(dst, dst + n));
      });
    },
    decompress(data, limit) {
      const m = loadWasm();
      const capacity = zstdOutputBound(data, limit);
      return withBuffers([data.length, capacity], ([src, dst]) => {
        m.HEAPU8.set(data, src);
        const n = m._ZSTD_decompress(dst, capacity, src, data.length);
        if (m._ZSTD_isError(n)) {
          if (-n === ZSTD_DST_SIZE_TOO_SMALL && capacity > limit) throw tooLarge(limit);
          throw new Error(`zstd data is corrupt (error ${-n})`);
        }
        if (n > limit) throw tooLarge(limit);
        return Buffer.from(m.HEAPU8.subarray(dst, dst + n));
      });
    },
  };
}

let chosen: ZstdCodec | undefined;

/** node:zlib's zstd when this Node has it, else the WebAssembly build. */
export function zstd(): ZstdCodec {
  return (chosen ??= zlibZstd() ?? wasmZstd());
}
