// Go clients against kafka-server-start: Sarama (1.22.1) and confluent-kafka-go (0.11.6, over the
// system librdkafka) produce in every codec with acks=all, consume from the oldest offset, run
// consumer groups that commit, resume and split partitions, and administer topics; Sarama's
// producer rides through a kill -9 of its partition's leader. What Kafka 4 removed (KIP-896) is
// refused as Kafka 4.1 refuses it, by closing the connection: kafka-go 0.2.1's Produce v2, Fetch v2
// and CreateTopics v0, Sarama 1.22's ListTopics (DescribeConfigs v0).
// The programs are in test/go-clients, built once against Debian's packaged Go sources.
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bin, tempDir } from '../helpers.js';
import { buildGoClients, type GoClient } from '../go-clients/build.js';
import { exited, kill9, partitions, startBroker, stopAll, track, until } from '../failover/brokers.js';
import { runProcess, serverPerFile, stopProcess } from './server-process.js';

type Row = Record<string, unknown>;

let programs: Record<GoClient, string>;
beforeAll(async () => {
  programs = await buildGoClients();
}, 240_000);

const ctx = serverPerFile();

async function go(client: GoClient, args: string[], bootstrap = ctx.server.bootstrap): Promise<Row[]> {
  const flag = client === 'kafka-go' ? '-broker' : '-brokers';
  const r = await runProcess(programs[client], [flag, client === 'kafka-go' ? bootstrap.split(',')[0] : bootstrap, ...args], { timeoutMs: 45_000 });
  if (r.code !== 0) throw new Error(`${client} ${args.join(' ')} exited ${r.code}:\n${r.stderr}`);
  return rows(r.stdout);
}

const rows = (text: string): Row[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Row);

/** A long-running group member: its JSON lines as they come, a wait on them, and SIGTERM. */
interface Member {
  rows(): Row[];
  waitFor(pred: (rows: Row[]) => boolean, what: string): Promise<void>;
  stop(): Promise<number | NodeJS.Signals>;
}

const members = new Set<ChildProcess>();
afterAll(async () => {
  await Promise.all([...members].map((c) => stopProcess(c, 5_000)));
});

function member(client: GoClient, args: string[]): Member {
  const child = spawn(programs[client], ['-brokers', ctx.server.bootstrap, 'member', ...args]);
  members.add(child);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return {
    rows: () => rows(out.slice(0, out.lastIndexOf('\n') + 1)),
    async waitFor(pred, what) {
      const ok = await until(() => pred(rows(out.slice(0, out.lastIndexOf('\n') + 1))), 40_000);
      if (!ok) throw new Error(`${client} member: no ${what}; stdout:\n${out}\nstderr:\n${err}`);
    },
    async stop() {
      const code = await stopProcess(child, 20_000);
      members.delete(child);
      return code;
    },
  };
}

const records = (rs: Row[]) => rs.filter((r) => r.event === 'record').map((r) => ({ partition: r.partition, offset: r.offset, value: r.value }));
const assignments = (rs: Row[]) => rs.filter((r) => r.event === 'assigned').map((r) => r.partitions as number[]);
const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

/** What `produce -partitions 3 -count 6 -prefix P` answers after `round` earlier such batches. */
function produced(prefix: string, round: number): Row[] {
  return [0, 1, 2].flatMap((p) => [p, p + 3].map((i, k) => ({ partition: p, offset: 2 * round + k, value: `${prefix}-${i}` })));
}

/** The same records as a consumer prints them, partition by partition in offset order. */
function consumedByPartition(rs: Row[]): Record<number, Row[]> {
  const by: Record<number, Row[]> = {};
  for (const r of rs) (by[r.partition as number] ??= []).push({ offset: r.offset, key: r.key, value: r.value, headers: r.headers });
  return by;
}

function expectedByPartition(prefixes: string[]): Record<number, Row[]> {
  const by: Record<number, Row[]> = {};
  for (const p of [0, 1, 2]) {
    by[p] = prefixes.flatMap((prefix, round) => [p, p + 3].map((i, k) => ({ offset: 2 * round + k, key: `k${i}`, value: `${prefix}-${i}`, headers: `h=${i}` })));
  }
  return by;
}

/** Both members hold partitions of the same generation, disjoint, together all three. */
function split(a: Member, b: Member): boolean {
  const [pa, pb] = [last(assignments(a.rows())), last(assignments(b.rows()))];
  if (!pa || !pb || pa.length === 0 || pb.length === 0) return false;
  return [...pa, ...pb].sort().join() === '0,1,2';
}

