// The console tools through the real bins (compiled dist/) on a temp data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { closeSync, openSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, bin, cleanTempDirs, remoteMode, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

describe('console producer → consumer through the bins', () => {
  for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
    it(`round-trips keys, headers and null markers with --compression-codec ${codec}`, async () => {
      const dir = tempDir();
      // Remote: node-rdkafka cannot send a null header value (docs/remote-backend.md), so there the
      // second header has a text value.
      const h2 = remoteMode() ? 'b' : 'NULL';
      const input = `h1:a,h2:${h2}\tk1\tv1\nNULL\tk2\tNULL\nx:y\tNULL\tv3\n`;
      const props = ['--property', 'parse.key=true', '--property', 'parse.headers=true', '--property', 'null.marker=NULL'];
      expect(await bin('kafka-console-producer', ['--topic', 't', '--compression-codec', codec, ...props], dir, input)).toEqual({ code: 0, stdout: '', stderr: '' });
      const out = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--max-messages', '3', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.offset=true', '--property', 'null.literal=<null>'], dir);
      expect(out).toEqual({
        code: 0,
        stdout: `Offset:0\th1:a,h2:${remoteMode() ? 'b' : '<null>'}\tk1\tv1\nOffset:1\tNO_HEADERS\tk2\t<null>\nOffset:2\tx:y\t<null>\tv3\n`,
        stderr: 'Processed a total of 3 messages\n',
      });
    });
  }

  it('reads stdin redirected from a file (< file), line endings and a last line without one included', async () => {
    const dir = tempDir();
    const file = join(dir, 'input.txt');
    // More than one 1 MiB read, so that a line spans two chunks.
    const lines = Array.from({ length: 30000 }, (_, i) => `line-${i}-${'x'.repeat(40)}`);
    writeFileSync(file, lines.slice(0, -2).join('\n') + '\r\n' + lines.at(-2) + '\r' + lines.at(-1));
    const fd = openSync(file, 'r');
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(join(ROOT, 'bin', 'kafka-console-producer'), ['--topic', 'f'], { env: { ...process.env, KAFKIT_DATA_DIR: dir }, stdio: [fd, 'ignore', 'inherit'] });
      child.on('close', resolve);
    });
    closeSync(fd);
    expect(code).toBe(0);
    const out = await bin('kafka-console-consumer', ['--topic', 'f', '--from-beginning', '--max-messages', String(lines.length)], dir);
    expect(out.stdout).toBe(lines.join('\n') + '\n');
  });

  it('a bad line exits 1 with its line number; the records before it are readable', async () => {
    const dir = tempDir();
    const r = await bin('kafka-console-producer', ['--topic', 't', '--property', 'parse.key=true'], dir, 'a\t1\nb\t2\nbroken\nc\t3\n');
    expect(r).toEqual({ code: 1, stdout: '', stderr: "Error: No key separator found on line number 3: 'broken'\n" });
    const out = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '300'], dir);
    expect(out).toEqual({ code: 0, stdout: '1\n2\n', stderr: 'Processed a total of 2 messages\n' });
  });

  it('| head -n 5: exactly five lines, then the notice and the summary, exit 0', async () => {
    const dir = tempDir();
    await bin('kafka-console-producer', ['--topic', 'h'], dir, Array.from({ length: 50000 }, (_, i) => `line-${i}`).join('\n'));
    const r = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const sh = spawn('sh', ['-c', `${join(ROOT, 'bin', 'kafka-console-consumer')} --topic h --from-beginning | head -n 5`], { env: { ...process.env, KAFKIT_DATA_DIR: dir } });
      let out = '';
      let err = '';
      sh.stdout.on('data', (d) => (out += d));
      sh.stderr.on('data', (d) => (err += d));
      sh.on('close', (code) => resolve({ code, out, err }));
    });
    expect(r.code).toBe(0);
    expect(r.out).toBe('line-0\nline-1\nline-2\nline-3\nline-4\n');
    expect(r.err).toMatch(/^Unable to write to standard out, closing consumer\.\nProcessed a total of \d+ messages\n$/);
  });

  it('SIGINT with a group: exit 130, and the committed offset equals the printed count', async () => {
    const dir = tempDir();
    await bin('kafka-console-producer', ['--topic', 'g1'], dir, Array.from({ length: 25 }, (_, i) => `m${i}`).join('\n'));
    const child = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'g1', '--group', 'grp', '--from-beginning'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    for (let i = 0; i < 200 && out.split('\n').length <= 25; i++) await new Promise((r) => setTimeout(r, 25));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const printed = out.split('\n').filter((l) => l !== '').length;
    expect(printed).toBe(25);
    expect(err).toBe(`Processed a total of ${printed} messages\n`);
    const d = await bin('kafka-consumer-groups', ['--describe', '--group', 'grp'], dir);
    const row = d.stdout.split('\n').find((l) => l.startsWith('grp '))!.split(/\s+/);
    expect(row.slice(0, 5)).toEqual(['grp', 'g1', '0', String(printed), '25']);
  });

  it('two terminals: a consumer started first sees lines produced later by another process', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'live'], dir);
    const child = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'live', '--partition', '0'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    await new Promise((r) => setTimeout(r, 800));
    await bin('kafka-console-producer', ['--topic', 'live'], dir, 'later-1\nlater-2\n');
    for (let i = 0; i < 100 && out !== 'later-1\nlater-2\n'; i++) await new Promise((r) => setTimeout(r, 25));
    expect(out).toBe('later-1\nlater-2\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(err).toBe('Processed a total of 2 messages\n');
  });
});
