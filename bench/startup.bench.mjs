// Start-up: `kafka-topics --list` on an embedded data dir, against `node -e 0` in the same run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
// The bins run dist/bundle/ when `npm run build` made it, else the tsc output: say which was measured.
const { freshBundle } = createRequire(import.meta.url)('../bin/launch.cjs');
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function time(cmd, args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

export default async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-bench-'));
  try {
    const env = { KAFKIT_DATA_DIR: dir };
    time(join(root, 'bin/kafka-topics'), ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3'], env);
    const list = [];
    const node = [];
    for (let i = 0; i < 21; i++) {
      node.push(time(process.execPath, ['-e', '0'], env));
      list.push(time(join(root, 'bin/kafka-topics'), ['--list'], env));
    }
    return [
      { name: `kafka-topics --list (median of 21${freshBundle('kafka-topics') ? '' : '; no bundle: tsc output only'})`, value: median(list), unit: 'ms', reference: { name: 'node -e 0', value: median(node) }, goal: '<= 120 ms wall' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
