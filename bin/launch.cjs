'use strict';
// What every bin runs. Start-up is most of a short command's time (bench/startup.bench.mjs), and
// loading ~25 ESM modules costs more than the work itself: resolution and compilation per module,
// with no code cache in Node 20. So `npm run build` also writes one CommonJS bundle per tool
// (dist/bundle/<tool>.cjs, see scripts/bundle.mjs) plus V8's code cache for it, and this file runs that.
// When the bundle is missing or older than the tsc output (someone ran only `tsc`), the bin runs
// dist/commands/<tool>.js as before: slower, never stale.
const { readFileSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { createRequire, wrap } = require('node:module');
const vm = require('node:vm');

const DIST = join(__dirname, '..', 'dist');

/** Compiles a bundle with the given code cache (rejected silently by V8 if it does not match) and runs its top level. */
function loadBundle(file, cachedData) {
  const script = new vm.Script(wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  const module = { exports: {} };
  script.runInThisContext().call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return { script, exports: module.exports };
}

function bundlePath(tool) {
  return join(DIST, 'bundle', `${tool}.cjs`);
}

function freshBundle(tool) {
  const file = bundlePath(tool);
  try {
    return statSync(file).mtimeMs >= statSync(join(DIST, 'commands', `${tool}.js`)).mtimeMs ? file : undefined;
  } catch {
    return undefined;
  }
}

function launch(tool) {
  const file = freshBundle(tool);
  if (!file) return import(`../dist/commands/${tool}.js`).then((m) => m.main());
  let cachedData;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    cachedData = undefined;
  }
  return loadBundle(file, cachedData).exports.main();
}

module.exports = { launch, loadBundle, bundlePath, freshBundle };
