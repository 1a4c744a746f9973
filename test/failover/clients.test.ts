// Independent clients ride through a kill -9 of their partition's leader: kcat's producer, and
// kafka-python's and confluent-kafka's producer and consumer, refresh their metadata, find the new
// leader and go on; nothing they were told was written is missing.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT, bin, cleanTempDirs, tempDir } from '../helpers.js';
import { exited, kill9, partitions, startBroker, stopAll, track, until, type BrokerProcess } from './brokers.js';
import { runProcess } from '../server/server-process.js';

afterEach(async () => {
  await stopAll();
  await cleanTempDirs();
});

async function cluster(topic: string): Promise<{ dir: string; brokers: BrokerProcess[]; bootstrap: string }> {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', topic, '--replica-assignment', '1:2:3', '--config', 'min.insync.replicas=2'], dir)).code).toBe(0);
  const brokers = [await startBroker(dir, 1), await startBroker(dir, 2), await startBroker(dir, 3)];
  return { dir, brokers, bootstrap: brokers.map((b) => b.bootstrap).join(',') };
}

/** Lines of a child's stdout as they come, and a wait for the one matching `re`. */
function lines(child: ReturnType<typeof spawn>) {
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  return {
    text: () => out,
    waitFor: (re: RegExp, timeoutMs = 40_000) => until(() => re.test(out), timeoutMs),
  };
}

it('kcat -P keeps producing (acks=all) through a kill -9 of the leader it knew', async () => {
  const { dir, brokers, bootstrap } = await cluster('ride-kcat');
  const before = Array.from({ length: 50 }, (_, i) => `before-${i}`);
  const after = Array.from({ length: 50 }, (_, i) => `after-${i}`);
  const first = await runProcess('kcat', ['-P', '-b', bootstrap, '-t', 'ride-kcat', '-X', 'acks=all'], { input: before.join('\n') + '\n' });
  expect(first.code, first.stderr).toBe(0);
  // kcat reads stdin until EOF before it sends: this one learns the leader (broker 1) first, then
  // gets its lines only after the kill, so it meets the dead leader and must look again.
  const kcat = track(spawn('kcat', ['-P', '-b', bootstrap, '-t', 'ride-kcat', '-X', 'acks=all', '-X', 'message.timeout.ms=30000', '-d', 'topic']));
  let err = '';
  kcat.stderr!.on('data', (d) => (err += d));
  expect(await until(() => /Topic ride-kcat partition 0 Leader 1\b/.test(err), 10_000)).toBe(true);
  await kill9(brokers[0]);
  kcat.stdin!.end(after.join('\n') + '\n');
  expect(await exited(kcat)).toBe(0);
  expect(err).not.toMatch(/Delivery failed/);
  expect(err).toMatch(/Topic ride-kcat partition 0 Leader 2\b/);
  expect(partitions(dir, 'ride-kcat')[0]).toMatchObject({ leader: 2, isr: [2, 3] });
  const read = await bin('kafka-console-consumer', ['--topic', 'ride-kcat', '--from-beginning', '--timeout-ms', '1000'], dir);
  expect(read.stdout.split('\n').filter(Boolean)).toEqual([...before, ...after]);
  // kcat's consumer, bootstrapped by the dead broker among others, reads it all from the new leader.
  const consumed = await runProcess('kcat', ['-C', '-b', bootstrap, '-t', 'ride-kcat', '-o', 'beginning', '-e', '-q'], { timeoutMs: 30_000 });
  expect(consumed.stdout.split('\n').filter(Boolean)).toEqual([...before, ...after]);
}, 60_000);

for (const lib of ['kafka-python', 'confluent'] as const) {
  it(`${lib}'s producer and group consumer go on after a kill -9 of the leader`, async () => {
    const topic = `ride-${lib}`;
    const { dir, brokers, bootstrap } = await cluster(topic);
    const py = track(spawn('/usr/bin/python3', [join(ROOT, 'test', 'fixtures', 'failover-client.py'), lib, bootstrap, topic]));
    let err = '';
    py.stderr!.on('data', (d) => (err += d));
    const out = lines(py);
    expect(await out.waitFor(/consumed before \d+\n/), err).toBe(true);
    expect(out.text()).toBe('acked before 50\nconsumed before 50\n');
    await kill9(brokers[0]);
    py.stdin!.end('go\n');
    expect(await exited(py), err).toBe(0);
    expect(out.text()).toBe('acked before 50\nconsumed before 50\nacked after 50\nconsumed after 50\nall True\n');
    expect(partitions(dir, topic)[0].leader).toBe(2);
    const read = (await bin('kafka-console-consumer', ['--topic', topic, '--from-beginning', '--timeout-ms', '1000'], dir)).stdout.split('\n').filter(Boolean);
    expect(read).toEqual([...Array.from({ length: 50 }, (_, i) => `before-${i}`), ...Array.from({ length: 50 }, (_, i) => `after-${i}`)]);
  }, 90_000);
}
