// Corrupt-then-crash (issue 16's proof): rounds of an acknowledged produce into a 3-partition RF-3
// topic, then one random fault on one replica (a flipped byte inside a batch, a segment cut at a
// random point, or a removed clean-shutdown marker), then a producer killed with SIGKILL mid-run.
// After every round the rules are checked against the files themselves, read by an independent
// walker (batch-walk.ts), not through the engine:
//   1. every acknowledged record is on the leader (read with the real console consumer);
//   2. the leader holds every committed offset once, in order, in intact batches, up to the high
//      watermark; each in-sync follower holds the same (offset, CRC) sequence, where a batch may
//      only differ by damage its own CRC exposes (a fault the engine had no reason to read yet);
//      a replica outside the ISR holds a prefix of it;
//   3. no offset is ever reused: each partition's committed (offset, CRC) sequence only grows.
// The generator is seeded: a failure prints its seed and the trail of faults; replay it with
// KAFKIT_FAULT_SEED=<seed>.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, ROOT } from '../helpers.js';
import { damaged, identity, segmentFiles, walkReplica, type WalkedBatch, type WalkedLog } from './batch-walk.js';
import { seededRandom, type Random } from './seeded-random.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SEED = process.env.KAFKIT_FAULT_SEED ? Number(process.env.KAFKIT_FAULT_SEED) : Math.floor(Math.random() * 2 ** 31);
const ROUNDS = 15;
const BLOCK = 300;
const PARTITIONS = [0, 1, 2];
const BROKERS = [1, 2, 3];
const PRODUCE = ['--topic', 't', '--property', 'parse.key=true', '--property', 'key.separator=:', '--producer-property', 'acks=all'];

interface PartitionMeta {
  partition: number;
  leader: number | null;
  isr: number[];
  replicas: number[];
}

class FaultRun {
  readonly trail: string[] = [];
  private readonly acked: string[] = [];
  /** Per partition, the committed identities seen at the last check. */
  private readonly history = new Map<number, string[]>();
  latent = 0;

  constructor(
    readonly dir: string,
    readonly rng: Random,
  ) {}

  note(line: string): void {
    this.trail.push(line);
  }

  context(): string {
    return `seed ${this.rng.seed} (replay: KAFKIT_FAULT_SEED=${this.rng.seed}), data dir ${this.dir}\n${this.trail.join('\n')}`;
  }

  replicaDir(broker: number, partition: number): string {
    return join(this.dir, `broker-${broker}`, `t-${partition}`);
  }

  async produceBlock(round: number): Promise<void> {
    const lines = Array.from({ length: BLOCK }, (_, i) => `k${i}:r${round}-${i}`);
    const r = await bin('kafka-console-producer', PRODUCE, this.dir, `${lines.join('\n')}\n`);
    if (r.code === 0) {
      this.acked.push(...lines.map((l) => l.slice(l.indexOf(':') + 1)));
      this.note(`round ${round}: block of ${BLOCK} acknowledged`);
    } else {
      this.note(`round ${round}: block refused (rc ${r.code}): ${r.stderr.trim().split('\n').pop()}`);
    }
  }

  /** One fault on one replica, chosen by the generator. */
  injectFault(round: number): void {
    const kind = this.rng.pick(['flip', 'truncate', 'marker'] as const);
    const broker = this.rng.pick(BROKERS);
    const partition = this.rng.pick(PARTITIONS);
    const dir = this.replicaDir(broker, partition);
    const where = `broker ${broker} t-${partition}`;
    if (kind === 'marker') {
      rmSync(join(dir, '.kafka_cleanshutdown'), { force: true });
      this.note(`round ${round}: removed the clean-shutdown marker of ${where}`);
      return;
    }
    if (kind === 'truncate') {
      const files = segmentFiles(dir);
      if (files.length === 0) return this.note(`round ${round}: ${where} has no segment to cut`);
      const file = this.rng.pick(files);
      const size = statSync(file).size;
      const at = this.rng.int(size + 1);
      truncateSync(file, at);
      this.note(`round ${round}: cut ${where} ${file.slice(-24)} from ${size} to ${at} bytes`);
      return;
    }
    const { batches } = walkReplica(dir);
    if (batches.length === 0) return this.note(`round ${round}: ${where} has no batch to flip`);
    const b = this.rng.pick(batches);
    const pos = b.position + this.rng.int(b.size);
    const bit = 1 << this.rng.int(8);
    const fd = openSync(b.file, 'r+');
    try {
      const one = Buffer.alloc(1);
      readSync(fd, one, 0, 1, pos);
      one[0] ^= bit;
      writeSync(fd, one, 0, 1, pos);
    } finally {
      closeSync(fd);
    }
    this.note(`round ${round}: flipped bit ${bit} at byte ${pos - b.position} of the batch at offset ${b.offset} (${b.file.slice(-24)} @${b.position}) on ${where}`);
  }

