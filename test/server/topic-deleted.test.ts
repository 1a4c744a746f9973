// A topic deleted while kafka-server-start has its logs open (issue 14): the server lets go of them
// and still stops cleanly, and a topic created again under the name starts empty.
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess } from './server-process.js';

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
      expect((await bin('kafka-topics', ['--create', '--topic', 'gone'], dir)).code).toBe(0);
      expect((await runProcess('kcat', ['-b', server.bootstrap, '-P', '-t', 'gone'], { input: 'new\n' })).code).toBe(0);
      const again = await runProcess('kcat', ['-b', server.bootstrap, '-C', '-t', 'gone', '-o', 'beginning', '-e', '-q']);
      expect(again.stdout).toBe('new\n');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).not.toMatch(/Cannot close|ENOENT/);
  });
});
