#!/usr/bin/env node
// Part of `npm run build`: compiles wasm/records.ts (AssemblyScript) to dist/wasm/records.wasm,
// the console consumer's per-record loop (src/engine/record/value-lines.ts). Without the compiler
// (an install without devDependencies) the tools use the same loop in TypeScript, only slower.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
let asc;
try {
  asc = join(dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
} catch {
  process.stderr.write('scripts/wasm.mjs: assemblyscript is not installed; the console consumer prints values with its TypeScript loop (slower).\n');
  process.exit(0);
}
execFileSync(process.execPath, [asc, join(root, 'wasm', 'records.ts'), '-O3', '--runtime', 'stub', '--noAssert', '-o', join(root, 'dist', 'wasm', 'records.wasm')], { stdio: 'inherit' });
