// One request must not be able to exhaust memory (issue 16 "A crash from one request"): partition
// counts past max.partitions are refused before anything is allocated, embedded and through the server.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, ROOT, tempDir } from '../helpers.js';

const servers: ChildProcess[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) if (s.exitCode === null) process.kill(s.pid!, 'SIGKILL');
  cleanTempDirs();
});

async function startServer(dataDir: string): Promise<string> {
  const child = spawn(join(ROOT, 'bin', 'kafka-server-start'), ['--port', '0'], { env: { ...process.env, KAFKIT_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] });
  servers.push(child);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /bootstrap servers: ([^,\s]+)/.exec(err);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`kafka-server-start exited:\n${err}`)));
  });
}

describe('partition counts that cannot be served', () => {
  it('kafka-topics --create --partitions 99999999999 is refused at once, embedded', async () => {
    const dir = tempDir();
    const started = Date.now();
    expect(await bin('kafka-topics', ['--create', '--topic', 'big', '--partitions', '99999999999'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error while executing topic command : Adding 99999999999 partition(s) would take the cluster to 99999999999 partitions, more than max.partitions (200000); delete topics or raise max.partitions in cluster.json.\n',
    });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await bin('kafka-topics', ['--list'], dir)).stdout).not.toContain('big');
  });

  it('the cap counts the whole cluster, for new topics and added partitions, and max.partitions sets it', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'a', '--partitions', '2'], dir)).code).toBe(0);
    const path = join(dir, 'cluster.json');
    const cluster = JSON.parse(readFileSync(path, 'utf8'));
    cluster.settings['max.partitions'] = '5';
    writeFileSync(path, JSON.stringify(cluster));
    expect((await bin('kafka-topics', ['--create', '--topic', 'b', '--partitions', '4'], dir)).stderr).toBe(
      'Error while executing topic command : Adding 4 partition(s) would take the cluster to 6 partitions, more than max.partitions (5); delete topics or raise max.partitions in cluster.json.\n',
    );
    expect((await bin('kafka-topics', ['--create', '--topic', 'b', '--partitions', '3'], dir)).code).toBe(0);
    expect((await bin('kafka-topics', ['--alter', '--topic', 'a', '--partitions', '3'], dir)).stderr).toBe(
      'Error while executing topic command : Adding 1 partition(s) would take the cluster to 6 partitions, more than max.partitions (5); delete topics or raise max.partitions in cluster.json.\n',
    );
  });

  it('CreateTopics with num_partitions=2147483647 gets an error answer and the server keeps serving', async () => {
    const dir = tempDir();
    const bootstrap = await startServer(dir);
    const r = await bin('kafka-topics', ['--bootstrap-server', bootstrap, '--create', '--topic', 'big', '--partitions', '2147483647'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Error while executing topic command : .*partitions/i);
    expect(await bin('kafka-topics', ['--bootstrap-server', bootstrap, '--create', '--topic', 'ok', '--partitions', '3'], dir)).toMatchObject({ code: 0, stdout: 'Created topic ok.\n' });
  });
});
