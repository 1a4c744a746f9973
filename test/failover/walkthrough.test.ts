// The README's "Kill a broker" walkthrough, step by step, against three kafka-server-start
// processes (one per broker) on one data dir, with exact `kafka-topics --describe` lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT, bin, cleanTempDirs, tempDir } from '../helpers.js';
import { stopProcess } from '../server/server-process.js';
import { describeLines, exited, kill9, partitions, replicaFilesIdentical, replicaMismatches, startBroker, stopAll, track, until, type BrokerProcess } from './brokers.js';

afterEach(async () => {
  await stopAll();
  await cleanTempDirs();
});

const line = (p: number, leader: number | 'none', replicas: string, isr: string) =>
  `\tTopic: orders\tPartition: ${p}\tLeader: ${leader}\tReplicas: ${replicas}\tIsr: ${isr}\tElr: \tLastKnownElr: `;
const header = /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: min\.insync\.replicas=2$/;

it('Kill a broker: clean stop, kill -9, min ISR, no leader, and back, losing nothing acknowledged', async () => {
  const dir = tempDir();
  const created = await bin('kafka-topics', ['--create', '--topic', 'orders', '--config', 'min.insync.replicas=2', '--replica-assignment', '1:2:3,2:3:1,3:1:2'], dir);
  expect(created).toMatchObject({ code: 0, stdout: 'Created topic orders.\n' });
  const brokers = new Map<number, BrokerProcess>();
  for (const id of [1, 2, 3]) brokers.set(id, await startBroker(dir, id));

  const describe = () => describeLines(dir, ['--topic', 'orders']);
  const all = await describe();
  expect(all[0]).toMatch(header);
  expect(all.slice(1)).toEqual([line(0, 1, '1,2,3', '1,2,3'), line(1, 2, '2,3,1', '2,3,1'), line(2, 3, '3,1,2', '3,1,2')]);

  // A consumer group member that reads through every failure (embedded: it reads the data dir).
  const consumer = track(spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', 'orders', '--group', 'walk', '--from-beginning'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } }));
  let consumed = '';
  let consumerErr = '';
  consumer.stdout!.on('data', (d) => (consumed += d));
  consumer.stderr!.on('data', (d) => (consumerErr += d));

  const acked: string[] = [];
  let block = 0;
  // One acks=all producer run per block of lines: through a broker's listener when given, else embedded.
  const produce = async (opts: { via?: BrokerProcess; acks?: string; n?: number } = {}) => {
    const lines = Array.from({ length: opts.n ?? 20 }, (_, i) => `b${block}-${i}`);
    block++;
    const args = ['--topic', 'orders', '--producer-property', `acks=${opts.acks ?? 'all'}`, ...(opts.via ? ['--bootstrap-server', opts.via.bootstrap] : [])];
    const r = await bin('kafka-console-producer', args, dir, lines.join('\n') + '\n');
    if (r.code === 0) acked.push(...lines);
    return r;
  };
  expect((await produce({ via: brokers.get(2) })).code).toBe(0);
  expect((await produce()).code).toBe(0);
  const epochs0 = partitions(dir, 'orders').map((p) => p.leaderEpoch);

  // Broker 1 stops cleanly: partitions 0 (led by 1) gets leader 2; 1 leaves every ISR.
  const stop1 = await bin('kafka-server-stop', ['--node-id', '1'], dir);
  expect(stop1.code).toBe(0);
  expect(stop1.stderr).toBe(`Stopped broker 1 (process ${brokers.get(1)!.child.pid}).\n`);
  expect(await exited(brokers.get(1)!.child)).toBe(0);
  const afterStop = [line(0, 2, '1,2,3', '2,3'), line(1, 2, '2,3,1', '2,3'), line(2, 3, '3,1,2', '3,2')];
  expect((await describe()).slice(1)).toEqual(afterStop);
  expect(await describeLines(dir, ['--under-replicated-partitions'])).toEqual(afterStop);
  expect(await describeLines(dir, ['--under-min-isr-partitions'])).toEqual([]);
  expect(await describeLines(dir, ['--unavailable-partitions'])).toEqual([]);
  const epochs1 = partitions(dir, 'orders').map((p) => p.leaderEpoch);
  expect(epochs1).toEqual([epochs0[0] + 1, epochs0[1], epochs0[2]]);
  expect((await produce({ via: brokers.get(3) })).code).toBe(0);
  expect((await produce()).code).toBe(0);

  // Back: it catches up and rejoins every ISR; the preferred leader returns by auto rebalance (5 s).
  brokers.set(1, await startBroker(dir, 1));
  const healthy = [line(0, 1, '1,2,3', '2,3,1'), line(1, 2, '2,3,1', '2,3,1'), line(2, 3, '3,1,2', '3,2,1')];
  expect(await until(async () => JSON.stringify((await describe()).slice(1)) === JSON.stringify(healthy), 15_000)).toBe(true);
  expect(await describeLines(dir, ['--under-replicated-partitions'])).toEqual([]);

  // kill -9 of broker 1's process: fenced as soon as anyone looks (its pid is gone).
  await kill9(brokers.get(1)!);
  expect((await describe()).slice(1)).toEqual(afterStop);
  expect(await describeLines(dir, ['--under-replicated-partitions'])).toEqual(afterStop);
  expect((await produce({ via: brokers.get(2) })).code).toBe(0);

  // Broker 2 stops too: ISR [3] < min.insync.replicas=2, so acks=all is refused and writes nothing.
  expect((await bin('kafka-server-stop', ['--node-id', '2'], dir)).code).toBe(0);
  expect(await exited(brokers.get(2)!.child)).toBe(0);
  const only3 = [line(0, 3, '1,2,3', '3'), line(1, 3, '2,3,1', '3'), line(2, 3, '3,1,2', '3')];
  expect((await describe()).slice(1)).toEqual(only3);
  expect(await describeLines(dir, ['--under-min-isr-partitions'])).toEqual(only3);
  for (const via of [brokers.get(3), undefined]) {
    const refused = await produce({ via, n: 5 });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^Error: org\.apache\.kafka\.common\.errors\.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required/m);
  }
  expect((await produce({ via: brokers.get(3), acks: '1' })).code).toBe(0);
  expect((await produce({ acks: '1' })).code).toBe(0);

  // Broker 3 stops: no leader anywhere.
  expect((await bin('kafka-server-stop', ['--node-id', '3'], dir)).code).toBe(0);
  expect(await exited(brokers.get(3)!.child)).toBe(0);
  const none = [line(0, 'none', '1,2,3', '3'), line(1, 'none', '2,3,1', '3'), line(2, 'none', '3,1,2', '3')];
  expect((await describe()).slice(1)).toEqual(none);
  expect(await describeLines(dir, ['--unavailable-partitions'])).toEqual(none);
  const waiting = await bin('kafka-console-consumer', ['--topic', 'orders', '--group', 'other', '--from-beginning', '--timeout-ms', '1500'], dir);
  expect(waiting).toMatchObject({ code: 0, stdout: '' });
  expect(waiting.stderr).toContain('Processed a total of 0 messages');
  const expiring = await bin('kafka-console-producer', ['--topic', 'orders', '--producer-property', 'acks=1', '--producer-property', 'delivery.timeout.ms=1000'], dir, 'lost\n');
  expect(expiring.code).toBe(1);
  expect(expiring.stderr).toMatch(/^Error: org\.apache\.kafka\.common\.errors\.TimeoutException: Expiring record\(s\) for orders-\d: 1000 ms has passed since batch creation/);

  // All three come back: 3 (the last ISR member) leads again, 1 and 2 truncate nothing they should keep, copy the rest, rejoin.
  for (const id of [1, 2, 3]) brokers.set(id, await startBroker(dir, id));
  const back = await until(async () => {
    const parts = partitions(dir, 'orders');
    return parts.every((p) => p.isr.length === 3 && p.leader === p.replicas[0]);
  }, 20_000);
  expect(back).toBe(true);
  expect(await describeLines(dir, ['--under-replicated-partitions'])).toEqual([]);
  expect(await describeLines(dir, ['--unavailable-partitions'])).toEqual([]);
  expect(replicaMismatches(dir, 'orders')).toEqual([]);
  expect(await until(() => replicaFilesIdentical(dir, 'orders'), 5_000)).toBe(true);

  // Every acknowledged record is there, once, and the group's member saw them all.
  const everything = await bin('kafka-console-consumer', ['--topic', 'orders', '--from-beginning', '--timeout-ms', '1500'], dir);
  expect(everything.stdout.split('\n').filter(Boolean).sort()).toEqual([...acked].sort());
  expect(await until(() => consumed.split('\n').filter(Boolean).length >= acked.length, 10_000)).toBe(true);
  expect(consumed.split('\n').filter(Boolean).sort()).toEqual([...acked].sort());
  // SIGTERM ends it as it ends Kafka's (exit 143, after its shutdown hook reported the count).
  expect(await stopProcess(consumer as ChildProcess)).toBe(143);
  expect(consumerErr).toBe(`Processed a total of ${acked.length} messages\n`);
}, 120_000);
