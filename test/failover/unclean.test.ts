// An unclean leader election: the only live replica is out of sync, and it leads once
// unclean.leader.election.enable=true; the records it lacked are lost, exactly those.
import { afterEach, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { describeLines, partitions, replicaFilesIdentical, startBroker, stopAll, until } from './brokers.js';

afterEach(async () => {
  await stopAll();
  await cleanTempDirs();
});

const produce = (dir: string, lines: string[]) => bin('kafka-console-producer', ['--topic', 'u', '--producer-property', 'acks=all'], dir, lines.join('\n') + '\n');
const readAll = async (dir: string) => (await bin('kafka-console-consumer', ['--topic', 'u', '--from-beginning', '--timeout-ms', '1500'], dir)).stdout.split('\n').filter(Boolean);
const line = (leader: number | 'none', isr: string) => `\tTopic: u\tPartition: 0\tLeader: ${leader}\tReplicas: 1,2\tIsr: ${isr}\tElr: \tLastKnownElr: `;

it('an out-of-sync replica leads only with unclean.leader.election.enable=true, and what it lacked is lost', async () => {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 'u', '--replica-assignment', '1:2', '--config', 'min.insync.replicas=1'], dir)).code).toBe(0);
  const a = Array.from({ length: 10 }, (_, i) => `a${i}`);
  const b = Array.from({ length: 7 }, (_, i) => `b${i}`);
  const c = Array.from({ length: 5 }, (_, i) => `c${i}`);

  // a: on both replicas. b: on broker 1 only, written while broker 2 was down (ISR [1], min ISR 1).
  expect((await produce(dir, a)).code).toBe(0);
  expect((await bin('kafka-server-stop', ['--node-id', '2'], dir)).stderr).toBe('Stopped broker 2 (embedded).\n');
  expect((await produce(dir, b)).code).toBe(0);
  expect(await describeLines(dir, ['--topic', 'u'])).toContain(line(1, '1'));
  // Broker 1, the last in-sync replica, goes; broker 2 comes back out of sync: a clean election finds no one.
  expect((await bin('kafka-server-stop', ['--node-id', '1'], dir)).code).toBe(0);
  await startBroker(dir, 2);
  await new Promise((r) => setTimeout(r, 600));
  expect(partitions(dir, 'u')[0]).toMatchObject({ leader: null, isr: [1] });
  expect(await describeLines(dir, ['--unavailable-partitions'])).toEqual([line('none', '1')]);
  const epoch = partitions(dir, 'u')[0].leaderEpoch;

  // Allowed to, broker 2 leads with what it has: a, without b.
  const altered = await bin('kafka-configs', ['--alter', '--entity-type', 'topics', '--entity-name', 'u', '--add-config', 'unclean.leader.election.enable=true'], dir);
  expect(altered.code).toBe(0);
  expect(await until(() => partitions(dir, 'u')[0].leader === 2, 5_000)).toBe(true);
  expect(partitions(dir, 'u')[0]).toMatchObject({ leader: 2, isr: [2] });
  expect(partitions(dir, 'u')[0].leaderEpoch).toBeGreaterThan(epoch);
  expect(await readAll(dir)).toEqual(a);
  expect((await produce(dir, c)).code).toBe(0);

  // Broker 1 returns: its divergent tail (b) is cut by the leader-epoch caches, and it copies c.
  const one = await startBroker(dir, 1);
  expect(await until(() => partitions(dir, 'u')[0].isr.length === 2, 10_000)).toBe(true);
  expect(one.stderr()).toContain('[kafkit] Broker 1 caught up on u-0 at offset 15 and rejoined the ISR.');
  const after = await readAll(dir);
  expect(after).toEqual([...a, ...c]);
  // Lost: exactly the records the new leader lacked.
  expect([...a, ...b, ...c].filter((r) => !after.includes(r))).toEqual(b);
  expect(await until(() => replicaFilesIdentical(dir, 'u'), 5_000)).toBe(true);
}, 60_000);
