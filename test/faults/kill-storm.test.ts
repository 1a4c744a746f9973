// A kill -9 storm of mixed processes on ONE embedded data dir (no servers to begin with): acks=all
// console producers writing numbered blocks, two console consumers of group g, kafka-topics
// --describe/--alter --partitions, kafka-configs --alter, kafka-consumer-groups --describe and
// kafka-server-stop/start --node-id, with random ones of them killed by SIGKILL every 100-300 ms.
// Afterwards: every tool answers within a bound (a lock held by a dead pid is broken, not waited
// on), metadata.json parses and holds together, every acknowledged block is there in order, the
// group's offsets are within the log, and the replicas converge byte-identical.
// Seeded: replay a failure with KAFKIT_FAULT_SEED=<seed>.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ROOT, tempDir } from '../helpers.js';
import { seededRandom } from './seeded-random.js';
import { partitions, replicaFilesIdentical, replicaMismatches, startBroker, track, until } from '../failover/brokers.js';
import { cleanUpAfterEach } from '../failover/torture.js';
import { Cluster } from '../../src/engine/cluster/cluster.js';

cleanUpAfterEach();

const SEED = process.env.KAFKIT_FAULT_SEED ? Number(process.env.KAFKIT_FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const ROUNDS = 60;
const TOPIC = 'storm';
const BLOCK = 400;
/** Longer than any tool takes on a loaded machine, far shorter than the 30 s a lock wait would take. */
const TOOL_BOUND_MS = 20_000;

interface Run {
  name: string;
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }>;
}

