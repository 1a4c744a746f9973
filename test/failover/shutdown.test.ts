// A controlled shutdown is not cut short by a second signal (Ctrl-C pressed twice, or
// kafka-server-stop followed by a supervisor's SIGTERM), nor lost when the first signal comes the
// moment the server printed its bootstrap line: the broker still leaves cleanly.
import { afterEach, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { exited, partitions, startBroker, stopAll } from './brokers.js';

afterEach(async () => {
  await stopAll();
  await cleanTempDirs();
});

it('SIGTERM right after start, then a second during the controlled shutdown: exit 0, leadership moved', async () => {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 's', '--replica-assignment', '1:2'], dir)).code).toBe(0);
  const b = await startBroker(dir, 1);
  // Holding the metadata lock keeps the shutdown waiting in its first step (moving leadership off)
  // long enough for the second signal to land in the middle of it.
  const lock = join(dir, 'metadata.lock');
  symlinkSync(String(process.pid), lock);
  try {
    b.child.kill('SIGTERM');
    await sleep(300);
    b.child.kill('SIGTERM');
    await sleep(300);
  } finally {
    unlinkSync(lock);
  }
  expect(await exited(b.child), b.stderr()).toBe(0);
  expect(b.stderr()).toContain('kafkit server stopped cleanly');
  expect(partitions(dir, 's')[0]).toMatchObject({ leader: 2, isr: [2] });
});
