// Brokers that fail and come back, in one process: fencing, elections, ISR shrink and expand,
// catch-up past a divergent tail, and replicas repaired from in-sync copies (never truncated below
// the high watermark).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cpSync, existsSync, openSync, readFileSync, readdirSync, rmSync, truncateSync, writeFileSync, writeSync, closeSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { ReplicaManager } from '../../../src/engine/cluster/replica-manager.js';
import { decodeRecordSet, encodeBatch } from '../../../src/engine/record/batch.js';
import { LeaderNotAvailableError, NotEnoughReplicasError } from '../../../src/errors.js';
import { LeaderEpochCache, divergencePoint } from '../../../src/engine/log/leader-epoch.js';
import { elect, electIfLeaderless, removeBroker } from '../../../src/engine/cluster/election.js';
import type { PartitionState } from '../../../src/engine/cluster/cluster.js';
import { cleanTempDirs, tempDir } from '../../helpers.js';
import { captureWarnings } from '../../../src/engine/warn.js';

afterEach(cleanTempDirs);

const batch = (...values: string[]) => encodeBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })));
const quiet = () => {};
/** Every committed value, read as a consumer does: one fetch (at most a segment) after another. */
function values(rm: ReplicaManager, topic = 't', p = 0): string[] {
  const out: string[] = [];
  for (let offset = rm.logStartOffset(topic, p); offset < rm.highWatermark(topic, p); ) {
    const records = [...decodeRecordSet(rm.read(topic, p, offset, 1 << 24).records)];
    if (records.length === 0) break;
    out.push(...records.filter((r) => r.offset >= offset).map((r) => String(r.value)));
    offset = records[records.length - 1].offset + 1;
  }
  return out;
}
const segment = (dir: string, broker: number, topic = 't', p = 0) => join(dir, `broker-${broker}`, `${topic}-${p}`, '00000000000000000000.log');

function setup(configs: Record<string, string> = {}) {
  const dir = tempDir();
  const c = Cluster.open(dir);
  c.createTopic({ name: 't', replicaAssignment: [[1, 2, 3]], configs });
  return { dir, c, rm: new ReplicaManager(c, quiet) };
}

describe('election rules', () => {
  const alive = (...ids: number[]) => ({ alive: (b: number) => ids.includes(b), unclean: false });
  const part = (leader: number | null, isr: number[]): PartitionState => ({ partition: 0, replicas: [1, 2, 3], leader, leaderEpoch: 4, isr });

  it('moves leadership to the first live ISR member in replica order and bumps the epoch', () => {
    const p = part(1, [1, 2, 3]);
    expect(removeBroker(p, 1, alive(2, 3))).toBe(true);
    expect(p).toEqual({ partition: 0, replicas: [1, 2, 3], leader: 2, leaderEpoch: 5, isr: [2, 3] });
  });

  it('keeps the last ISR member and leaves no leader; it leads again when it returns', () => {
    const p = part(3, [3]);
    removeBroker(p, 3, alive());
    expect([p.leader, p.isr, p.leaderEpoch]).toEqual([null, [3], 5]);
    expect(electIfLeaderless(p, alive(1))).toBe(false);
    expect(electIfLeaderless(p, alive(1, 3))).toBe(true);
    expect([p.leader, p.leaderEpoch]).toEqual([3, 6]);
  });

  it('an unclean election takes an out-of-sync replica, with an ISR of it alone', () => {
    const p = part(null, [3]);
    expect(electIfLeaderless(p, { alive: (b) => b === 1, unclean: true })).toBe(true);
    expect([p.leader, p.isr]).toEqual([1, [1]]);
  });

  it("PREFERRED and UNCLEAN outcomes are Kafka's", () => {
    expect(elect(part(1, [1, 2, 3]), 'PREFERRED', alive(1, 2, 3))).toBe('ELECTION_NOT_NEEDED');
    expect(elect(part(2, [2, 3]), 'PREFERRED', alive(2, 3))).toBe('PREFERRED_LEADER_NOT_AVAILABLE');
    expect(elect(part(2, [2, 3]), 'PREFERRED', alive(1, 2, 3))).toBe('PREFERRED_LEADER_NOT_AVAILABLE');
    const p = part(2, [2, 3, 1]);
    expect(elect(p, 'PREFERRED', alive(1, 2, 3))).toBe('elected');
    expect([p.leader, p.leaderEpoch]).toEqual([1, 5]);
    expect(elect(part(2, [2]), 'UNCLEAN', alive(2))).toBe('ELECTION_NOT_NEEDED');
    expect(elect(part(null, [3]), 'UNCLEAN', alive())).toBe('ELIGIBLE_LEADERS_NOT_AVAILABLE');
  });
});