  /** A producer on a long input, killed with SIGKILL at a random moment after its first append became visible. */
  async killedProducer(round: number): Promise<void> {
    const input = Array.from({ length: 50_000 }, (_, i) => `k${i}:killed${round}-${i}\n`).join('');
    const before = this.committedEnd();
    const delay = this.rng.int(100);
    const child = spawn(join(ROOT, 'bin', 'kafka-console-producer'), PRODUCE, { env: { ...process.env, KAFKIT_DATA_DIR: this.dir }, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    child.stdin!.on('error', () => {});
    child.stdin!.end(input);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    let running = true;
    void exited.then(() => (running = false));
    // Start-up takes a few hundred ms on a loaded machine: wait for its first append, then pick the moment.
    const deadline = Date.now() + 10_000;
    while (running && this.committedEnd() === before && Date.now() < deadline) await sleep(5);
    await sleep(delay);
    child.kill('SIGKILL');
    const code = await exited;
    const appended = this.committedEnd() - before;
    this.note(`round ${round}: producer killed ${delay} ms after its first append; ${appended} records committed${code !== null ? ` (it had exited ${code} first${stderr ? `: ${stderr.trim()}` : ''})` : ''}`);
  }

  /** The sum of the partitions' high watermarks. */
  private committedEnd(): number {
    return PARTITIONS.reduce((sum, p) => sum + this.highWatermark(p), 0);
  }

  private metadata(): PartitionMeta[] {
    return JSON.parse(readFileSync(join(this.dir, 'metadata.json'), 'utf8')).topics.t.partitions;
  }

  private highWatermark(partition: number): number {
    try {
      return Number(readFileSync(join(this.dir, 'partitions', `t-${partition}`, 'high-watermark')).readBigInt64BE(0));
    } catch {
      return 0;
    }
  }

  /** Every rule, as a list of violations (empty when all hold). */
  async check(round: number): Promise<string[]> {
    const violations: string[] = [];
    const read = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--timeout-ms', '1500'], this.dir);
    if (read.code !== 0) violations.push(`the consumer exited ${read.code}: ${read.stderr.trim()}`);
    const seen = new Set(read.stdout.split('\n'));
    const missing = this.acked.filter((v) => !seen.has(v));
    if (missing.length > 0) violations.push(`${missing.length} acknowledged records missing on the leader, e.g. ${missing.slice(0, 5).join(', ')}`);

    for (const p of this.metadata()) {
      const hwm = this.highWatermark(p.partition);
      const name = `t-${p.partition}`;
      if (p.leader === null) {
        violations.push(`${name} has no leader`);
        continue;
      }
      const leader = walkReplica(this.replicaDir(p.leader, p.partition)).batches.filter((b) => b.lastOffset < hwm);
      violations.push(...leaderRule(name, p.leader, leader, hwm));
      const ids = leader.map(identity);
      for (const b of p.replicas) {
        if (b === p.leader) continue;
        const inIsr = p.isr.includes(b);
        const v = followerRule(`${name} on broker ${b}${inIsr ? '' : ' (outside the ISR)'}`, leader, walkReplica(this.replicaDir(b, p.partition)), hwm, inIsr);
        violations.push(...v.violations);
        this.latent += v.latent;
      }
      const before = this.history.get(p.partition) ?? [];
      const reused = before.findIndex((id, i) => ids[i] !== id);
      if (reused >= 0) violations.push(`${name}: committed batch ${before[reused]} was replaced by ${ids[reused] ?? 'nothing'} (offsets reused or committed data lost)`);
      this.history.set(p.partition, ids);
      this.note(`round ${round}: ${name} hwm ${hwm}, leader ${p.leader}, ISR [${p.isr.join(',')}]`);
    }
    return violations;
  }
}

/** The leader holds each committed offset exactly once, in order, up to the high watermark, in intact batches. */
function leaderRule(name: string, leader: number, batches: WalkedBatch[], hwm: number): string[] {
  const out: string[] = [];
  let next = batches.length > 0 ? batches[0].offset : hwm;
  if (next !== 0) out.push(`${name} on leader ${leader}: the log starts at ${next}, not 0`);
  for (const b of batches) {
    if (b.offset !== next) out.push(`${name} on leader ${leader}: batch at ${b.offset} where ${next} was due (${b.file.slice(-24)} @${b.position})`);
    if (damaged(b)) out.push(`${name} on leader ${leader}: committed batch ${b.offset}-${b.lastOffset} fails its CRC after a read (${b.file.slice(-24)} @${b.position})`);
    next = b.lastOffset + 1;
  }
  if (next !== hwm) out.push(`${name} on leader ${leader}: committed batches end at ${next}, the high watermark is ${hwm}`);
  return out;
}

/**
 * A follower matches the leader batch for batch (outside the ISR it may stop early). The only
 * differences allowed are damage that the follower's own bytes expose and that nobody has read
 * yet: a batch failing its CRC, or batches missing where its segment's framing is torn. The
 * leader's intact copy can repair either; a silent difference or an extra batch is a violation.
 */
function followerRule(name: string, leader: WalkedBatch[], follower: WalkedLog, hwm: number, inIsr: boolean): { violations: string[]; latent: number } {
  const out: string[] = [];
  let latent = 0;
  // Placed where their sequence puts them, so that a flipped base offset reads as damage, not as an extra batch.
  const committed = follower.batches.filter((b) => b.due + b.lastOffset - b.offset < hwm);
  const byOffset = new Map(committed.map((b) => [b.due, b]));
  const leaderOffsets = new Set(leader.map((b) => b.offset));
  const extra = committed.find((b) => !leaderOffsets.has(b.due));
  if (extra) out.push(`${name}: batch ${identity(extra)} (${extra.file.slice(-24)} @${extra.position}) is not on the leader`);
  const last = committed[committed.length - 1];
  const end = last ? last.due + last.lastOffset - last.offset + 1 : 0;
  for (const l of leader) {
    const f = byOffset.get(l.offset);
    if (!f) {
      if (!inIsr && l.offset >= end) break;
      if (tornAt(follower, l.offset)) {
        latent++;
        continue;
      }
      out.push(`${name}: batch ${identity(l)} of the leader is missing, with no torn segment to explain it`);
      break;
    }
    if (identity(l) === identity(f)) continue;
    if (f.lastOffset - f.offset === l.lastOffset - l.offset && damaged(f)) {
      latent++;
      continue;
    }
    out.push(`${name}: batch ${identity(f)} (${f.file.slice(-24)} @${f.position}), the leader's is ${identity(l)}`);
    break;
  }
  return { violations: out, latent };
}

/** Whether the segment that would hold `offset` (the last one whose base is <= it) has torn framing. */
function tornAt(log: WalkedLog, offset: number): boolean {
  const base = (file: string) => Number(file.slice(-24, -4));
  const holder = log.files.filter((f) => base(f) <= offset).pop();
  return holder !== undefined && log.torn.some((t) => t.file === holder);
}

describe('corrupt-then-crash on the real bins (embedded, 3 partitions, RF 3)', () => {
  it(`keeps every acknowledged record, identical replicas and unreused offsets through ${ROUNDS} rounds of faults and kill -9 (seed ${SEED})`, async () => {
    const run = new FaultRun(mkdtempSync(join(tmpdir(), 'kafkit-faults-')), seededRandom(SEED));
    const created = await bin('kafka-topics', ['--create', '--topic', 't', '--partitions', '3', '--replication-factor', '3', '--config', 'segment.bytes=8192'], run.dir);
    expect(created.code, created.stderr).toBe(0);
    for (let round = 0; round < ROUNDS; round++) {
      await run.produceBlock(round);
      const violations = await run.check(round);
      expect(violations, run.context()).toEqual([]);
      if (round === ROUNDS - 1) break;
      run.injectFault(round);
      await run.killedProducer(round);
    }
    // Not a rule: how many damaged follower batches were still waiting for a reader at a check.
    // Kept after a failure, for the post-mortem the message points to.
    rmSync(run.dir, { recursive: true, force: true });
    console.log(`corrupt-then-crash seed ${SEED}: ${run.latent} latent damaged follower batches seen over ${ROUNDS} checks`);
  }, 180_000);
});
