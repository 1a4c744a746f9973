// The failover torture test (run by torture-*.test.ts): a 3x3 topic with min.insync.replicas=2 on three kafka-server-start
// --node-id processes, acks=all producers writing numbered blocks without pause, a consumer group
// reading throughout, and 20 rounds of a broker failing (kill -9, or a controlled shutdown) and
// coming back. A block counts as acknowledged only if its producer exited 0 (and kcat reported no
// failed delivery); every acknowledged record must survive, in its producer's order per partition.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, expect } from 'vitest';
import { ROOT, bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, stopProcess } from '../server/server-process.js';
import { exited, kill9, orderViolations, partitions, readByPartition, replicaFilesIdentical, replicaMismatches, startBroker, stopAll, track, until, type BrokerProcess } from './brokers.js';

/** For each test file that uses torture(): stop every process it started, remove its data dir. */
export function cleanUpAfterEach(): void {
  afterEach(async () => {
    await stopAll();
    await cleanTempDirs();
  });
}

const TOPIC = 'torture';
const ROUNDS = 20;
const BLOCK = 25;

export type ProducerKind = 'kafkit-remote' | 'kcat' | 'kafkit-embedded';

interface Block {
  lines: string[];
  acked: boolean;
}

/** Writes numbered blocks, one short producer run each, until `stop()`; keeps what each run says. */
function producerLoop(kind: ProducerKind, dir: string, bootstraps: () => string) {
  const blocks: Block[] = [];
  let running = true;
  const tag = { 'kafkit-remote': 'R', kcat: 'K', 'kafkit-embedded': 'E' }[kind];
  const done = (async () => {
    while (running) {
      const lines = Array.from({ length: BLOCK }, (_, i) => `${tag}-${blocks.length}-${i}`);
      const input = lines.join('\n') + '\n';
      let acked: boolean;
      if (kind === 'kcat') {
        const r = await runProcess('kcat', ['-P', '-b', bootstraps(), '-t', TOPIC, '-X', 'acks=all', '-X', 'message.timeout.ms=15000'], { input, timeoutMs: 30_000 });
        acked = r.code === 0 && !/Delivery failed|ERROR/i.test(r.stderr);
      } else {
        const args = ['--topic', TOPIC, '--producer-property', 'acks=all', '--producer-property', 'delivery.timeout.ms=15000'];
        if (kind === 'kafkit-remote') args.push('--bootstrap-server', bootstraps());
        acked = (await bin('kafka-console-producer', args, dir, input)).code === 0;
      }
      blocks.push({ lines, acked });
    }
  })();
  return {
    blocks,
    async stop() {
      running = false;
      await done;
    },
  };
}

export async function torture(fault: 'kill -9' | 'controlled shutdown', kinds: ProducerKind[]) {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', TOPIC, '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2'], dir)).code).toBe(0);
  const brokers = new Map<number, BrokerProcess>();
  for (const id of [1, 2, 3]) brokers.set(id, await startBroker(dir, id));
  const bootstraps = () => [...brokers.values()].filter((b) => b.child.exitCode === null && b.child.signalCode === null).map((b) => b.bootstrap).join(',');

  const consumer = track(spawn(join(ROOT, 'bin', 'kafka-console-consumer'), ['--topic', TOPIC, '--group', 'torture', '--from-beginning'], { env: { ...process.env, KAFKIT_DATA_DIR: dir } }));
  let consumed = '';
  consumer.stdout!.on('data', (d) => (consumed += d));
  const loops = kinds.map((k) => producerLoop(k, dir, bootstraps));

  let seed = 13;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const leaderless: string[] = [];
  const slowRejoin: string[] = [];
  const t0 = Date.now();
  for (let round = 0; round < ROUNDS; round++) {
    // Usually the leader of partition 0, sometimes any broker.
    const p0 = partitions(dir, TOPIC, true)[0];
    const victim = random() < 0.75 && p0.leader !== null ? p0.leader : 1 + Math.floor(random() * 3);
    if (fault === 'kill -9') await kill9(brokers.get(victim)!);
    else {
      expect((await bin('kafka-server-stop', ['--node-id', String(victim)], dir)).code).toBe(0);
      expect(await exited(brokers.get(victim)!.child)).toBe(0);
    }
    // The servers themselves (no reconcile from here) must move leadership off the dead broker.
    const tKill = Date.now() - t0;
    const moved = await until(() => partitions(dir, TOPIC, true).every((p) => p.leader !== null && p.leader !== victim), 3_000);
    if (!moved) leaderless.push(`round ${round}: ${JSON.stringify(partitions(dir, TOPIC, true))}`);
    await sleep(100 + Math.floor(random() * 200));
    const tMoved = Date.now() - t0;
    brokers.set(victim, await startBroker(dir, victim));
    const tStarted = Date.now() - t0;
    // Back in every ISR before the next round, so that two live brokers always hold an in-sync copy.
    if (!(await until(() => partitions(dir, TOPIC, true).every((p) => p.isr.length === 3), 10_000))) slowRejoin.push(`round ${round}: ${JSON.stringify(partitions(dir, TOPIC, true))}`);
    if (process.env.FAILOVER_DEBUG) console.log(`round ${round}: broker ${victim} down ${tKill} moved ${tMoved} started ${tStarted} isr ${Date.now() - t0} ms, blocks ${loops.map((l) => `${l.blocks.filter((b) => b.acked).length}/${l.blocks.length}`).join(' ')}`);
  }
  await Promise.all(loops.map((l) => l.stop()));
  expect(leaderless).toEqual([]);
  expect(slowRejoin).toEqual([]);

  const records = await readByPartition(dir, TOPIC, 2000);
  const present = new Set([...records.values()].flat());
  for (const loop of loops) {
    const acked = loop.blocks.filter((b) => b.acked);
    // The faults must not have stopped the producers: most blocks get through.
    expect(acked.length).toBeGreaterThan(loop.blocks.length / 2);
    const missing = acked.flatMap((b) => b.lines.filter((l) => !present.has(l)));
    expect(missing).toEqual([]);
  }
  // Per producer run and partition, first occurrences keep the order it sent.
  expect(orderViolations(records)).toEqual([]);
  expect(replicaMismatches(dir, TOPIC)).toEqual([]);
  expect(await until(() => replicaFilesIdentical(dir, TOPIC), 5_000)).toBe(true);

  // The group's member read through every failover.
  const ackedLines = loops.flatMap((l) => l.blocks.filter((b) => b.acked).flatMap((b) => b.lines));
  const read = () => new Set(consumed.split('\n').filter(Boolean));
  expect(await until(() => ackedLines.every((l) => read().has(l)), 10_000)).toBe(true);
  await stopProcess(consumer);
}

