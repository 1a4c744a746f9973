// Starts bin/kafka-server-start on free ports (--port 0) and stops it by PID.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { ROOT, cleanTempDirs, tempDir } from '../helpers.js';

export interface ServerProcess {
  bootstrap: string;
  child: ChildProcess;
  stderr: () => string;
  /** SIGTERM, then waits; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function startServerProcess(dataDir: string, args: string[] = []): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'bin', 'kafka-server-start'), ['--port', '0', ...args], {
      env: { ...process.env, KAFKIT_DATA_DIR: dataDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${err}`)), 20_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /bootstrap servers: (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({
          bootstrap: m[1],
          child,
          stderr: () => err,
          async stop() {
            if (child.exitCode === null) child.kill('SIGTERM');
            return exited;
          },
        });
      }
    });
    child.on('exit', () => {
      clearTimeout(timer);
      reject(new Error(`server exited early:\n${err}`));
    });
  });
}

export function runProcess(cmd: string, args: string[], options: { input?: string | Buffer; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: { ...process.env, ...options.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/**
 * One server for a whole test file: started on a fresh data dir before its tests (after `prepare`),
 * stopped by PID after them, and checked to have shut down cleanly.
 */
export function serverPerFile(options: { args?: string[]; prepare?: (dataDir: string) => Promise<void> } = {}): { server: ServerProcess; dataDir: string } {
  const state = {} as { server: ServerProcess; dataDir: string };
  beforeAll(async () => {
    state.dataDir = tempDir();
    await options.prepare?.(state.dataDir);
    state.server = await startServerProcess(state.dataDir, options.args);
  });
  afterAll(async () => {
    expect(await state.server.stop()).toBe(0);
    expect(state.server.stderr()).toContain('kafkit server stopped cleanly');
    await cleanTempDirs();
  });
  return state;
}

/**
 * Stops a child by PID (SIGTERM) and waits for it to exit; after `graceMs` it is killed (SIGKILL)
 * so that a test never leaks it. Resolves with the exit code, or the signal that ended it.
 */
export function stopProcess(child: ChildProcess, graceMs = 20_000): Promise<number | NodeJS.Signals> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode!);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal!);
    });
    child.kill('SIGTERM');
  });
}
