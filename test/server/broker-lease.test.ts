// A --node-id server's life as the other processes see it: alive while its process runs and renews
// its lease, fenced when it stops renewing, registered again when it resumes; one owner per id.
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { startServerProcess } from './server-process.js';

afterEach(cleanTempDirs);

const partitionLine = async (dir: string) => (await bin('kafka-topics', ['--describe', '--topic', 't'], dir)).stdout.split('\n')[1];

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(100);
  }
}

describe('broker leases', () => {
  it('fences a server that stops renewing after broker.session.timeout.ms; it registers again and rejoins when it resumes', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 't', '--replica-assignment', '2:1:3'], dir);
    const server = await startServerProcess(dir, ['--node-id', '2', '--override', 'broker.session.timeout.ms=1500']);
    try {
      expect(await partitionLine(dir)).toBe('\tTopic: t\tPartition: 0\tLeader: 2\tReplicas: 2,1,3\tIsr: 2,1,3\tElr: \tLastKnownElr: ');
      server.child.kill('SIGSTOP');
      await until(async () => (await partitionLine(dir)) === '\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 2,1,3\tIsr: 1,3\tElr: \tLastKnownElr: ');
      server.child.kill('SIGCONT');
      await until(async () => (await partitionLine(dir)).includes('Isr: 1,3,2'));
      expect(server.stderr()).toContain('Broker 2 had been fenced (its lease expired): registered again');
    } finally {
      server.child.kill('SIGCONT');
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses a second server for a broker id a live process serves, and kafka-server-stop of a stopped broker', async () => {
    const dir = tempDir();
    const server = await startServerProcess(dir, ['--node-id', '1']);
    try {
      const second = await bin('kafka-server-start', ['--node-id', '1', '--port', '0'], dir);
      expect(second.code).toBe(1);
      expect(second.stderr).toBe(`Error: Broker 1 is already served by process ${server.child.pid}: stop it first (kafka-server-stop --node-id 1) or start another node id.\n`);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const again = await bin('kafka-server-stop', ['--node-id', '1'], dir);
    expect([again.code, again.stderr]).toEqual([1, 'Error: Broker 1 is not running: nothing to stop (start it with kafka-server-start --node-id 1).\n']);
    const unknown = await bin('kafka-server-stop', ['--node-id', '7'], dir);
    expect([unknown.code, unknown.stderr]).toEqual([1, 'Error: No broker 7 in this cluster (its brokers are 1, 2, 3).\n']);
    const none = await bin('kafka-server-stop', [], dir);
    expect([none.code, none.stderr]).toEqual([1, 'No kafka server to stop\n']);
  });
});
