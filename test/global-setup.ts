// Bins and child processes run the compiled dist/: compile once before any test file runs
// (npm test has just done it and says so through KAFKIT_BUILT).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  if (process.env.KAFKIT_BUILT === '1') return;
  const r = spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: join(import.meta.dirname, '..'), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tsc failed:\n${r.stdout}${r.stderr}`);
}
