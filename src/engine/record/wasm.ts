// The compiled wasm/records.ts (dist/wasm/records.wasm, built by `npm run build`), and its memory
// as a Buffer. Callers lay the memory out afresh for each call and keep nothing in it.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The compiler's lib (ES2022, no DOM) has no WebAssembly types: the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

export interface RecordsModule {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  valueLines(p: number, end: number, count: number, fromDelta: number, limit: number, out: number, sep: number, sepLen: number, nul: number, nulLen: number): number;
  encodeValues(src: number, base: number, starts: number, ends: number, count: number, out: number, limit: number, firstDelta: number, timestampDelta: number): number;
  visited: { value: number };
  nextDelta: { value: number };
  outEnd: { value: number };
}

const WASM_FILE = join('wasm', 'records.wasm');

/** dist/wasm/records.wasm, from dist/bundle, dist/engine/record or src/engine/record. */
function findModule(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    for (const candidate of [join(dir, WASM_FILE), join(dir, 'dist', WASM_FILE)]) if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return undefined;
}

let loaded: RecordsModule | null | undefined;

/** The compiled module, or null when it was not built (the TypeScript loops then do the work). */
export function recordsModule(): RecordsModule | null {
  if (loaded !== undefined) return loaded;
  loaded = null;
  const file = findModule();
  if (file === undefined) return loaded;
  try {
    const module = new WebAssembly.Module(readFileSync(file));
    loaded = new WebAssembly.Instance(module, { env: { abort: () => { throw new Error('records.wasm aborted'); } } }).exports as unknown as RecordsModule;
  } catch {
    // A damaged build (a disk that filled up): the TypeScript loops give the same results.
    loaded = null;
  }
  return loaded;
}

let view: Buffer | undefined;

/** The module's memory, grown to at least `bytes` (growing detaches the old buffer: take a new view each call). */
export function moduleMemory(m: RecordsModule, bytes: number): Buffer {
  const have = m.memory.buffer.byteLength;
  if (bytes > have) m.memory.grow(Math.ceil((bytes - have) / 65536));
  if (view === undefined || view.buffer !== m.memory.buffer) view = Buffer.from(m.memory.buffer);
  return view;
}