for (const client of ['sarama', 'confluent'] as const) {
  describe(`${client} against kafka-server-start`, () => {
    it('admin: creates a topic, lists it, adds partitions, deletes it', async () => {
      const topic = `${client}-admin`;
      const created = await go(client, ['admin', '-topic', topic, '-partitions', '2', 'create-topic']);
      expect(created).toEqual(client === 'sarama' ? [{ created: topic }] : [{ topic, error: 'Success' }]);
      const listed = async () => client === 'sarama'
        // Sarama 1.22's ListTopics sends DescribeConfigs v0, which Kafka 4 removed (see the kafka-go
        // tests): its DescribeTopics (Metadata v5) lists them instead.
        ? (await go(client, ['admin', '-topic', topic, 'describe-topic'])).map((r) => ({ ...r, partitions: (r.partitions as Row[]).map((p) => [p.partition, p.replicas, p.isr]) }))
        : (await go(client, ['admin', 'list-topics'])).filter((r) => r.topic === topic);
      expect(await listed()).toEqual(client === 'sarama'
        ? [{ topic, error: 0, partitions: [[0, 1, 1], [1, 1, 1]] }]
        : [{ topic, partitions: 2 }]);
      if (client === 'sarama') {
        const list = await runProcess(programs.sarama, ['-brokers', ctx.server.bootstrap, 'admin', 'list-topics']);
        expect([list.code, list.stderr]).toEqual([1, 'sarama-client: list topics: EOF\n']);
        await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toMatch(/Closing connection from 127\.0\.0\.1:\d+ \(broker \d\): DescribeConfigs v0 is not supported \(this server supports v1-v4\)/);
      }
      await go(client, ['admin', '-topic', topic, '-partitions', '3', 'create-partitions']);
      const described = (await bin('kafka-topics', ['--describe', '--topic', topic], ctx.dataDir)).stdout;
      expect(described).toContain(`PartitionCount: 3\t`);
      await go(client, ['admin', '-topic', topic, 'delete-topic']);
      // Sarama's admin asks Metadata without auto-creation: UNKNOWN_TOPIC_OR_PARTITION (3).
      expect(await listed()).toEqual(client === 'sarama' ? [{ topic, error: 3, partitions: [] }] : []);
      expect((await bin('kafka-topics', ['--list'], ctx.dataDir)).stdout.split('\n')).not.toContain(topic);
    });

    it('produces with acks=all in every codec; its consumer reads exactly those records from the oldest offset', async () => {
      const topic = `${client}-codecs`;
      await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3', '--replication-factor', '3'], ctx.dataDir);
      for (const [round, codec] of CODECS.entries()) {
        expect(await go(client, ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-compression', codec, '-prefix', codec])).toEqual(produced(codec, round));
      }
      const consumed = await go(client, ['consume', '-topic', topic, '-count', '30']);
      expect(consumedByPartition(consumed)).toEqual(expectedByPartition(CODECS));
      // The embedded engine reads the same log.
      const embedded = await bin('kafka-console-consumer', ['--topic', topic, '--partition', '1', '--offset', 'earliest', '--max-messages', '10'], ctx.dataDir);
      expect(embedded.stdout).toBe(`${CODECS.flatMap((c) => [`${c}-1`, `${c}-4`]).join('\n')}\n`);
    });

    it('a group member commits; restarted, it resumes after the committed offsets', async () => {
      const topic = `${client}-resume`;
      const group = `${client}-resume-group`;
      await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3', '--replication-factor', '1'], ctx.dataDir);
      await go(client, ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-prefix', 'a']);
      const first = member(client, ['-topic', topic, '-group', group, '-strategy', 'roundrobin']);
      await first.waitFor((rs) => records(rs).length === 6, 'six records');
      // Auto-commit runs every 200 ms and on close; the offsets are committed once the group shows them.
      expect(await first.stop()).toBe(0);
      expect(last(first.rows())).toEqual({ event: 'closed' });
      expect(assignments(first.rows())).toEqual([[0, 1, 2]]);
      expect(records(first.rows()).sort((x, y) => Number(x.partition) - Number(y.partition) || Number(x.offset) - Number(y.offset))).toEqual(produced('a', 0));
      const offsets = await bin('kafka-consumer-groups', ['--describe', '--group', group], ctx.dataDir);
      expect(offsets.stdout).toMatch(new RegExp(`${group} +${topic} +0 +2 +2 +0 `));
      expect(offsets.stdout).toMatch(new RegExp(`${group} +${topic} +2 +2 +2 +0 `));
      await go(client, ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-prefix', 'b']);
      const second = member(client, ['-topic', topic, '-group', group, '-strategy', 'roundrobin']);
      await second.waitFor((rs) => records(rs).length >= 6, 'six more records');
      expect(await second.stop()).toBe(0);
      expect(records(second.rows()).sort((x, y) => Number(x.partition) - Number(y.partition) || Number(x.offset) - Number(y.offset))).toEqual(produced('b', 1));
    }, 120_000);

    it('two group members split the partitions and each reads only its own; when one leaves the other takes all and resumes after its commits', async () => {
      const topic = `${client}-split`;
      const group = `${client}-split-group`;
      await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3', '--replication-factor', '2'], ctx.dataDir);
      const a = member(client, ['-topic', topic, '-group', group]);
      await a.waitFor((rs) => last(assignments(rs))?.join() === '0,1,2', 'assignment of all partitions');
      const b = member(client, ['-topic', topic, '-group', group]);
      await a.waitFor(() => split(a, b), 'split of the partitions');
      const describe = await bin('kafka-consumer-groups', ['--describe', '--group', group, '--state'], ctx.dataDir);
      expect(describe.stdout).toMatch(/ range +Stable +2\s*$/m);
      if (client === 'sarama') {
        const [d] = await go(client, ['admin', '-group', group, 'describe-group']);
        expect(d).toMatchObject({ group, error: 0, state: 'Stable', protocolType: 'consumer', protocol: 'range' });
        const ms = d.members as Array<{ clientId: string; topics: string[]; assignment: Record<string, number[]> }>;
        expect(ms.map((m) => [m.clientId, m.topics])).toEqual([['kafkit-go-sarama', [topic]], ['kafkit-go-sarama', [topic]]]);
        expect(ms.flatMap((m) => m.assignment[topic]).sort()).toEqual([0, 1, 2]);
        expect(await go(client, ['admin', 'list-groups'])).toContainEqual({ group, protocolType: 'consumer' });
      }
      await go(client, ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-prefix', 'c']);
      await a.waitFor(() => records(a.rows()).length + records(b.rows()).length === 6, 'all six records between them');
      const [ownA, ownB] = [last(assignments(a.rows()))!, last(assignments(b.rows()))!];
      expect(records(a.rows()).every((r) => ownA.includes(r.partition as number))).toBe(true);
      expect(records(b.rows()).every((r) => ownB.includes(r.partition as number))).toBe(true);
      const all = [...records(a.rows()), ...records(b.rows())].sort((x, y) => Number(x.partition) - Number(y.partition) || Number(x.offset) - Number(y.offset));
      expect(all).toEqual(produced('c', 0));
      // a leaves (committing what it read); b is given every partition and goes on after a's commits.
      const readByB = records(b.rows()).length;
      expect(await a.stop()).toBe(0);
      await b.waitFor((rs) => last(assignments(rs))?.join() === '0,1,2', 'all partitions after the other member left');
      await go(client, ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-prefix', 'd']);
      await b.waitFor((rs) => records(rs).length >= readByB + 6, 'the records produced after the other member left');
      expect(await b.stop()).toBe(0);
      expect(records(b.rows()).slice(readByB).sort((x, y) => Number(x.partition) - Number(y.partition) || Number(x.offset) - Number(y.offset))).toEqual(produced('d', 1));
    }, 120_000);
  });
}

describe('confluent-kafka-go extras', () => {
  it('an idempotent producer (InitProducerId, sequence numbers) writes each record once', async () => {
    const topic = 'confluent-idempotent';
    await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3', '--replication-factor', '1'], ctx.dataDir);
    expect(await go('confluent', ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-idempotent', '-compression', 'zstd', '-prefix', 'i'])).toEqual(produced('i', 0));
    expect(await go('confluent', ['produce', '-topic', topic, '-partitions', '3', '-count', '6', '-idempotent', '-prefix', 'j'])).toEqual(produced('j', 1));
    expect(consumedByPartition(await go('confluent', ['consume', '-topic', topic, '-count', '12']))).toEqual(expectedByPartition(['i', 'j']));
  });

  it('DescribeConfigs answers a topic default', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'confluent-configs', '--partitions', '1', '--replication-factor', '1'], ctx.dataDir);
    expect(await go('confluent', ['admin', '-topic', 'confluent-configs', 'describe-config'])).toEqual([{ name: 'confluent-configs', error: 'Success', 'cleanup.policy': 'delete', source: 'DEFAULT_CONFIG' }]);
  });
});

describe('kafka-go 0.2.1 (pinned request versions, no ApiVersions)', () => {
  it('reads partitions (Metadata v1) and offsets (ListOffsets v1)', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'kafka-go-meta', '--partitions', '2', '--replication-factor', '3'], ctx.dataDir);
    await bin('kafka-console-producer', ['--topic', 'kafka-go-meta'], ctx.dataDir, 'x\ny\nz\n');
    const parts = await go('kafka-go', ['-topic', 'kafka-go-meta', 'partitions']);
    expect(parts.map((p) => [p.topic, p.partition, p.replicas, p.isr])).toEqual([['kafka-go-meta', 0, 3, 3], ['kafka-go-meta', 1, 3, 3]]);
    const total = (await Promise.all([0, 1].map((p) => go('kafka-go', ['-topic', 'kafka-go-meta', '-partition', String(p), 'offsets'])))).map(([o]) => {
      expect(o.first).toBe(0);
      return o.last as number;
    });
    expect(total[0] + total[1]).toBe(3);
  });

  // Kafka 4.x removed Produce v0-2, Fetch v0-3 and CreateTopics v0-1 (KIP-896); its SocketServer
  // closes the connection on a request version it does not enable, and so does kafkit.
  it('Produce v2, Fetch v2 and CreateTopics v0: the connection is closed, as Kafka 4.1 does', async () => {
    await bin('kafka-topics', ['--create', '--topic', 'kafka-go-old', '--partitions', '1', '--replication-factor', '1'], ctx.dataDir);
    const leaderOf = (await go('kafka-go', ['-topic', 'kafka-go-old', 'partitions']))[0].leader as number;
    const leader = ctx.server.bootstrap.split(',')[leaderOf - 1];
    for (const [cmd, message] of [['produce', 'write messages: EOF'], ['fetch', 'read message: unexpected EOF']]) {
      const r = await runProcess(programs['kafka-go'], ['-broker', leader, '-topic', 'kafka-go-old', cmd]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`kafka-go-client: ${message}\n`);
    }
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toMatch(/Closing connection from 127\.0\.0\.1:\d+ \(broker \d\): Produce v2 is not supported \(this server supports v3-v9\)/);
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toMatch(/Closing connection from 127\.0\.0\.1:\d+ \(broker \d\): Fetch v2 is not supported \(this server supports v4-v12\)/);
    const create = await runProcess(programs['kafka-go'], ['-broker', leader, '-topic', 'kafka-go-created', 'create-topic']);
    expect(create.code).toBe(1);
    expect(create.stderr).toMatch(/^kafka-go-client: create topics: (unexpected )?EOF\n$/);
    await expect.poll(() => ctx.server.stderr(), { timeout: 10_000 }).toMatch(/CreateTopics v0 is not supported \(this server supports v2-v7\)/);
    expect((await bin('kafka-console-consumer', ['--topic', 'kafka-go-old', '--from-beginning', '--timeout-ms', '500'], ctx.dataDir)).stdout).toBe('');
  });
});

describe('Sarama through a kill -9 of the leader (one server process per broker)', () => {
  afterEach(async () => {
    await stopAll();
  });

  it('its producer (acks=all) finds the new leader and its consumer reads every acknowledged record', async () => {
    const dir = tempDir();
    const topic = 'ride-sarama';
    expect((await bin('kafka-topics', ['--create', '--topic', topic, '--replica-assignment', '1:2:3', '--config', 'min.insync.replicas=2'], dir)).code).toBe(0);
    const brokers = [await startBroker(dir, 1), await startBroker(dir, 2), await startBroker(dir, 3)];
    const sarama = track(spawn(programs.sarama, ['-brokers', brokers.map((b) => b.bootstrap).join(','), 'ride', '-topic', topic, '-count', '50']));
    let out = '';
    let err = '';
    sarama.stdout!.on('data', (d) => (out += d));
    sarama.stderr!.on('data', (d) => (err += d));
    expect(await until(() => out.includes('"acked":"before"'), 30_000), err).toBe(true);
    await kill9(brokers[0]);
    sarama.stdin!.end('go\n');
    expect(await exited(sarama), err).toBe(0);
    const before = Array.from({ length: 50 }, (_, i) => `before-${i}`);
    const after = Array.from({ length: 50 }, (_, i) => `after-${i}`);
    expect(rows(out)).toEqual([{ acked: 'before', count: 50 }, { acked: 'after', count: 50 }, { consumed: [...before, ...after] }]);
    expect(partitions(dir, topic)[0]).toMatchObject({ leader: 2, isr: [2, 3] });
    // Its admin, bootstrapped by all three, sees the new leader and creates a topic through the new controller.
    const all = brokers.map((b) => b.bootstrap).join(',');
    expect(await go('sarama', ['admin', '-topic', topic, 'describe-topic'], all)).toEqual([{ topic, error: 0, partitions: [{ partition: 0, leader: 2, replicas: 3, isr: 2 }] }]);
    expect(await go('sarama', ['admin', '-topic', 'after-kill', '-partitions', '2', 'create-topic'], all)).toEqual([{ created: 'after-kill' }]);
  }, 90_000);
});
