import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import * as producer from '../../src/commands/kafka-console-producer.js';
import * as consumer from '../../src/commands/kafka-console-consumer.js';
import * as groups from '../../src/commands/kafka-consumer-groups.js';
import * as topics from '../../src/commands/kafka-topics.js';
import { ROOT, bin, cleanTempDirs, run, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

describe('console producer and consumer, in process', () => {
  it('round-trips keys, headers and nulls through the reader and the formatter', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't'], dir);
    const input = 'h:1\tk1\tv1\nh:2\tk2\tNULL\n';
    expect(await run(producer, ['--topic', 't', '--property', 'parse.key=true', '--property', 'parse.headers=true', '--property', 'null.marker=NULL'], dir, input)).toEqual({ code: 0, stdout: '', stderr: '' });
    const out = await run(consumer, ['--topic', 't', '--from-beginning', '--max-messages', '2', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.offset=true'], dir);
    expect(out).toEqual({ code: 0, stdout: 'Offset:0\th:1\tk1\tv1\nOffset:1\th:2\tk2\tnull\n', stderr: 'Processed a total of 2 messages\n' });
  });

  it('stops at a bad line with its number, keeping every record before it and none after', async () => {
    const dir = tempDir();
    const r = await run(producer, ['--topic', 't', '--property', 'parse.key=true'], dir, 'a\t1\nb\t2\nbroken\nc\t3\n');
    expect(r).toEqual({ code: 1, stdout: '', stderr: "Error: No key separator found on line number 3: 'broken'\n" });
    const out = await run(consumer, ['--topic', 't', '--from-beginning', '--timeout-ms', '300'], dir);
    expect(out.stdout).toBe('1\n2\n');
    expect(out.stderr).toBe('Processed a total of 2 messages\n');
  });

  it('auto-creates a missing topic with the cluster defaults, like a stock broker', async () => {
    const dir = tempDir();
    await run(producer, ['--topic', 'fresh'], dir, 'x\n');
    expect((await run(topics, ['--describe', '--topic', 'fresh'], dir)).stdout).toMatch(/PartitionCount: 1\tReplicationFactor: 1\t/);
  });

  it('validates consumer options with Kafka messages', async () => {
    const dir = tempDir();
    const err = async (argv: string[]) => (await run(consumer, argv, dir)).stderr;
    expect(await err(['--group', 'g'])).toBe('Exactly one of --include/--topic is required. \n');
    expect(await err(['--include', 'x', '--partition', '0'])).toBe('The topic is required when partition is specified.\n');
    expect(await err(['--topic', 't', '--offset', '3'])).toBe('The partition is required when offset is specified.\n');
    expect(await err(['--topic', 't', '--partition', '0', '--offset', 'x'])).toBe("The provided offset value 'x' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.\n");
    expect(await err(['--topic', 't', '--partition', '0', '--group', 'g'])).toBe('Options group and partition cannot be specified together.\n');
    expect(await err(['--topic', 't', '--group', 'a', '--consumer-property', 'group.id=b'])).toBe(
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'a', 'b'\n",
    );
    expect(await err(['--topic', 't', '--from-beginning', '--consumer-property', 'auto.offset.reset=latest'])).toBe(
      "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option\n",
    );
    expect((await run(producer, [], dir)).code).toBe(1);
    expect((await run(producer, ['--sync'], dir)).stderr).toBe('Missing required argument "[topic]"\n');
  });

  it('subscribing to a missing topic creates it with the cluster defaults, as Java consumers on a stock broker do', async () => {
    const dir = tempDir();
    expect(await run(consumer, ['--topic', 'fresh', '--timeout-ms', '300'], dir)).toEqual({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    expect((await run(topics, ['--list'], dir)).stdout).toBe('fresh\n');
  });

  it('with allow.auto.create.topics=false a missing topic is waited for, not created', async () => {
    const dir = tempDir();
    const r = await run(consumer, ['--topic', 'later', '--timeout-ms', '300', '--consumer-property', 'allow.auto.create.topics=false'], dir);
    expect(r).toEqual({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    expect((await run(topics, ['--list'], dir)).stdout).toBe('\n');
  });

  it('reads one partition from an offset without a group and leaves no group behind', async () => {
    const dir = tempDir();
    await run(producer, ['--topic', 't'], dir, 'a\nb\nc\nd\n');
    const r = await run(consumer, ['--topic', 't', '--partition', '0', '--offset', '2', '--timeout-ms', '300'], dir);
    expect(r.stdout).toBe('c\nd\n');
    const all = await run(consumer, ['--topic', 't', '--from-beginning', '--timeout-ms', '300'], dir);
    expect(all.stdout).toBe('a\nb\nc\nd\n');
    expect((await run(groups, ['--list'], dir)).stdout).toBe('');
  });
});

describe('kafkit extras: --from-timestamp and --to-end', () => {
  it('starts at the first record at or after an instant and stops at the end offsets as of start', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't', '--partitions', '2'], dir);
    await run(producer, ['--topic', 't', '--property', 'parse.key=true'], dir, 'abc\told-1\n21\told-2\n');
    await new Promise((r) => setTimeout(r, 20));
    const since = Date.now();
    await new Promise((r) => setTimeout(r, 20));
    await run(producer, ['--topic', 't', '--property', 'parse.key=true'], dir, 'abc\tnew-1\n21\tnew-2\n');
    const r = await run(consumer, ['--topic', 't', '--from-timestamp', String(since), '--to-end'], dir);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(['new-1', 'new-2']);
    expect(r).toMatchObject({ code: 0, stderr: 'Processed a total of 2 messages\n' });
    const iso = await run(consumer, ['--topic', 't', '--from-timestamp', new Date(since).toISOString(), '--to-end'], dir);
    expect(iso.stdout.split('\n').filter(Boolean).sort()).toEqual(['new-1', 'new-2']);
    const all = await run(consumer, ['--topic', 't', '--from-beginning', '--to-end', '--group', 'g'], dir);
    expect(all.stdout.split('\n').filter(Boolean).sort()).toEqual(['new-1', 'new-2', 'old-1', 'old-2']);
    // The group's committed offsets are at the end already: nothing to read, and no wait for records.
    expect(await run(consumer, ['--topic', 't', '--to-end', '--group', 'g'], dir)).toEqual({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
    expect((await run(consumer, ['--topic', 't', '--from-timestamp', 'yesterday'], dir)).stderr).toBe(
      "Invalid --from-timestamp 'yesterday': use ISO-8601 (2024-05-01T12:00:00Z), epoch milliseconds, now, or a time before now (-15s, -30m, -1h, -2d).\n",
    );
    expect((await run(consumer, ['--topic', 't', '--from-timestamp', '0', '--from-beginning'], dir)).stderr).toBe('Options from-timestamp and from-beginning cannot be specified together.\n');
  });
});

describe('headline flow through the real binaries', () => {
  it('create 3x3, produce 1000 lines, consume them with a group, and describe lag', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3'], dir)).code).toBe(0);
    const lines = Array.from({ length: 1000 }, (_, i) => String(i + 1)).join('\n') + '\n';
    expect(await bin('kafka-console-producer', ['--topic', 'orders'], dir, lines)).toEqual({ code: 0, stdout: '', stderr: '' });
    const c = await bin('kafka-console-consumer', ['--topic', 'orders', '--from-beginning', '--group', 'g1', '--max-messages', '1000'], dir);
    expect(c.code).toBe(0);
    expect(c.stderr).toBe('Processed a total of 1000 messages\n');
    expect(c.stdout.trim().split('\n').map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    const d = await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], dir);
    expect(d.code).toBe(0);
    expect(d.stderr).toBe("\nConsumer group 'g1' has no active members.\n");
    const rows = d.stdout.split('\n');
    expect(rows[0]).toBe('');
    expect(rows[1]).toBe('GROUP           TOPIC           PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID     HOST            CLIENT-ID');
    const parsed = rows.slice(2, 5).map((r) => r.split(/\s+/));
    expect(parsed.map((r) => [r[0], r[1], r[2], r[5], r[6], r[7], r[8]])).toEqual([
      ['g1', 'orders', '0', '0', '-', '-', '-'],
      ['g1', 'orders', '1', '0', '-', '-', '-'],
      ['g1', 'orders', '2', '0', '-', '-', '-'],
    ]);
    expect(parsed.reduce((sum, r) => sum + Number(r[3]), 0)).toBe(1000);
  });

  it('commits exactly what --max-messages printed, so the next run resumes there', async () => {
    const dir = tempDir();
    await bin('kafka-console-producer', ['--topic', 'one'], dir, Array.from({ length: 10 }, (_, i) => `m${i}`).join('\n'));
    const first = await bin('kafka-console-consumer', ['--topic', 'one', '--from-beginning', '--group', 'g', '--max-messages', '3'], dir);
    expect(first.stdout).toBe('m0\nm1\nm2\n');
    const second = await bin('kafka-console-consumer', ['--topic', 'one', '--group', 'g', '--max-messages', '7'], dir);
    expect(second.stdout).toBe('m3\nm4\nm5\nm6\nm7\nm8\nm9\n');
  });

  it('follows the log: lines produced by another process show up, and SIGTERM prints the summary', async () => {
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'live'], dir);
    const child = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'live'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // the consumer starts at the end: wait until it has joined before producing
    await new Promise((r) => setTimeout(r, 1500));
    await bin('kafka-console-producer', ['--topic', 'live', '--timeout', '0'], dir, 'hello\nworld\n');
    for (let i = 0; i < 100 && out !== 'hello\nworld\n'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(out).toBe('hello\nworld\n');
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    expect(err).toBe('Processed a total of 2 messages\n');
  });

  it('prints the summary when stdout closes early (| head)', async () => {
    const dir = tempDir();
    await bin('kafka-console-producer', ['--topic', 'h'], dir, Array.from({ length: 20000 }, (_, i) => `line-${i}`).join('\n'));
    const r = await new Promise<{ code: number | null; err: string }>((resolve) => {
      const sh = spawn('sh', ['-c', `${join(ROOT, 'bin', 'kafka-console-consumer')} --topic h --from-beginning | head -n 2 >/dev/null`], { env: { ...process.env, KAFKIT_DATA_DIR: dir } });
      let err = '';
      sh.stderr.on('data', (d) => (err += d));
      sh.on('close', (code) => resolve({ code, err }));
    });
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^Unable to write to standard out, closing consumer\.\nProcessed a total of \d+ messages\n$/);
  });
});
