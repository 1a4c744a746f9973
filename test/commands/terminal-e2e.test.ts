// The shipped bins (bin/* → the CommonJS bundle) on a pseudo-terminal: what only happens there
// (spinner, confirmation prompt, colour) must work in the bundle that users run, not only in dist/.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, ROOT, tempDir } from '../helpers.js';
import { binOnPty } from '../pty.js';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  return cleanTempDirs();
});

/** A group member in its own process (test/fixtures/group-member.mjs); resolves once it has partitions. */
function member(dir: string, group: string, topic: string, sessionTimeoutMs: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'test', 'fixtures', 'group-member.mjs'), dir, group, topic, String(sessionTimeoutMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (d) => {
      if (/assigned \[\d/.test(String(d))) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`group member exited ${code}`)));
  });
}

async function groupWithOffsets(dir: string): Promise<void> {
  expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '1'], dir)).code).toBe(0);
  expect((await bin('kafka-console-producer', ['--topic', 't'], dir, 'a\nb\nc\n')).code).toBe(0);
  expect((await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--group', 'g', '--max-messages', '3'], dir)).code).toBe(0);
}

const RESET = ['--reset-offsets', '--group', 'g', '--topic', 't', '--to-earliest'];
const committed = async (dir: string) => (await bin('kafka-consumer-groups', ['--describe', '--group', 'g'], dir)).stdout.split('\n')[2]?.split(/\s+/)[3];

describe('the bins on a terminal', () => {
  it('describe of a rebalancing group shows a spinner while it waits for the group to settle', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '2'], dir)).code).toBe(0);
    // A member that dies without leaving keeps the next rebalance waiting for its session to time out.
    const dead = await member(dir, 'g', 't', 60_000);
    dead.kill('SIGKILL');
    void member(dir, 'g', 't', 60_000).catch(() => undefined);
    let state = '';
    while (!/PreparingRebalance|CompletingRebalance/.test(state)) {
      state = (await bin('kafka-consumer-groups', ['--describe', '--group', 'g', '--state'], dir)).stdout;
    }
    const r = await binOnPty('kafka-consumer-groups', ['--describe', '--group', 'g', '--state', '--timeout', '1500'], { KAFKIT_DATA_DIR: dir, NO_COLOR: '1' }).exit;
    expect(r.output).not.toContain('is not a function');
    expect(r.output).toContain("Waiting for consumer group 'g' to finish rebalancing...");
    // The wait ran out: Kafka's warning, then the group as it is.
    expect(r.output).toMatch(/\nWarning: Consumer group 'g' is rebalancing\.\n\nGROUP .*\ng +\S+ +\(1\) +range +(PreparingRebalance|CompletingRebalance) +\d\n/s);
    expect(r.code).toBe(0);
  }, 30_000);

  it('asks before a reset: "y" commits, "n" does not', async () => {
    const dir = tempDir();
    await groupWithOffsets(dir);
    const no = binOnPty('kafka-consumer-groups', RESET, { KAFKIT_DATA_DIR: dir, NO_COLOR: '1' });
    await no.waitFor('Commit these 1 offset(s) for 1 group(s)? (y/N)');
    no.type('n\r');
    const refused = await no.exit;
    expect(refused.output).toContain('No offsets were changed.\n');
    expect(refused.code).toBe(0);
    expect(await committed(dir)).toBe('3');

    const yes = binOnPty('kafka-consumer-groups', RESET, { KAFKIT_DATA_DIR: dir, NO_COLOR: '1' });
    await yes.waitFor('(y/N)');
    yes.type('y\r');
    const done = await yes.exit;
    expect(done.code).toBe(0);
    expect(done.output).not.toContain('Error');
    expect(await committed(dir)).toBe('0');
  }, 30_000);

  it('Ctrl-C at the reset prompt is a "no": exit 130, no error, nothing committed', async () => {
    const dir = tempDir();
    await groupWithOffsets(dir);
    const run = binOnPty('kafka-consumer-groups', RESET, { KAFKIT_DATA_DIR: dir, NO_COLOR: '1' });
    await run.waitFor('(y/N)');
    run.type('\x03');
    const r = await run.exit;
    expect(r.code).toBe(130);
    expect(r.output).not.toMatch(/Error|SIGINT/);
    expect(r.output).toContain('No offsets were changed.\n');
    expect(await committed(dir)).toBe('3');
  }, 30_000);

  it('colours the error word on a terminal, and not with NO_COLOR', async () => {
    const dir = tempDir();
    const coloured = await binOnPty('kafka-consumer-groups', ['--describe', '--group', 'ghost'], { KAFKIT_DATA_DIR: dir, NO_COLOR: undefined }).exit;
    expect(coloured).toEqual({ code: 1, output: "\n\u001b[31mError:\u001b[39m Consumer group 'ghost' does not exist.\n" });
    const plain = await binOnPty('kafka-consumer-groups', ['--describe', '--group', 'ghost'], { KAFKIT_DATA_DIR: dir, NO_COLOR: '1' }).exit;
    expect(plain).toEqual({ code: 1, output: "\nError: Consumer group 'ghost' does not exist.\n" });
  }, 30_000);

  it('the producer sends each typed line at once (no 1 s linger on a terminal)', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'live', '--partitions', '1'], dir)).code).toBe(0);
    const consumer = spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'live', '--from-beginning', '--max-messages', '2'], { env: { ...process.env, KAFKIT_DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(consumer);
    let got = '';
    const arrived = (text: string) => new Promise<number>((resolve) => {
      const check = () => (got.includes(text) ? resolve(Date.now()) : consumer.stdout!.once('data', (d) => ((got += d), check())));
      check();
    });
    const producer = binOnPty('kafka-console-producer', ['--topic', 'live'], { KAFKIT_DATA_DIR: dir });
    await producer.waitFor('>');
    // The first line also waits for the consumer to be ready; the second is the one timed.
    producer.type('first\r');
    await arrived('first\n');
    const typed = Date.now();
    producer.type('second\r');
    expect((await arrived('second\n')) - typed).toBeLessThan(600);
    producer.type('\x04');
    expect((await producer.exit).code).toBe(0);
  }, 30_000);

  it("says when a typo'd topic name is auto-created, on a terminal only", async () => {
    const dir = tempDir();
    const producer = binOnPty('kafka-console-producer', ['--topic', 'ordres'], { KAFKIT_DATA_DIR: dir });
    await producer.waitFor('>');
    producer.type('x\r');
    await producer.waitFor("Created topic 'ordres' (auto.create.topics.enable=true)\n");
    producer.type('\x04');
    expect((await producer.exit).code).toBe(0);
    // Once only: the topic exists now.
    const again = binOnPty('kafka-console-producer', ['--topic', 'ordres'], { KAFKIT_DATA_DIR: dir });
    await again.waitFor('>');
    again.type('y\r\x04');
    expect((await again.exit).output).not.toContain('Created topic');

    const consumer = binOnPty('kafka-console-consumer', ['--topic', 'shipmnets', '--timeout-ms', '500'], { KAFKIT_DATA_DIR: dir });
    const done = await consumer.exit;
    expect(done.output).toContain("Created topic 'shipmnets' (auto.create.topics.enable=true)\n");
    expect(done.code).toBe(0);
    // Piped, as Kafka: silent.
    const piped = await bin('kafka-console-producer', ['--topic', 'ordres2'], dir, 'x\n');
    expect(piped).toEqual({ code: 0, stdout: '', stderr: '' });
  }, 30_000);
});
