#!/usr/bin/env node
// The second half of `npm run build` (after tsc): one CommonJS file per tool, dist/bundle/<tool>.cjs,
// plus V8's code cache for it (<tool>.cjs.cache), which the bins run through bin/launch.cjs.
// One file instead of ~25 ESM modules, compiled from a cache, takes kafka-topics --list from ~40 ms
// above `node -e 0` to ~13 ms (bench/startup.bench.mjs). Without esbuild the bins run dist/ as is.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const require = createRequire(import.meta.url);
const { loadBundle, bundlePath } = require('../bin/launch.cjs');

const TOOLS = ['kafka-topics', 'kafka-console-producer', 'kafka-console-consumer', 'kafka-consumer-groups', 'kafka-configs', 'kafka-broker-api-versions', 'kafka-log-dirs', 'kafka-get-offsets', 'kafka-delete-records', 'kafka-dump-log', 'kafka-producer-perf-test', 'kafka-consumer-perf-test', 'kafka-leader-election'];
// Pure-JS packages that every run loads go into the bundle. Native addons, and packages the tools
// import only when needed (kafkajs, ora, prompts), stay in node_modules.
const BUNDLED = new Set(['yargs-parser', 'chalk']);
// What each tool runs while its code cache is recorded: the functions these calls compile are
// cached too. Cheap commands only; anything else is compiled at run time as usual.
const TRAINING = {
  'kafka-topics': [['--version'], ['--list']],
  'kafka-console-producer': [['--version']],
  'kafka-console-consumer': [['--version']],
  'kafka-consumer-groups': [['--version'], ['--list']],
  'kafka-configs': [['--version'], ['--describe', '--entity-type', 'brokers', '--entity-default']],
  'kafka-broker-api-versions': [['--version'], []],
  'kafka-log-dirs': [['--version'], ['--describe']],
  'kafka-get-offsets': [['--version']],
  'kafka-delete-records': [['--version']],
  'kafka-dump-log': [['--version']],
  'kafka-producer-perf-test': [['--version']],
  'kafka-consumer-perf-test': [['--version']],
  'kafka-leader-election': [['--version']],
};

/**
 * esbuild turns `import('x')` of an external into `__toESM(require('x'), 1)`, whose `default` is
 * always require()'s result: right for CommonJS (kafkajs), wrong for an ES module (ora), whose
 * require() result is already its namespace, so `(await import('ora')).default` was that namespace
 * ("ora is not a function"). Each external is instead imported through a small ES module that gives
 * what Node's own import() gives: the namespace of an ES module, `{ default: module.exports, ...names }`
 * of a CommonJS one. Its export names are read here, by importing the package once at build time.
 */
function importExternalsAsNode(names) {
  const externals = new Set(names);
  return {
    name: 'import-externals-as-node',
    setup(build) {
      build.onResolve({ filter: /^[^.]/ }, async (args) => {
        if (args.namespace === 'kafkit-external' || !externals.has(args.path)) return undefined;
        if (args.kind !== 'dynamic-import' && args.kind !== 'import-statement') return undefined;
        let keys;
        try {
          keys = Object.keys(await import(args.path));
        } catch {
          return undefined; // An optional package that is not installed: the bundle require()s it and fails as dist/ would.
        }
        return { path: args.path, namespace: 'kafkit-external', pluginData: keys };
      });
      build.onLoad({ filter: /.*/, namespace: 'kafkit-external' }, (args) => {
        const names = args.pluginData.filter((k) => k !== 'default' && /^[A-Za-z_$][\w$]*$/.test(k));
        const contents = [
          `const m = require(${JSON.stringify(args.path)});`,
          `const ns = m[Symbol.toStringTag] === 'Module' ? m : { ...m, default: m };`,
          'export default ns.default;',
          names.length > 0 ? `export const { ${names.join(', ')} } = ns;` : '',
        ].join('\n');
        return { contents, loader: 'js', resolveDir: root };
      });
    },
  };
}

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  process.stderr.write('scripts/bundle.mjs: esbuild is not installed; the bins will run dist/commands/*.js (slower start-up).\n');
  process.exit(0);
}

const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
// node-rdkafka is in no dependency list (a default install does not compile it), and loaded when present.
const OPTIONAL = ['node-rdkafka'];
const external = [...Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }), ...OPTIONAL].filter((name) => !BUNDLED.has(name));
mkdirSync(join(dist, 'bundle'), { recursive: true });

const sink = () => new Writable({ write: (_chunk, _enc, done) => done() });
const dataDir = mkdtempSync(join(tmpdir(), 'kafkit-bundle-'));
try {
  for (const tool of TOOLS) {
    const outfile = bundlePath(tool);
    await esbuild.build({
      stdin: {
        contents: `export { main, tool, handler } from './commands/${tool}.js';\nexport { runCommand } from './commands/cli.js';\n`,
        resolveDir: dist,
        sourcefile: `${tool}.entry.js`,
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile,
      external,
      // import() inside a vm.Script needs an experimental loader option that a code cache then
      // loses: externals (kafkajs, ora, prompts) are require()d instead (require(esm) since Node 20.19).
      supported: { 'dynamic-import': false },
      plugins: [importExternalsAsNode(external)],
      // compression.ts finds the native codecs relative to itself; in the bundle, that is the bundle.
      banner: { js: 'const __kafkit_import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__kafkit_import_meta_url' },
      logLevel: 'warning',
    });
    const { script, exports } = loadBundle(outfile, undefined);
    for (const argv of TRAINING[tool]) {
      const io = { stdout: sink(), stderr: sink(), stdin: Readable.from([]), isTTY: false, env: { KAFKIT_DATA_DIR: dataDir } };
      const code = await exports.runCommand(exports.tool, exports.handler, argv, io);
      if (code !== 0) throw new Error(`${tool} ${argv.join(' ')} exited ${code} while recording the code cache`);
    }
    writeFileSync(`${outfile}.cache`, script.createCachedData());
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