function plant(target: string, path: string): boolean {
  try {
    symlinkSync(target, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

function launch(dir: string, name: string, args: string[], input?: string): Run {
  const t0 = Date.now();
  const child = track(spawn(join(ROOT, 'bin', name), args, { env: { ...process.env, KAFKIT_DATA_DIR: dir, NO_COLOR: '1' } }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdin!.on('error', () => {});
  child.stdin!.end(input ?? '');
  // A tool that outlives the bound is a hang: it is killed and reported, not waited on forever.
  const timer = setTimeout(() => child.kill('SIGKILL'), TOOL_BOUND_MS * 2);
  const done = new Promise<Awaited<Run['done']>>((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Date.now() - t0 });
    }),
  );
  return { name: `${name} ${args.join(' ')}`, child, done };
}

describe(`kill -9 storm of mixed tools on one embedded data dir (seed ${SEED})`, () => {
  it(`every tool answers, metadata holds, acked blocks survive in order, replicas converge (seed ${SEED}, ${ROUNDS} rounds)`, async () => {
    const rng = seededRandom(SEED);
    const dir = tempDir();
    const trail: string[] = [`seed ${SEED} (replay: KAFKIT_FAULT_SEED=${SEED}), data dir ${dir}`];
    const context = () => trail.join('\n');
    const create = await launch(dir, 'kafka-topics', ['--create', '--topic', TOPIC, '--partitions', '3', '--replication-factor', '3', '--config', 'min.insync.replicas=2', '--config', 'segment.bytes=16384']).done;
    expect(create.code, create.stderr).toBe(0);

    const running = new Set<Run>();
    const hangs: string[] = [];
    const multiLine: string[] = [];
    const watch = (r: Run) => {
      running.add(r);
      void r.done.then((res) => {
        running.delete(r);
        // Every error is one line (notices and warnings are lines of their own).
        const errorLines = res.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('[kafkit]') && !l.startsWith('WARN ') && !/^\[\d{4}-/.test(l));
        if (res.signal === null && errorLines.length > 1) multiLine.push(`${r.name} (rc ${res.code}):\n${res.stderr}`);
        if (res.signal === 'SIGKILL' && res.ms >= TOOL_BOUND_MS * 2) hangs.push(`${r.name} ran ${res.ms} ms: ${res.stderr.trim()}`);
      });
      return r;
    };
    let stopping = false;

    // Two producers (A and B), each one block per process, one block after another; a block counts
    // only if its run exited 0 and said nothing.
    const blocks: Array<{ lines: string[]; acked: boolean }> = [];
    const producing = ['A', 'B'].map(async (tag) => {
      for (let n = 0; !stopping; n++) {
        const lines = Array.from({ length: BLOCK }, (_, i) => `${tag}-${n}-${i}`);
        const r = await watch(launch(dir, 'kafka-console-producer', ['--topic', TOPIC, '--producer-property', 'acks=all'], lines.join('\n') + '\n')).done;
        blocks.push({ lines, acked: r.code === 0 && r.stderr === '' });
        if (r.code !== 0 && r.signal === null) trail.push(`producer ${tag} block ${n}: rc ${r.code}: ${r.stderr.trim()}`);
      }
    });

    // Two members of group g, started again whenever one dies.
    const consuming = [0, 1].map(async () => {
      while (!stopping) await watch(launch(dir, 'kafka-console-consumer', ['--topic', TOPIC, '--group', 'g', '--from-beginning'])).done;
    });

    // Admin tools and broker stops/starts, one at a time.
    const partitionCount = () => partitions(dir, TOPIC, true).length;
    const admin = (async () => {
      while (!stopping) {
        const pick = rng.int(6);
        let args: [string, string[]];
        if (pick === 0) args = ['kafka-topics', ['--describe', '--topic', TOPIC]];
        else if (pick === 1 && partitionCount() < 6) args = ['kafka-topics', ['--alter', '--topic', TOPIC, '--partitions', String(partitionCount() + 1)]];
        else if (pick === 2) args = ['kafka-configs', ['--alter', '--entity-type', 'topics', '--entity-name', TOPIC, '--add-config', `retention.ms=${86_400_000 + rng.int(1000)}`]];
        else if (pick === 3) args = ['kafka-consumer-groups', ['--describe', '--group', 'g']];
        else {
          const view = partitions(dir, TOPIC, true);
          const down = [1, 2, 3].filter((b) => !view.some((p) => p.isr.includes(b)));
          // At most one broker down, so that min.insync.replicas=2 can hold.
          if (down.length > 0) args = ['kafka-server-start', ['--node-id', String(down[0]), '--port', '0']];
          else args = ['kafka-server-stop', ['--node-id', String(1 + rng.int(3))]];
        }
        const run = watch(launch(dir, args[0], args[1]));
        trail.push(`start: ${run.name}`);
        // A server runs until killed or stopped; do not wait for it.
        if (args[0] === 'kafka-server-start') await sleep(500);
        else await run.done;
        await sleep(50);
      }
    })();

    for (let round = 0; round < ROUNDS; round++) {
      await sleep(100 + rng.int(200));
      const victims = [...running];
      if (victims.length === 0) continue;
      const v = victims[rng.int(victims.length)];
      trail.push(`round ${round}: kill -9 ${v.name}`);
      v.child.kill('SIGKILL');
    }
    stopping = true;
    for (const r of running) if (!r.name.startsWith('kafka-server-start')) r.child.kill('SIGKILL');
    await Promise.all([...producing, admin, ...consuming]);

    // Every broker up: a server for each one the storm left stopped (the others are embedded and alive).
    const cluster = Cluster.open(dir);
    const liveNow = () => {
      cluster.reconcile();
      return cluster.liveBrokerIds();
    };
    // A server the storm started last may still be registering: give it the time a start takes.
    await until(() => liveNow().size === 3, 3_000);
    for (const b of [1, 2, 3]) {
      if (liveNow().has(b)) continue;
      trail.push(`after: kafka-server-start --node-id ${b}`);
      await startBroker(dir, b);
    }
    const tool = async (name: string, args: string[], input?: string) => {
      const r = await launch(dir, name, args, input).done;
      expect(r.ms, `${name} ${args.join(' ')} took ${r.ms} ms\n${context()}`).toBeLessThan(TOOL_BOUND_MS);
      expect(r.code, `${name} ${args.join(' ')}: ${r.stderr}\n${context()}`).toBe(0);
      return r;
    };
    const fullIsr = await until(async () => {
      const r = await tool('kafka-topics', ['--describe', '--topic', TOPIC]);
      const isrs = [...r.stdout.matchAll(/Isr: (\S+)/g)].map((m) => m[1].split(',').length);
      return isrs.length === partitionCount() && isrs.every((n) => n === 3);
    }, 20_000);
    expect(fullIsr, `${JSON.stringify(partitions(dir, TOPIC, true))}\n${context()}`).toBe(true);
    expect(hangs, context()).toEqual([]);
    expect(multiLine, context()).toEqual([]);

    // Locks named by a dead process (what a kill -9 inside a locked section leaves) are broken, not waited on.
    const dead = spawn('true');
    await new Promise((resolve) => dead.on('exit', resolve));
    for (const lock of ['metadata.lock', join('partitions', `${TOPIC}-0`, 'append.lock'), join('broker-1', `${TOPIC}-0`, 'append.lock')]) {
      // A live server may hold it for a moment: plant it once it is free.
      expect(await until(() => plant(String(dead.pid), join(dir, lock)), 5_000), lock).toBe(true);
    }
    await tool('kafka-console-producer', ['--topic', TOPIC, '--producer-property', 'acks=all', '--property', 'parse.key=true'], 'k\tafter-the-storm\n');
    await tool('kafka-topics', ['--alter', '--topic', TOPIC, '--partitions', String(partitionCount() + 1)]);

    // metadata.json parses and holds together.
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    const parts = meta.topics[TOPIC].partitions as Array<{ partition: number; leader: number; isr: number[]; replicas: number[] }>;
    expect(parts.map((p) => p.partition), context()).toEqual(Array.from({ length: parts.length }, (_, i) => i));
    expect(parts.length, context()).toBeGreaterThanOrEqual(3);
    for (const p of parts) {
      expect(p.isr.every((b) => p.replicas.includes(b)), `${JSON.stringify(p)}\n${context()}`).toBe(true);
      expect(p.isr.includes(p.leader), `${JSON.stringify(p)}\n${context()}`).toBe(true);
    }

    // Every acknowledged block, in order per partition.
    const read = await tool('kafka-console-consumer', ['--topic', TOPIC, '--from-beginning', '--timeout-ms', '3000', '--property', 'print.partition=true']);
    const byPartition = new Map<number, string[]>();
    for (const l of read.stdout.split('\n').filter(Boolean)) {
      const m = /^Partition:(\d+)\t(.*)$/.exec(l)!;
      byPartition.set(Number(m[1]), [...(byPartition.get(Number(m[1])) ?? []), m[2]]);
    }
    const present = new Set([...byPartition.values()].flat());
    const acked = blocks.filter((b) => b.acked);
    expect(acked.length, context()).toBeGreaterThan(0);
    expect(acked.flatMap((b) => b.lines.filter((l) => !present.has(l))), context()).toEqual([]);
    const disorder: string[] = [];
    for (const [p, values] of byPartition) {
      const seen = new Set<string>();
      const last = new Map<string, [number, number]>();
      for (const v of values) {
        if (seen.has(v)) continue;
        seen.add(v);
        const [tag, block, seq] = v.split('-');
        const [b, q] = [Number(block), Number(seq)];
        const [lb, lq] = last.get(tag) ?? [-1, -1];
        // A producer's blocks run one after another, so its first occurrences run in (block, seq) order.
        if (b < lb || (b === lb && q < lq)) disorder.push(`${v} after ${tag}-${lb}-${lq} in partition ${p}`);
        last.set(tag, [b, q]);
      }
    }
    expect(disorder, context()).toEqual([]);

    // The group: described, and its committed offsets within the log.
    const groups = await tool('kafka-consumer-groups', ['--describe', '--group', 'g']);
    for (const line of groups.stdout.split('\n').filter((l) => l.startsWith('g '))) {
      const [, , , current, end] = line.split(/\s+/);
      if (current !== '-') expect(Number(current), `${line}\n${context()}`).toBeLessThanOrEqual(Number(end));
    }
    await tool('kafka-configs', ['--describe', '--entity-type', 'topics', '--entity-name', TOPIC]);

    expect(await until(() => replicaMismatches(dir, TOPIC).length === 0, 10_000), `${replicaMismatches(dir, TOPIC).join('\n')}\n${context()}`).toBe(true);
    expect(await until(() => replicaFilesIdentical(dir, TOPIC), 10_000), context()).toBe(true);
    console.log(`kill-storm seed ${SEED}: ${ROUNDS} rounds, ${acked.length}/${blocks.length} blocks acknowledged`);
  }, 120_000);
});
