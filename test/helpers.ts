// Shared test plumbing: temp data dirs, in-process command runs, and the compiled bins.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { spawn } from 'node:child_process';
import { runCommand, type CommandIO, type ParsedArgs, type ToolSpec } from '../src/commands/cli.js';

export const ROOT = join(import.meta.dirname, '..');
const dirs: string[] = [];

export function tempDir(prefix = 'kafkit-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export function cleanTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in-process against a data dir, with the given stdin text. */
export async function run(
  cmd: { tool: ToolSpec; handler: (a: ParsedArgs, io: CommandIO) => Promise<number> },
  argv: string[],
  dataDir: string,
  stdin = '',
): Promise<RunResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CommandIO = { stdout, stderr, stdin: Readable.from([Buffer.from(stdin)]), isTTY: false, env: { KAFKIT_DATA_DIR: dataDir, NO_COLOR: '1' } };
  const code = await runCommand(cmd.tool, cmd.handler, argv, io);
  return { code, stdout: out, stderr: err };
}

/** Runs bin/<name> to completion. */
export function bin(name: string, args: string[], dataDir: string, input?: string, env: Record<string, string> = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', name), args, { env: { ...process.env, KAFKIT_DATA_DIR: dataDir, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
