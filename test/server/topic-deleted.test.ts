// A topic deleted while kafka-server-start has its logs open (issue 14): the server lets go of them
// and still stops cleanly, and a topic created again under the name starts empty. Letting go means
// closing: a deleted file's space comes back only once no process holds it open.
import { readdirSync, readlinkSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess } from './server-process.js';
import { until } from '../failover/brokers.js';

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

afterEach(cleanTempDirs);

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
});
