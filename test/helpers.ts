// Shared test plumbing: temp data dirs, in-process command runs, and the compiled bins.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
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

/** Removes the temp dirs; in remote mode stops their servers first (so returns a promise then). */
export function cleanTempDirs(): void | Promise<void> {
  const remove = () => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  };
  if (servers.size === 0) return remove();
  const stopping = [...servers.values()].map((server) => new Promise<void>((resolve) => {
    if (server.exitCode !== null) return resolve();
    server.once('exit', () => resolve());
    server.kill('SIGTERM');
  }));
  servers.clear();
  bootstraps.clear();
  return Promise.all(stopping).then(remove);
}

// Remote mode (KAFKIT_TEST_REMOTE=1, set by test/server/remote-suite.test.ts): the command tests run
// again with --bootstrap-server against a kafka-server-start serving the test's own data dir, so
// assertions on the data dir's files still hold.
const servers = new Map<string, import('node:child_process').ChildProcess>();
const bootstraps = new Map<string, string>();

export const remoteMode = () => process.env.KAFKIT_TEST_REMOTE === '1';

/**
 * The libraries the remote producer can run on in this test run: node-rdkafka where it is installed
 * and loads in this Node (an optional accelerator, built for one Node ABI), and always kafkajs
 * (KAFKIT_NO_RDKAFKA=1 asks for it).
 */
export function remoteProducerLibraries(): Array<'node-rdkafka' | 'kafkajs'> {
  try {
    createRequire(import.meta.url)('node-rdkafka');
    return ['node-rdkafka', 'kafkajs'];
  } catch {
    return ['kafkajs'];
  }
}

/** The library a bin's remote producer uses by default in this test run. */
export const defaultRemoteProducer = () => (process.env.KAFKIT_NO_RDKAFKA ? 'kafkajs' : remoteProducerLibraries()[0]);

async function bootstrapFor(dataDir: string): Promise<string> {
  const known = bootstraps.get(dataDir);
  if (known && servers.has(dataDir)) return known;
  const child = spawn(join(ROOT, 'bin', 'kafka-server-start'), ['--port', '0'], { env: { ...process.env, KAFKIT_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  servers.set(dataDir, child);
  const bootstrap = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /bootstrap servers: (\S+)/.exec(err);
      if (m) resolve(m[1].split(',')[0]);
    });
    child.on('exit', () => reject(new Error(`kafka-server-start exited:\n${err}`)));
  });
  bootstraps.set(dataDir, bootstrap);
  return bootstrap;
}

/** argv plus --bootstrap-server in remote mode (not for --help/--version or an empty command line). */
async function withBootstrap(argv: string[], dataDir: string): Promise<string[]> {
  if (!remoteMode() || argv.length === 0 || argv.includes('--help') || argv.includes('--version') || argv.includes('--bootstrap-server')) return argv;
  return ['--bootstrap-server', await bootstrapFor(dataDir), ...argv];
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
  const code = await runCommand(cmd.tool, cmd.handler, await withBootstrap(argv, dataDir), io);
  return { code, stdout: out, stderr: err };
}

/** Runs bin/<name> to completion. */
export async function bin(name: string, args: string[], dataDir: string, input?: string, env: Record<string, string> = {}): Promise<RunResult> {
  const argv = name === 'kafka-server-start' ? args : await withBootstrap(args, dataDir);
  return new Promise((resolve) => {
    const child = spawn(join(ROOT, 'bin', name), argv, { env: { ...process.env, KAFKIT_DATA_DIR: dataDir, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
