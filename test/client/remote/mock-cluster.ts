// librdkafka's mock cluster (kcat -X test.mock.num.brokers=3), a real Kafka protocol peer on
// 127.0.0.1. The kcat process stays alive as a consumer of a dummy topic; its debug log names the
// mock's bootstrap servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function kcatAvailable(): boolean {
  return spawnSync('kcat', ['-V']).status === 0;
}

export async function startMockCluster(): Promise<{ bootstrap: string; stop: () => void; child: ChildProcess }> {
  // The mock's debug log goes to a file, not a pipe: a pipe nobody drains (the parent blocked in
  // spawnSync/execSync) fills up and freezes the mock cluster.
  const dir = mkdtempSync(join(tmpdir(), 'kafkit-mock-'));
  const logPath = join(dir, 'mock.log');
  const fd = openSync(logPath, 'w');
  const child = spawn('kcat', ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-C', '-t', '__keepalive', '-d', 'mock', '-q'], { stdio: ['ignore', 'ignore', fd] });
  closeSync(fd);
  const stop = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const m = /bootstrap\.servers=(\S+)/.exec(readFileSync(logPath, 'utf8'));
    if (m) return { bootstrap: m[1], child, stop };
    if (Date.now() > deadline) {
      stop();
      throw new Error('the librdkafka mock cluster did not start');
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function kcat(args: string[], input?: string): { status: number | null; stdout: string } {
  const r = spawnSync('kcat', args, { input, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout };
}
