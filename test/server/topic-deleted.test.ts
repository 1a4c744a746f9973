// A topic deleted while kafka-server-start has its logs open (issue 14): the server lets go of them
// and still stops cleanly, and a topic created again under the name starts empty. Letting go means
// closing: a deleted file's space comes back only once no process holds it open.
import { spawn } from 'node:child_process';
import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROOT, bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess } from './server-process.js';
import { exited, stopAll, track, until } from '../failover/brokers.js';

/** The files process `pid` holds open that have been deleted (Linux's /proc names them so). */
function deletedFilesHeld(pid: number): string[] {
  const fds = `/proc/${pid}/fd`;
  return readdirSync(fds)
    .map((fd) => {
      try {
        return readlinkSync(`${fds}/${fd}`);
      } catch {
        return '';
      }
    })
    .filter((target) => target.endsWith(' (deleted)'));
}

afterEach(async () => {
  await stopAll();
  await cleanTempDirs();
});

describe('a topic deleted while the server runs', () => {
  it('SIGTERM still exits 0, and the new topic of the same name holds only its own records', async () => {
    const dir = tempDir();
    const server = await startServerProcess(dir);
    try {
      expect((await runProcess('kcat', ['-b', server.bootstrap, '-P', '-t', 'gone'], { input: 'a\nb\nc\n' })).code).toBe(0);
      const read = await runProcess('kcat', ['-b', server.bootstrap, '-C', '-t', 'gone', '-o', 'beginning', '-e', '-q']);
      expect(read.stdout).toBe('a\nb\nc\n');
      // Deleted by another process (the embedded tool), as a user would from a second terminal.
      expect((await bin('kafka-topics', ['--delete', '--topic', 'gone'], dir)).code).toBe(0);
      await until(() => deletedFilesHeld(server.child.pid!).length === 0, 5_000);
      expect(deletedFilesHeld(server.child.pid!)).toEqual([]);
      expect((await bin('kafka-topics', ['--create', '--topic', 'gone'], dir)).code).toBe(0);
      expect((await runProcess('kcat', ['-b', server.bootstrap, '-P', '-t', 'gone'], { input: 'new\n' })).code).toBe(0);
      const again = await runProcess('kcat', ['-b', server.bootstrap, '-C', '-t', 'gone', '-o', 'beginning', '-e', '-q']);
      expect(again.stdout).toBe('new\n');
      // Deleted through the server itself: it closes the files before it removes them.
      expect((await bin('kafka-topics', ['--bootstrap-server', server.bootstrap.split(',')[0], '--delete', '--topic', 'gone'], dir)).code).toBe(0);
      expect(deletedFilesHeld(server.child.pid!)).toEqual([]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).not.toMatch(/Cannot close|ENOENT/);
  });

  it('a console consumer following a pattern reads on when another process deletes one of its topics, holding none of its files', async () => {
    const dir = tempDir();
    expect((await bin('kafka-console-producer', ['--topic', 'followed'], dir, 'a\nb\nc\n')).code).toBe(0);
    const consumer = track(spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--include', 'follow.*', '--from-beginning'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } }));
    let out = '';
    consumer.stdout!.on('data', (d) => (out += d));
    expect(await until(() => out === 'a\nb\nc\n', 10_000)).toBe(true);
    expect(deletedFilesHeld(consumer.pid!)).toEqual([]);
    expect((await bin('kafka-topics', ['--delete', '--topic', 'followed'], dir)).code).toBe(0);
    await until(() => deletedFilesHeld(consumer.pid!).length === 0, 5_000);
    expect(deletedFilesHeld(consumer.pid!)).toEqual([]);
    // It follows the pattern still: a new topic that matches is read.
    expect((await bin('kafka-console-producer', ['--topic', 'followed-too'], dir, 'd\n')).code).toBe(0);
    expect(await until(() => out === 'a\nb\nc\nd\n', 10_000)).toBe(true);
    let err = '';
    consumer.stderr!.on('data', (d) => (err += d));
    consumer.kill('SIGTERM');
    // As Kafka's JVM tools on SIGTERM: 128 + 15, after the count.
    expect(await exited(consumer)).toBe(143);
    expect(err).toBe('Processed a total of 4 messages\n');
  });
});
