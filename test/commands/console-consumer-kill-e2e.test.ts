// At-least-once through a killed console consumer: the group's committed offset must never run
// ahead of what reached stdout, or a slow reader plus kill -9 loses records for good (issue 16).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, ROOT, tempDir } from '../helpers.js';

afterAll(cleanTempDirs);

const N = 200_000;
const line = (i: number) => `record-${String(i).padStart(7, '0')}`;

/**
 * Runs a group member whose stdout is read slowly (4 KB every 20 ms), kills it with SIGKILL `ms`
 * after its first output (a member may first wait out the previous one's session), returns every
 * complete line the reader got.
 */
function slowlyReadThenKill(dir: string, ms: number): Promise<string[]> {
  const child = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 't', '--group', 'g', '--from-beginning', '--consumer-property', 'auto.commit.interval.ms=50', '--consumer-property', 'session.timeout.ms=2000', '--consumer-property', 'heartbeat.interval.ms=500'], {
    env: { ...process.env, KAFKIT_DATA_DIR: dir },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let text = '';
  let ended = false;
  // Registered up front: a read() in the loop below may consume the end before the process's exit.
  child.stdout.once('end', () => (ended = true));
  child.stdout.pause();
  let killTimer: NodeJS.Timeout | undefined;
  const reader = setInterval(() => {
    const chunk = child.stdout.read(4096) ?? child.stdout.read();
    if (chunk) text += chunk;
    if (text.length > 0 && killTimer === undefined) killTimer = setTimeout(() => child.kill('SIGKILL'), ms);
  }, 20);
  const safety = setTimeout(() => child.kill('SIGKILL'), 30_000);
  return new Promise((resolve) => {
    child.on('exit', () => {
      clearInterval(reader);
      clearTimeout(safety);
      const lines = () => text.slice(0, text.lastIndexOf('\n') + 1).split('\n').slice(0, -1);
      // What the killed process had written is in the pipe: the reader still gets it.
      child.stdout.on('data', (d) => (text += d));
      if (ended) resolve(lines());
      else child.stdout.once('end', () => resolve(lines()));
      child.stdout.resume();
    });
  });
}

describe('a killed console consumer in a group', () => {
  it('never commits past what its slow reader received; the next member prints the rest', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1'], dir)).code).toBe(0);
    const input = Array.from({ length: N }, (_, i) => `${line(i)}\n`).join('');
    expect((await bin('kafka-console-producer', ['--topic', 't'], dir, input)).code).toBe(0);

    // Killed at different points of a write: each member resumes where the previous one committed.
    let committed = 0;
    for (const ms of [300, 800, 1300]) {
      const received = await slowlyReadThenKill(dir, ms);
      expect(received.length).toBeGreaterThan(0);
      expect(received).toEqual(Array.from({ length: received.length }, (_, i) => line(committed + i)));
      const describe = await bin('kafka-consumer-groups', ['--describe', '--group', 'g', '--offsets'], dir);
      // CURRENT-OFFSET is '-' while nothing was committed.
      const current = describe.stdout.split('\n')[2].split(/\s+/)[3];
      const now = current === '-' ? 0 : Number(current);
      expect(now).toBeGreaterThanOrEqual(committed);
      expect(now - committed).toBeLessThanOrEqual(received.length);
      committed = now;
    }
    expect(committed).toBeGreaterThan(0);
    expect(committed).toBeLessThan(N);

    // The killed member's session must expire before the next one gets the partition.
    const rest = await bin('kafka-console-consumer', ['--topic', 't', '--group', 'g', '--max-messages', String(N - committed), '--timeout-ms', '30000'], dir);
    expect(rest.stdout.split('\n').slice(0, -1)).toEqual(Array.from({ length: N - committed }, (_, i) => line(committed + i)));
  }, 90_000);
});
