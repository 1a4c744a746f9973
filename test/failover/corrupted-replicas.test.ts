// Corrupted replicas under load: three kafka-server-start --node-id processes, a 3x3 topic with
// min.insync.replicas=2, a kcat acks=all producer writing numbered blocks throughout. Seeded rounds
// damage a follower's files (while its broker runs, or while it is down) and kill -9 the leader's
// or the damaged broker's process. At the end every acknowledged record is there in its order, the
// ISR is full, the replicas are byte-identical, and the servers said they found the damage.
// A second case damages the LEADER's committed batch, then kills a follower: reads heal it.
// Replay a failure with KAFKIT_FAULT_SEED=<seed>.
import { join } from 'node:path';
import { readdirSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { bin, tempDir } from '../helpers.js';
import { runProcess } from '../server/server-process.js';
import { seededRandom } from '../faults/seeded-random.js';
import { kill9, orderViolations, partitions, readByPartition, replicaFilesIdentical, replicaMismatches, startBroker, until, type BrokerProcess } from './brokers.js';
import { cleanUpAfterEach } from './torture.js';
import { FAULTS, flipCommitted, injectFault } from './replica-faults.js';

cleanUpAfterEach();

const SEED = process.env.KAFKIT_FAULT_SEED ? Number(process.env.KAFKIT_FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const TOPIC = 'damaged';
const ROUNDS = 8;
const BLOCK = 20;

interface Block {
  lines: string[];
  acked: boolean;
}

function highWatermark(dir: string, partition: number): number {
  try {
    return Number(readFileSync(join(dir, 'partitions', `${TOPIC}-${partition}`, 'high-watermark')).readBigInt64BE(0));
  } catch {
    return 0;
  }
}

/** kcat acks=all in numbered blocks; a block is acknowledged when kcat exits 0 with no failed delivery. */
function kcatProducer(bootstraps: () => string) {
  const blocks: Block[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const lines = Array.from({ length: BLOCK }, (_, i) => `K-${blocks.length}-${i}`);
      const r = await runProcess('kcat', ['-P', '-b', bootstraps(), '-t', TOPIC, '-X', 'acks=all', '-X', 'message.timeout.ms=10000'], { input: lines.join('\n') + '\n', timeoutMs: 30_000 });
      blocks.push({ lines, acked: r.code === 0 && !/Delivery failed|ERROR/i.test(r.stderr) });
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

/** `kafka-topics --describe`'s ISR per partition, polled until all three are in sync (bounded). */
async function waitForFullIsr(dir: string, timeoutMs: number): Promise<string> {
  let last = '';
  const ok = await until(async () => {
    const r = await bin('kafka-topics', ['--describe', '--topic', TOPIC], dir);
    last = r.stdout + r.stderr;
    const isrs = [...r.stdout.matchAll(/Isr: (\S+)/g)].map((m) => m[1].split(',').length);
    return r.code === 0 && isrs.length === 3 && isrs.every((n) => n === 3);
  }, timeoutMs);
  return ok ? '' : last;
}

/** Every acknowledged line present, first occurrences in block order per partition. */
function checkRecords(values: Map<number, string[]>, blocks: Block[]): { missing: string[]; disorder: string[] } {
  const present = new Set([...values.values()].flat());
  const missing = blocks.filter((b) => b.acked).flatMap((b) => b.lines.filter((l) => !present.has(l)));
  return { missing, disorder: orderViolations(values) };
}

const readAll = (dir: string) => readByPartition(dir, TOPIC, 3000);

async function cluster(dir: string) {
  const created = await bin('kafka-topics', ['--create', '--topic', TOPIC, '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2', '--config', 'segment.bytes=4096'], dir);
  expect(created.code, created.stderr).toBe(0);
  const brokers = new Map<number, BrokerProcess>();
  const logs = new Map<number, string>();
  for (const id of [1, 2, 3]) brokers.set(id, await startBroker(dir, id));
  const alive = (b: BrokerProcess) => b.child.exitCode === null && b.child.signalCode === null;
  return {
    brokers,
    bootstraps: () => [...brokers.values()].filter(alive).map((b) => b.bootstrap).join(','),
    async kill(id: number) {
      const b = brokers.get(id)!;
      await kill9(b);
      logs.set(id, (logs.get(id) ?? '') + b.stderr());
    },
    async start(id: number) {
      brokers.set(id, await startBroker(dir, id));
    },
    /** Every broker's stderr so far, over its restarts. */
    stderr: () => [...brokers.entries()].map(([id, b]) => (logs.get(id) ?? '') + (alive(b) ? b.stderr() : '')).join(''),
  };
}

describe(`corrupted replicas under kill -9 (seed ${SEED})`, () => {
  it(`a damaged follower leaves the ISR and is rebuilt; every acked record survives; replicas converge (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    const rng = seededRandom(SEED);
    const dir = tempDir();
    const c = await cluster(dir);
    const trail: string[] = [`seed ${SEED} (replay: KAFKIT_FAULT_SEED=${SEED}), data dir ${dir}`];
    const producer = kcatProducer(c.bootstraps);
    const context = () => `${trail.join('\n')}\n--- broker stderr ---\n${c.stderr()}`;
    await until(() => highWatermark(dir, 0) > 40, 15_000);
    for (let round = 0; round < ROUNDS; round++) {
      const p = rng.int(3);
      const view = partitions(dir, TOPIC, true)[p];
      const leader = view.leader!;
      const follower = rng.pick(view.replicas.filter((b) => b !== leader));
      const fault = rng.pick(FAULTS);
      const replica = join(dir, `broker-${follower}`, `${TOPIC}-${p}`);
      if (rng.int(2) === 0) {
        trail.push(`round ${round}: ${TOPIC}-${p} on broker ${follower} (running), ${injectFault(replica, fault, rng, highWatermark(dir, p))}`);
      } else {
        await c.kill(follower);
        trail.push(`round ${round}: kill -9 broker ${follower}; ${TOPIC}-${p} on it: ${injectFault(replica, fault, rng, highWatermark(dir, p))}`);
        await sleep(100 + rng.int(200));
        await c.start(follower);
      }
      await sleep(200 + rng.int(300));
      // Then a process dies: the leader's, or the damaged broker's.
      const victim = rng.int(2) === 0 ? leader : follower;
      await c.kill(victim);
      trail.push(`round ${round}: kill -9 broker ${victim} (${victim === leader ? 'the leader' : 'the damaged one'})`);
      const moved = await until(() => partitions(dir, TOPIC, true).every((q) => q.leader !== null && q.leader !== victim), 5_000);
      if (!moved) trail.push(`round ${round}: LEADERLESS ${JSON.stringify(partitions(dir, TOPIC, true))}`);
      expect(moved, context()).toBe(true);
      await sleep(100 + rng.int(200));
      await c.start(victim);
      expect(await waitForFullIsr(dir, 15_000), context()).toBe('');
    }
    await producer.stop();
    // One more fault with no append to come: the last segment of a follower cut in the middle.
    const last = rng.int(3);
    const lastView = partitions(dir, TOPIC, true)[last];
    const cutOne = rng.pick(lastView.replicas.filter((b) => b !== lastView.leader));
    const cutDir = join(dir, `broker-${cutOne}`, `${TOPIC}-${last}`);
    const newest = readdirSync(cutDir).filter((f) => f.endsWith('.log')).sort().pop()!;
    truncateSync(join(cutDir, newest), Math.floor(statSync(join(cutDir, newest)).size / 2));
    trail.push(`after the load: ${TOPIC}-${last} on broker ${cutOne} (running): cut ${newest} in half`);
    expect(await waitForFullIsr(dir, 15_000), context()).toBe('');
    const acked = producer.blocks.filter((b) => b.acked).length;
    trail.push(`${acked}/${producer.blocks.length} blocks acknowledged`);
    expect(acked, context()).toBeGreaterThan(producer.blocks.length / 2);
    const { missing, disorder } = checkRecords(await readAll(dir), producer.blocks);
    expect(missing, context()).toEqual([]);
    expect(disorder, context()).toEqual([]);
    // Converged: the servers' scrubs found what was damaged while running (a few seconds at most here).
    await until(() => replicaMismatches(dir, TOPIC).length === 0, 10_000);
    expect(replicaMismatches(dir, TOPIC), context()).toEqual([]);
    expect(await until(() => replicaFilesIdentical(dir, TOPIC), 10_000), context()).toBe(true);
    // The servers noticed: a damaged replica was rebuilt, repaired, or dropped from the ISR.
    expect(c.stderr(), context()).toMatch(/Rebuilding|Repaired|left the ISR/);
    console.log(`corrupted-replicas seed ${SEED}: ${ROUNDS} rounds, ${acked}/${producer.blocks.length} blocks acknowledged`);
  }, 150_000);

  it(`a corrupted batch on the LEADER below the high watermark, then kill -9 of a follower: reads heal it from an in-sync copy (seed ${SEED})`, async () => {
    const rng = seededRandom(SEED);
    const dir = tempDir();
    const c = await cluster(dir);
    const blocks: Block[] = [];
    for (let b = 0; b < 10; b++) {
      const lines = Array.from({ length: BLOCK }, (_, i) => `K-${b}-${i}`);
      const r = await runProcess('kcat', ['-P', '-b', c.bootstraps(), '-t', TOPIC, '-X', 'acks=all'], { input: lines.join('\n') + '\n', timeoutMs: 30_000 });
      expect(r.code, r.stderr).toBe(0);
      blocks.push({ lines, acked: true });
    }
    const p = rng.int(3);
    const view = partitions(dir, TOPIC, true)[p];
    const trail = [`seed ${SEED}: ${flipCommitted(join(dir, `broker-${view.leader}`, `${TOPIC}-${p}`), rng, highWatermark(dir, p))} on the leader ${view.leader} of ${TOPIC}-${p}`];
    const follower = rng.pick(view.replicas.filter((b) => b !== view.leader));
    await c.kill(follower);
    trail.push(`kill -9 broker ${follower}`);
    // kcat checks every batch's CRC (check.crcs): a corrupt batch handed out would fail the read.
    const r = await runProcess('kcat', ['-C', '-b', c.bootstraps(), '-t', TOPIC, '-p', String(p), '-o', 'beginning', '-e', '-X', 'check.crcs=true', '-f', '%s\n'], { timeoutMs: 30_000 });
    expect(r.stderr, trail.join('\n')).not.toMatch(/CRC|corrupt/i);
    const read = await readAll(dir);
    expect(read.get(p), trail.join('\n')).toEqual(r.stdout.split('\n').filter(Boolean));
    const { missing } = checkRecords(read, blocks);
    expect(missing, trail.join('\n')).toEqual([]);
    expect(c.stderr()).toMatch(new RegExp(`Repaired ${TOPIC}-${p} on broker ${view.leader}`));
    await c.start(follower);
    expect(await waitForFullIsr(dir, 15_000), trail.join('\n')).toBe('');
    expect(replicaMismatches(dir, TOPIC), trail.join('\n')).toEqual([]);
    expect(await until(() => replicaFilesIdentical(dir, TOPIC), 10_000), trail.join('\n')).toBe(true);
  }, 60_000);
});