describe('leader-epoch divergence', () => {
  it("finds where a returning replica's log stops agreeing with the leader's", () => {
    const dir = tempDir();
    const mk = (name: string, entries: Array<[number, number]>) => {
      mkdirSync(join(dir, name));
      const c = new LeaderEpochCache(join(dir, name));
      for (const [e, o] of entries) c.assign(e, o);
      return c;
    };
    // The old leader wrote 100..109 in epoch 0 that never reached the others; epoch 1 started at 100.
    const oldLeader = mk('a', [[0, 0]]);
    const newLeader = mk('b', [[0, 0], [1, 100]]);
    expect(divergencePoint({ cache: oldLeader, logEnd: 110 }, { cache: newLeader, logEnd: 150 })).toBe(100);
    // A follower that is merely behind keeps all it has.
    expect(divergencePoint({ cache: mk('c', [[0, 0], [1, 100]]), logEnd: 120 }, { cache: newLeader, logEnd: 150 })).toBe(120);
    // A follower that knows an epoch the leader never had goes back to the last shared one.
    expect(divergencePoint({ cache: mk('d', [[0, 0], [2, 105]]), logEnd: 130 }, { cache: newLeader, logEnd: 150 })).toBe(100);
    expect(readFileSync(join(dir, 'b', 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n2\n0 0\n1 100\n');
  });
});

describe('brokers that stop and come back (embedded)', () => {
  it('stops a broker: new leader, epoch bumped, ISR shrunk; acks=all needs min.insync.replicas; a stopped leader set means no leader', () => {
    const { c, rm } = setup({ 'min.insync.replicas': '2' });
    rm.append('t', 0, batch('a'), -1);
    c.stopBroker(1);
    expect(c.topic('t')!.partitions[0]).toMatchObject({ leader: 2, leaderEpoch: 1, isr: [2, 3] });
    expect([...c.liveBrokerIds()]).toEqual([2, 3]);
    rm.append('t', 0, batch('b'), -1);
    c.stopBroker(2);
    expect(() => rm.append('t', 0, batch('x'), -1)).toThrow(NotEnoughReplicasError);
    expect(rm.highWatermark('t', 0)).toBe(2);
    rm.append('t', 0, batch('c'), 1);
    c.stopBroker(3);
    expect(c.topic('t')!.partitions[0]).toMatchObject({ leader: null, isr: [3] });
    expect(() => rm.append('t', 0, batch('x'), 1)).toThrow(LeaderNotAvailableError);
    expect(() => c.stopBroker(3)).toThrow('Broker 3 is not running: nothing to stop (start it with kafka-server-start --node-id 3).');
    c.startBroker(1);
    // Broker 1 is not in the ISR: it cannot lead without an unclean election.
    expect(c.topic('t')!.partitions[0].leader).toBe(null);
    c.startBroker(3);
    expect(c.topic('t')!.partitions[0]).toMatchObject({ leader: 3, isr: [3] });
    // The next append catches broker 1 up (it missed b and c) and it rejoins the ISR.
    rm.append('t', 0, batch('d'), 1);
    expect(c.topic('t')!.partitions[0].isr).toEqual([3, 1]);
    expect(values(rm)).toEqual(['a', 'b', 'c', 'd']);
    expect(readFileSync(segment(c.dataDir, 1)).equals(readFileSync(segment(c.dataDir, 3)))).toBe(true);
  });

  it('a returning old leader loses only its divergent, never-committed tail', () => {
    const { dir, c, rm } = setup();
    rm.append('t', 0, batch('a', 'b'), -1);
    // Broker 1 took a write that reached no follower (its writer died mid-replication) ...
    const log1 = join(dir, 'broker-1', 't-0');
    const stray = batch('lost');
    stray.writeBigInt64BE(2n, 0);
    const fd = openSync(join(log1, '00000000000000000000.log'), 'a');
    writeSync(fd, stray);
    closeSync(fd);
    // ... then stopped; broker 2 leads in epoch 1 and takes new writes.
    c.stopBroker(1);
    rm.append('t', 0, batch('c', 'd', 'e'), -1);
    c.startBroker(1);
    expect(rm.catchUpBroker(1)).toBe(0);
    expect(c.topic('t')!.partitions[0].isr).toEqual([2, 3, 1]);
    expect(readFileSync(segment(dir, 1)).equals(readFileSync(segment(dir, 2)))).toBe(true);
    expect(readFileSync(join(log1, 'leader-epoch-checkpoint'), 'utf8')).toBe('0\n2\n0 0\n1 2\n');
    expect(values(rm)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a returning broker copies closed segments whole and the active one batch by batch', () => {
    const { dir, c, rm } = setup({ 'segment.bytes': '2000' });
    rm.append('t', 0, batch('first'), -1);
    c.stopBroker(3);
    for (let i = 0; i < 60; i++) rm.append('t', 0, batch(`v${i}`, `w${i}`), -1);
    const leaderSegments = readdirSync(join(dir, 'broker-1', 't-0')).filter((f) => f.endsWith('.log'));
    expect(leaderSegments.length).toBeGreaterThanOrEqual(3);
    c.startBroker(3);
    expect(rm.catchUpBroker(3)).toBe(0);
    expect(c.topic('t')!.partitions[0].isr).toEqual([1, 2, 3]);
    for (const f of leaderSegments) {
      expect(readFileSync(join(dir, 'broker-3', 't-0', f)).equals(readFileSync(join(dir, 'broker-1', 't-0', f)))).toBe(true);
    }
    expect(readFileSync(join(dir, 'broker-3', 't-0', 'leader-epoch-checkpoint'), 'utf8')).toBe(readFileSync(join(dir, 'broker-1', 't-0', 'leader-epoch-checkpoint'), 'utf8'));
    // It goes on as a follower: the next append reaches it too.
    rm.append('t', 0, batch('after'), -1);
    expect(values(rm).slice(-1)).toEqual(['after']);
    c.stopBroker(1);
    c.stopBroker(2);
    expect(c.topic('t')!.partitions[0].leader).toBe(3);
    expect(values(rm)).toHaveLength(122);
  });

  it('unclean.leader.election.enable lets an out-of-sync replica lead, losing what it lacked', () => {
    const { c, rm } = setup({ 'unclean.leader.election.enable': 'true' });
    rm.append('t', 0, batch('a'), -1);
    c.stopBroker(1);
    rm.append('t', 0, batch('b'), -1);
    c.stopBroker(2);
    c.stopBroker(3);
    c.startBroker(1);
    expect(c.topic('t')!.partitions[0]).toMatchObject({ leader: 1, isr: [1] });
    rm.append('t', 0, batch('c'), 1);
    // b was committed on brokers 2 and 3 only: the unclean leader never had it.
    expect(values(rm)).toEqual(['a', 'c']);
  });
});

describe('damaged replicas are rebuilt, committed data is never truncated', () => {
  function flipByteInBatch(file: string, batchIndex: number): void {
    const data = readFileSync(file);
    let pos = 0;
    for (let i = 0; i < batchIndex; i++) pos += 12 + data.readInt32BE(pos + 8);
    data[pos + 64] ^= 0xff; // inside the first record (a batch of one short value is ~70 bytes)
    writeFileSync(file, data);
  }

  it('a byte flipped in the leader, then an unclean stop: the leader is repaired, no replica goes backwards (issue 16 #1)', () => {
    const { dir, rm } = setup();
    for (let i = 0; i < 10; i++) rm.append('t', 0, batch(`v${i}`), -1);
    rm.close();
    flipByteInBatch(segment(dir, 1), 4);
    for (const b of [1, 2, 3]) rmSync(join(dir, `broker-${b}`, 't-0', '.kafka_cleanshutdown'), { force: true });
    const logs: string[] = [];
    const rm2 = new ReplicaManager(Cluster.open(dir), (m) => logs.push(m));
    rm2.append('t', 0, batch('new'), -1);
    expect(values(rm2)).toEqual([...Array.from({ length: 10 }, (_, i) => `v${i}`), 'new']);
    expect(rm2.highWatermark('t', 0)).toBe(11);
    for (const b of [2, 3]) expect(readFileSync(segment(dir, b)).equals(readFileSync(segment(dir, 1)))).toBe(true);
    expect(logs.join('\n')).toContain('Repaired t-0 on broker 1: offsets 4 to 9, lost by its recovery, copied back from broker 2.');
  });

  it('a byte flipped below the recovery point of the leader is healed on read from an in-sync copy', () => {
    const { dir, rm } = setup();
    for (let i = 0; i < 10; i++) rm.append('t', 0, batch(`v${i}`), -1);
    flipByteInBatch(segment(dir, 1), 3);
    const logs: string[] = [];
    const rm2 = new ReplicaManager(Cluster.open(dir), (m) => logs.push(m));
    expect(values(rm2)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(readFileSync(segment(dir, 1)).equals(readFileSync(segment(dir, 2)))).toBe(true);
    expect(logs.join('\n')).toContain('Repaired t-0 on broker 1: a damaged batch at offset 3 and what followed were copied back from broker 2 (3 to 9) (7 offsets).');
  });

  it('an older segment of the leader cut short is healed on read: the reader never steps over committed offsets (corrupt-then-crash)', () => {
    const { dir, rm } = setup({ 'segment.bytes': '200' });
    for (let i = 0; i < 10; i++) rm.append('t', 0, batch(`v${i}`), -1);
    rm.close();
    const replica = (b: number) => join(dir, `broker-${b}`, 't-0');
    const logsOf = (b: number) => readdirSync(replica(b)).filter((n) => n.endsWith('.log')).sort();
    expect(logsOf(1).length).toBeGreaterThan(2);
    // The first segment loses the tail of its last batch; the clean-shutdown marker stays, so no recovery looks at it.
    const first = segment(dir, 1);
    writeFileSync(first, readFileSync(first).subarray(0, readFileSync(first).length - 5));
    const logs: string[] = [];
    const rm2 = new ReplicaManager(Cluster.open(dir), (m) => logs.push(m));
    // As a consumer reads: fetch after fetch from the next offset, up to the high watermark.
    const got: string[] = [];
    for (let next = 0, fetches = 0; next < rm2.highWatermark('t', 0) && fetches < 20; fetches++) {
      for (const r of decodeRecordSet(rm2.read('t', 0, next, 1 << 20).records)) {
        got.push(String(r.value));
        next = r.offset + 1;
      }
    }
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    for (const n of logsOf(2)) expect(readFileSync(join(replica(1), n)).equals(readFileSync(join(replica(2), n)))).toBe(true);
    expect(logs.join('\n')).toMatch(/Repaired t-0 on broker 1: a damaged batch at offset \d+ and what followed were copied back from broker 2 /);
  });

  it('damage on both followers at different places: the leader is repaired piece by piece from whichever copy is whole there', () => {
    const { dir, rm } = setup();
    for (let i = 0; i < 10; i++) rm.append('t', 0, batch(`v${i}`), -1);
    rm.close();
    flipByteInBatch(segment(dir, 1), 2);
    flipByteInBatch(segment(dir, 2), 7);
    flipByteInBatch(segment(dir, 3), 4);
    const logs: string[] = [];
    const rm2 = new ReplicaManager(Cluster.open(dir), (m) => logs.push(m));
    expect(values(rm2)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
    expect(logs.join('\n')).toContain('Repaired t-0 on broker 1: a damaged batch at offset 2 and what followed were copied back from broker 2 (2 to 6), broker 3 (7 to 9) (8 offsets).');
  });

  it('with no valid copy anywhere the reader still meets the damage', () => {
    const { dir, rm } = setup();
    for (let i = 0; i < 5; i++) rm.append('t', 0, batch(`v${i}`), -1);
    for (const b of [1, 2, 3]) flipByteInBatch(segment(dir, b), 2);
    const rm2 = new ReplicaManager(Cluster.open(dir), quiet);
    const raw = rm2.read('t', 0, 2, 1 << 20).records;
    expect(() => [...decodeRecordSet(raw)]).toThrow(/corrupt/);
  });

  it('a corrupted follower that cannot take the next append leaves the ISR and is rebuilt (issue 14)', () => {
    const { dir, c, rm } = setup();
    for (let i = 0; i < 5; i++) rm.append('t', 0, batch(`v${i}`), -1);
    rm.close();
    // Follower 3 is cut short and left without its shutdown marker: recovery keeps what is valid.
    flipByteInBatch(segment(dir, 3), 2);
    rmSync(join(dir, 'broker-3', 't-0', '.kafka_cleanshutdown'), { force: true });
    const rm2 = new ReplicaManager(Cluster.open(dir), quiet);
    rm2.append('t', 0, batch('next'), -1);
    expect(c.topic('t')!.partitions[0].isr).toEqual([1, 2, 3]);
    expect(readFileSync(segment(dir, 3)).equals(readFileSync(segment(dir, 1)))).toBe(true);
    expect(values(rm2)).toEqual(['v0', 'v1', 'v2', 'v3', 'v4', 'next']);
  });
});

describe('replicas stay byte-identical', () => {
  it('with LogAppendTime, followers keep the leader stamp instead of their own clock', () => {
    const { dir, rm } = setup({ 'message.timestamp.type': 'LogAppendTime' });
    // Every reading of the clock is a new millisecond, as on a slow disk.
    let clock = Date.now();
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => ++clock);
    try {
      for (let i = 0; i < 5; i++) rm.append('t', 0, batch(`v${i}`), -1);
    } finally {
      spy.mockRestore();
    }
    for (const b of [2, 3]) expect(readFileSync(segment(dir, b)).equals(readFileSync(segment(dir, 1)))).toBe(true);
  });
});

describe('topic deletion never resurrects data', () => {
  it('a deletion killed after the metadata change leaves dirs a new topic of the same name does not adopt (issue 16 #3)', () => {
    const { dir, c, rm } = setup();
    rm.append('t', 0, batch('old1', 'old2'), -1);
    rm.close();
    const stale = readdirSync(join(dir, 'broker-1', 't-0'));
    expect(stale).toContain('partition.metadata');
    // Simulate the kill: metadata says the topic is gone, but every dir is still there.
    const metaPath = join(dir, 'metadata.json');
    const meta = JSON.parse(readFileSync(metaPath, 'utf8'));
    delete meta.topics.t;
    writeFileSync(metaPath, JSON.stringify(meta));
    const c2 = Cluster.open(dir);
    c2.createTopic({ name: 't', replicaAssignment: [[1, 2, 3]] });
    const rm2 = new ReplicaManager(c2, quiet);
    expect(rm2.highWatermark('t', 0)).toBe(0);
    expect(values(rm2)).toEqual([]);
    rm2.append('t', 0, batch('new'), -1);
    expect(values(rm2)).toEqual(['new']);
    expect(readFileSync(join(dir, 'broker-2', 't-0', 'partition.metadata'), 'utf8')).toBe(`version: 0\ntopic_id: ${c2.topic('t')!.topicId}\n`);
    void c;
  });

  it('a process that had the deleted topic open closes without error', () => {
    const { c, rm } = setup();
    rm.append('t', 0, batch('a'), -1);
    c.deleteTopic('t');
    expect(existsSync(join(c.dataDir, 'broker-1', 't-0'))).toBe(false);
    expect(() => rm.close()).not.toThrow();
  });
});

describe("a broker's scrub of its own replicas (kafka-server-start runs it in the background)", () => {
  const replicaDir = (dir: string, b: number) => join(dir, `broker-${b}`, 't-0');
  const logFiles = (dir: string, b: number) => readdirSync(replicaDir(dir, b)).filter((n) => n.endsWith('.log')).sort();
  const bytesOf = (dir: string, b: number) => Buffer.concat(logFiles(dir, b).map((f) => readFileSync(join(replicaDir(dir, b), f))));

  function filled() {
    const { dir, c, rm } = setup({ 'segment.bytes': '200' });
    for (let i = 0; i < 10; i++) rm.append('t', 0, batch(`v${i}`), -1);
    expect(logFiles(dir, 2).length).toBeGreaterThan(3);
    const logs: string[] = [];
    return { dir, c, rm, logs, rm2: new ReplicaManager(Cluster.open(dir), (m) => logs.push(m)) };
  }

  it('finds a flipped byte in an in-sync follower nobody reads: it leaves the ISR, is rebuilt from the leader and rejoins', () => {
    const { dir, c, logs, rm2 } = filled();
    const second = join(replicaDir(dir, 2), logFiles(dir, 2)[1]);
    const data = readFileSync(second);
    data[64] ^= 0xff;
    writeFileSync(second, data);
    rm2.scrubBroker(2, 1 << 20);
    expect(logs).toEqual([
      `[kafkit] Broker 2 left the ISR of t-0: damaged at offset ${Number(data.readBigInt64BE(0))}. It is rebuilt from the leader and rejoins once caught up.`,
      expect.stringMatching(new RegExp(`^\\[kafkit\\] Rebuilding t-0 on broker 2 from offset ${Number(data.readBigInt64BE(0))} from the leader \\(broker 1\\): Record batch at position 0 is corrupt \\(stored crc = \\d+, computed crc = \\d+\\)\\.$`)),
      '[kafkit] Broker 2 caught up on t-0 at offset 10 and rejoined the ISR.',
    ]);
    expect(bytesOf(dir, 2).equals(bytesOf(dir, 1))).toBe(true);
    expect(c.topic('t')!.partitions[0].isr).toEqual([1, 3, 2]);
  });

  it('with a budget smaller than the log, each call goes on where the last stopped until the damage is found', () => {
    const { dir, logs, rm2 } = filled();
    const files = logFiles(dir, 2);
    const last = join(replicaDir(dir, 2), files[files.length - 2]);
    const data = readFileSync(last);
    data[64] ^= 0xff;
    writeFileSync(last, data);
    let calls = 0;
    while (!logs.some((l) => l.includes('Rebuilding')) && calls < 100) {
      rm2.scrubBroker(2, 100);
      calls++;
    }
    expect(calls).toBeGreaterThan(2);
    expect(logs.some((l) => l.startsWith(`[kafkit] Rebuilding t-0 on broker 2 from offset ${Number(data.readBigInt64BE(0))} `))).toBe(true);
    expect(bytesOf(dir, 2).equals(bytesOf(dir, 1))).toBe(true);
  });

  it('an in-sync follower cut short while no append comes is brought level with its leader, and says so', () => {
    const { dir, c, logs, rm2 } = filled();
    const files = logFiles(dir, 3);
    const second = join(replicaDir(dir, 3), files[files.length - 2]);
    const end = Number(readFileSync(second).readBigInt64BE(0));
    // The active segment goes, and the one before it loses the tail of its last batch.
    rmSync(join(replicaDir(dir, 3), files[files.length - 1]));
    truncateSync(second, readFileSync(second).length - 5);
    rm2.scrubBroker(3, 1 << 20);
    expect(logs.filter((l) => l.includes('Rebuilding'))).toEqual([expect.stringMatching(new RegExp(`^\\[kafkit\\] Rebuilding t-0 on broker 3 from offset (${end}|\\d+) from the leader \\(broker 1\\): it ends there, its leader at 10\\.$`))]);
    expect(bytesOf(dir, 3).equals(bytesOf(dir, 1))).toBe(true);
    expect(c.topic('t')!.partitions[0].isr).toEqual([1, 2, 3]);
  });

  it('finds a segment deleted from the middle of a follower, and one deleted from its start', () => {
    const { dir, logs, rm2 } = filled();
    rmSync(join(replicaDir(dir, 3), logFiles(dir, 3)[2]));
    rmSync(join(replicaDir(dir, 2), logFiles(dir, 2)[0]));
    rm2.scrubBroker(3, 1 << 20);
    rm2.scrubBroker(2, 1 << 20);
    expect(logs.filter((l) => l.includes('Rebuilding'))).toEqual([
      expect.stringMatching(/^\[kafkit\] Rebuilding t-0 on broker 3 from offset \d+ from the leader \(broker 1\): offsets \d+ to \d+ are missing: no segment holds them\.$/),
      expect.stringMatching(/^\[kafkit\] Rebuilding t-0 on broker 2 from offset 0 from the leader \(broker 1\): its log starts at \d+, its leader's at 0\.$/),
    ]);
    for (const b of [2, 3]) expect(bytesOf(dir, b).equals(bytesOf(dir, 1))).toBe(true);
  });

  it('a broker that lost its oldest segment while down is rebuilt before it rejoins the ISR, so it never leads without them', () => {
    const { dir, c, logs, rm2 } = filled();
    c.stopBroker(2);
    expect(c.topic('t')!.partitions[0].isr).toEqual([1, 3]);
    rmSync(join(replicaDir(dir, 2), logFiles(dir, 2)[0]));
    c.startBroker(2);
    expect(rm2.catchUpBroker(2)).toBe(0);
    expect(logs).toEqual([
      expect.stringMatching(/^\[kafkit\] Rebuilding t-0 on broker 2 from offset 0 from the leader \(broker 1\): its log starts at [1-9]\d*, its leader's at 0\.$/),
      '[kafkit] Broker 2 caught up on t-0 at offset 10 and rejoined the ISR.',
    ]);
    expect(bytesOf(dir, 2).equals(bytesOf(dir, 1))).toBe(true);
    // Leading now, it serves every record from the beginning.
    c.stopBroker(1);
    c.stopBroker(3);
    expect(c.topic('t')!.partitions[0].leader).toBe(2);
    expect(values(rm2)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
  });

  it('a broker that lost a middle segment while down is rebuilt from the hole before it rejoins the ISR', () => {
    const { dir, c, logs, rm2 } = filled();
    c.stopBroker(3);
    rmSync(join(replicaDir(dir, 3), logFiles(dir, 3)[2]));
    c.startBroker(3);
    expect(rm2.catchUpBroker(3)).toBe(0);
    expect(logs).toEqual([
      expect.stringMatching(/^\[kafkit\] Rebuilding t-0 on broker 3 from offset (\d+) from the leader \(broker 1\): offsets \1 to \d+ are missing: no segment holds them\.$/),
      '[kafkit] Broker 3 caught up on t-0 at offset 10 and rejoined the ISR.',
    ]);
    expect(bytesOf(dir, 3).equals(bytesOf(dir, 1))).toBe(true);
  });

  it('a leader that lost its oldest segment is made again from an in-sync follower that still has it', () => {
    const { dir, logs, rm2 } = filled();
    rmSync(join(replicaDir(dir, 1), logFiles(dir, 1)[0]));
    rm2.scrubBroker(1, 1 << 20);
    expect(logs).toEqual([expect.stringMatching(/^\[kafkit\] Repaired t-0 on broker 1: its log started at [1-9]\d*, broker 2's at 0; made again from broker 2 \(0 to 9\)\.$/)]);
    expect(bytesOf(dir, 1).equals(bytesOf(dir, 2))).toBe(true);
    expect(values(rm2)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
  });

  it('records deleted on purpose stay deleted: DeleteRecords and retention are not a lost segment', () => {
    const { dir, rm, logs, rm2 } = filled();
    const second = Number(logFiles(dir, 1)[1].slice(0, 20));
    // Follower 2 keeps a copy of its records from before the deletion: it starts earlier than its leader.
    const kept = join(tempDir(), 'kept');
    cpSync(replicaDir(dir, 2), kept, { recursive: true });
    rm.deleteRecordsBefore('t', 0, second + 1);
    rmSync(replicaDir(dir, 2), { recursive: true });
    cpSync(kept, replicaDir(dir, 2), { recursive: true });
    rm2.scrubBroker(1, 1 << 20);
    expect(logs).toEqual([]);
    expect(values(rm2)).toEqual(Array.from({ length: 10 - second - 1 }, (_, i) => `v${second + 1 + i}`));
  });

  it("heals the leader's own damage from an in-sync copy; an intact replica is left alone", () => {
    const { dir, logs, rm2 } = filled();
    const before = bytesOf(dir, 2);
    rm2.scrubBroker(2, 1 << 20);
    expect(logs).toEqual([]);
    const first = join(replicaDir(dir, 1), logFiles(dir, 1)[0]);
    writeFileSync(first, Buffer.alloc(readFileSync(first).length));
    rm2.scrubBroker(1, 1 << 20);
    expect(logs).toEqual([expect.stringMatching(/^\[kafkit\] Repaired t-0 on broker 1: a damaged batch at offset 0 and what followed were copied back from broker 2/)]);
    expect(bytesOf(dir, 1).equals(before)).toBe(true);
    expect(values(rm2)).toEqual(Array.from({ length: 10 }, (_, i) => `v${i}`));
  });

  it('a garbled partition.metadata keeps the replica: it is stamped again, with one warning, and nothing is rebuilt', () => {
    const { dir, logs, rm } = filled();
    rm.close();
    const before = bytesOf(dir, 2);
    writeFileSync(join(replicaDir(dir, 2), 'partition.metadata'), 'garbage');
    const warnings: string[] = [];
    const restore = captureWarnings(warnings);
    try {
      const rm3 = new ReplicaManager(Cluster.open(dir), (m) => logs.push(m));
      rm3.append('t', 0, batch('new'), -1);
      expect(values(rm3)).toEqual([...Array.from({ length: 10 }, (_, i) => `v${i}`), 'new']);
    } finally {
      restore();
    }
    expect(bytesOf(dir, 2).subarray(0, before.length).equals(before)).toBe(true);
    expect(bytesOf(dir, 2).equals(bytesOf(dir, 1))).toBe(true);
    expect(warnings).toEqual([`WARN ${join(replicaDir(dir, 2), 'partition.metadata')} is damaged (no topic_id line): written again for topic id ${Cluster.open(dir).topic('t')!.topicId}, keeping the replica's data.`]);
    expect(logs).toEqual([]);
  });
});
