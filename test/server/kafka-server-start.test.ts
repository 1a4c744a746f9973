// kafka-server-start's own command line: Kafka's server.properties habit, overrides, clean stop,
// and one-line errors.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess } from './server-process.js';

afterEach(cleanTempDirs);

describe('kafka-server-start', () => {
  it('reads a Kafka server.properties: log.dirs, listeners and known settings; lists the rest as ignored', async () => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const props = join(dir, 'server.properties');
    writeFileSync(props, `broker.id=1\nlisteners=PLAINTEXT://127.0.0.1:0\nlog.dirs=${dataDir}\nnum.partitions=2\nzookeeper.connect=localhost:2181\n`);
    // --port 0 from the helper is given too: flags win over the file.
    const server = await startServerProcess(tempDir(), [props]);
    try {
      expect(server.stderr()).toContain(`Ignored settings from ${props} (not used by kafkit): broker.id, zookeeper.connect`);
      expect(server.stderr()).toContain(`data dir ${dataDir}`);
      expect((await runProcess('kcat', ['-b', server.bootstrap, '-P', '-t', 'auto'], { input: 'x\n' })).code).toBe(0);
      const meta = await runProcess('kcat', ['-b', server.bootstrap, '-L', '-t', 'auto']);
      expect(meta.stdout).toContain('topic "auto" with 2 partitions:');
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).toMatch(/SIGTERM received: shutting down\n.*kafkit server stopped cleanly\n$/);
    // The data dir was left clean: the embedded tools open it without recovery and see the record.
    const c = await bin('kafka-console-consumer', ['--topic', 'auto', '--from-beginning', '--max-messages', '1'], dataDir);
    expect(c.stdout).toBe('x\n');
  });

  it('--brokers sets the broker count of a new data dir: one listener per broker', async () => {
    const server = await startServerProcess(tempDir(), ['--brokers', '1']);
    try {
      expect(server.bootstrap.split(',')).toHaveLength(1);
      const meta = await runProcess('kcat', ['-b', server.bootstrap, '-L']);
      expect(meta.stdout).toContain(' 1 brokers:\n  broker 1 at ');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });

  it('refuses unknown overrides, a second positional and a port in use, each in one line', async () => {
    const dir = tempDir();
    const r1 = await bin('kafka-server-start', ['--override', 'log.retention.hours=1'], dir);
    expect(r1.code).toBe(1);
    expect(r1.stderr).toMatch(/^Unknown --override setting 'log.retention.hours'\. Supported: num\.partitions, .*socket\.request\.max\.bytes\.\n$/);
    const r2 = await bin('kafka-server-start', ['a.properties', 'b'], dir);
    expect(r2).toEqual({ code: 1, stdout: '', stderr: "Found non-option argument 'b'. Options start with --, e.g. --topic b\n" });
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r3 = await bin('kafka-server-start', ['--port', String(port)], dir);
      expect(r3.code).toBe(1);
      expect(r3.stderr).toBe(`Port ${port} on 127.0.0.1 is already in use: stop what listens there or pick another base port with --port.\n`);
    } finally {
      blocker.close();
    }
  });
});
