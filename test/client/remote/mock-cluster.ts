// librdkafka's mock cluster (kcat -X test.mock.num.brokers=3), a real Kafka protocol peer on
// 127.0.0.1. The kcat process stays alive as a consumer of a dummy topic; its debug log names the
// mock's bootstrap servers.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export function kcatAvailable(): boolean {
  return spawnSync('kcat', ['-V']).status === 0;
}

export async function startMockCluster(): Promise<{ bootstrap: string; stop: () => void; child: ChildProcess }> {
  const child = spawn('kcat', ['-b', '127.0.0.1:1', '-X', 'test.mock.num.brokers=3', '-C', '-t', '__keepalive', '-d', 'mock', '-q'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  const bootstrap = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`mock cluster did not start: ${log.slice(0, 500)}`)), 10_000);
    child.stderr!.on('data', (d) => {
      log += d;
      const m = /bootstrap\.servers=(\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  child.stderr!.resume();
  return { bootstrap, child, stop: () => child.kill('SIGKILL') };
}

export function kcat(args: string[], input?: string): { status: number | null; stdout: string } {
  const r = spawnSync('kcat', args, { input, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout };
}
