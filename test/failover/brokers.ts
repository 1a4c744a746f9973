// Plumbing for the failover tests: one kafka-server-start process per broker (--node-id N, port 0),
// killed or stopped by PID, and the checks every test makes on the data dir's replicas.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, bin } from '../helpers.js';
import { stopProcess } from '../server/server-process.js';
import { Cluster } from '../../src/engine/cluster/cluster.js';

export interface BrokerProcess {
  id: number;
  child: ChildProcess;
  bootstrap: string;
  stderr: () => string;
}

/** Every child a test started, so that afterEach can stop the ones still running, by PID. */
export const children = new Set<ChildProcess>();

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => stopProcess(c, 5_000)));
  children.clear();
}

export function startBroker(dataDir: string, id: number, overrides: string[] = []): Promise<BrokerProcess> {
  const args = ['--node-id', String(id), '--port', '0', ...overrides.flatMap((o) => ['--override', o])];
  const child = track(spawn(join(ROOT, 'bin', 'kafka-server-start'), args, { env: { ...process.env, KAFKIT_DATA_DIR: dataDir }, stdio: ['ignore', 'ignore', 'pipe'] }));
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`broker ${id} did not start:\n${err}`)), 20_000);
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /bootstrap servers: (\S+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ id, child, bootstrap: m[1], stderr: () => err });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`broker ${id} exited (${code}):\n${err}`));
    });
  });
}

/** kill -9 of a broker's server process; resolves once it is gone. */
export function kill9(b: BrokerProcess): Promise<void> {
  return new Promise((resolve) => {
    if (b.child.exitCode !== null || b.child.signalCode !== null) return resolve();
    b.child.once('exit', () => resolve());
    b.child.kill('SIGKILL');
  });
}

/** Waits for a child to exit on its own; resolves with its exit code, or the signal that ended it. */
export function exited(child: ChildProcess): Promise<number | NodeJS.Signals> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode!);
    child.once('exit', (code, signal) => resolve(code ?? signal!));
  });
}

/** Polls `cond` every 100 ms until it holds or `timeoutMs` passed; returns its last value. */
export async function until<T>(cond: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cond();
    if (v || Date.now() >= deadline) return v;
    await sleep(100);
  }
}

export interface PartitionView {
  partition: number;
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

/**
 * The partitions as the metadata holds them now: after this process fenced dead brokers itself,
 * or (`asIs`) as the servers left it, to check that they did.
 */
export function partitions(dataDir: string, topic: string, asIs = false): PartitionView[] {
  const cluster = Cluster.open(dataDir);
  if (!asIs) cluster.reconcile();
  return cluster.topic(topic)!.partitions.map((p) => ({ partition: p.partition, leader: p.leader, leaderEpoch: p.leaderEpoch, replicas: [...p.replicas], isr: [...p.isr] }));
}

export async function describeLines(dataDir: string, args: string[]): Promise<string[]> {
  const r = await bin('kafka-topics', ['--describe', ...args], dataDir);
  if (r.code !== 0) throw new Error(`kafka-topics --describe failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

function readHighWatermark(dataDir: string, topic: string, partition: number): number {
  try {
    return Number(readFileSync(join(dataDir, 'partitions', `${topic}-${partition}`, 'high-watermark')).readBigInt64BE(0));
  } catch {
    return 0;
  }
}

/** The bytes of a replica's segments, concatenated in offset order. */
function replicaBytes(dataDir: string, broker: number, topic: string, partition: number): Buffer {
  const dir = join(dataDir, `broker-${broker}`, `${topic}-${partition}`);
  const logs = readdirSync(dir).filter((f) => f.endsWith('.log')).sort();
  return Buffer.concat(logs.map((f) => readFileSync(join(dir, f))));
}

/** Byte length of the whole batches below `offset` in a segment stream (batch header: base offset, length, ..., last offset delta at 23). */
function prefixBelow(bytes: Buffer, offset: number): number {
  let pos = 0;
  while (pos + 61 <= bytes.length) {
    const last = Number(bytes.readBigInt64BE(pos)) + bytes.readInt32BE(pos + 23);
    if (last >= offset) break;
    pos += 12 + bytes.readInt32BE(pos + 8);
  }
  return pos;
}

/**
 * Replicas of every partition of `topic` that are in the ISR hold the same bytes up to the high
 * watermark. Returns the mismatches, as text (empty when all agree).
 */
export function replicaMismatches(dataDir: string, topic: string): string[] {
  const out: string[] = [];
  for (const p of partitions(dataDir, topic)) {
    const hwm = readHighWatermark(dataDir, topic, p.partition);
    const copies = p.isr.map((b) => {
      const bytes = replicaBytes(dataDir, b, topic, p.partition);
      return { b, bytes: bytes.subarray(0, prefixBelow(bytes, hwm)) };
    });
    for (const c of copies.slice(1)) {
      if (!c.bytes.equals(copies[0].bytes)) out.push(`${topic}-${p.partition}: broker ${c.b} (${c.bytes.length} B) differs from broker ${copies[0].b} (${copies[0].bytes.length} B) below the high watermark ${hwm}`);
    }
  }
  return out;
}

/** Every replica of every partition is whole-file identical (all in sync and idle). */
export function replicaFilesIdentical(dataDir: string, topic: string): boolean {
  return partitions(dataDir, topic).every((p) => {
    const [first, ...rest] = p.replicas.map((b) => replicaBytes(dataDir, b, topic, p.partition));
    return rest.every((r) => r.equals(first));
  });
}

/** The topic's records as `partition -> values in offset order`, read with the embedded consumer. */
export async function readByPartition(dataDir: string, topic: string, timeoutMs: number): Promise<Map<number, string[]>> {
  const r = await bin('kafka-console-consumer', ['--topic', topic, '--from-beginning', '--timeout-ms', String(timeoutMs), '--property', 'print.partition=true'], dataDir);
  const out = new Map<number, string[]>();
  for (const l of r.stdout.split('\n').filter(Boolean)) {
    const m = /^Partition:(\d+)\t(.*)$/.exec(l)!;
    out.set(Number(m[1]), [...(out.get(Number(m[1])) ?? []), m[2]]);
  }
  return out;
}

/**
 * Values are `<tag>-<block>-<seq>`. Per producer block and partition, first occurrences must keep
 * the order it sent (a retry may add a later duplicate); returns each value seen out of order.
 */
export function orderViolations(records: Map<number, string[]>): string[] {
  const disorder: string[] = [];
  for (const [partition, values] of records) {
    const seen = new Set<string>();
    const last = new Map<string, number>();
    for (const v of values) {
      if (seen.has(v)) continue;
      seen.add(v);
      const [tag, block, seq] = v.split('-');
      const key = `${tag}-${block}`;
      if ((last.get(key) ?? -1) > Number(seq)) disorder.push(`${v} after ${key}-${last.get(key)} in partition ${partition}`);
      last.set(key, Number(seq));
    }
  }
  return disorder;
}
