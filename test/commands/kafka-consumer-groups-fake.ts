// An in-memory Admin for the kafka-consumer-groups tests: topics with log start/end offsets and
// record timestamps, groups with members and committed offsets. Only the calls the tool makes.
import { PassThrough, Readable } from 'node:stream';
import type { Admin, GroupDescription, GroupState, KafkaClient, ListedOffset, MemberDescription, TopicPartition } from '../../src/client/types.js';
import { runCommand, type CommandIO } from '../../src/commands/cli.js';
import { handler, tool } from '../../src/commands/kafka-consumer-groups.js';
import { GroupIdNotFoundError, GroupSubscribedToTopicError, NonEmptyGroupError, UnknownTopicOrPartitionError } from '../../src/errors.js';

export interface FakeTopic {
  start: number[];
  end: number[];
  /** Timestamp of each offset, per partition (for --to-datetime); absent: no timestamps. */
  timestamps?: number[][];
  /** Partitions without a leader: listOffsets fails for them. */
  leaderless?: number[];
}

export interface FakeGroup {
  state: GroupState;
  strategy?: string;
  members?: MemberDescription[];
  offsets?: Record<string, { offset: number; leaderEpoch?: number }>; // key "topic:partition"
}

export interface FakeCluster {
  topics: Record<string, FakeTopic>;
  groups: Record<string, FakeGroup>;
  /** Every alterCommittedOffsets call, in order. */
  altered: Array<{ group: string; offsets: Array<TopicPartition & { offset: number }> }>;
}

export function member(memberId: string, assignment: Array<[string, number]>, extra: Partial<MemberDescription> = {}): MemberDescription {
  return { memberId, groupInstanceId: null, clientId: 'console-consumer', host: '/127.0.0.1', assignment: assignment.map(([topic, partition]) => ({ topic, partition })), ...extra };
}

const notUsed = (name: string) => async () => {
  throw new Error(`fake admin: ${name} is not used by kafka-consumer-groups`);
};

export function fakeAdmin(c: FakeCluster): Admin {
  const topic = (name: string) => {
    const t = c.topics[name];
    if (!t) throw new UnknownTopicOrPartitionError(`Topic '${name}' does not exist.`);
    return t;
  };
  const describe = (id: string): GroupDescription => {
    const g = c.groups[id];
    const coordinator = { id: 1, host: 'localhost', port: 9092, rack: null };
    if (!g) return { groupId: id, state: 'Dead', type: 'Classic', protocolType: '', assignmentStrategy: '', coordinator, members: [] };
    return { groupId: id, state: g.state, type: 'Classic', protocolType: 'consumer', assignmentStrategy: g.strategy ?? '', coordinator, members: g.members ?? [] };
  };
  return {
    describeCluster: notUsed('describeCluster'),
    listTopics: async () => Object.keys(c.topics).sort(),
    describeTopics: async (names = Object.keys(c.topics)) =>
      [...names].sort().map((name) => ({
        name,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        internal: false,
        partitions: topic(name).end.map((_, partition) => ({ partition, leader: 1, replicas: [1], isr: [1], elr: null, lastKnownElr: null })),
      })),
    describeTopicById: notUsed('describeTopicById'),
    createTopic: notUsed('createTopic'),
    deleteTopics: notUsed('deleteTopics'),
    createPartitions: notUsed('createPartitions'),
    describeTopicConfigs: notUsed('describeTopicConfigs'),
    alterTopicConfigs: notUsed('alterTopicConfigs'),
    describeConfigs: notUsed('describeConfigs'),
    incrementalAlterConfigs: notUsed('incrementalAlterConfigs'),
    brokerApiVersions: notUsed('brokerApiVersions'),
    describeLogDirs: notUsed('describeLogDirs'),
    electLeaders: notUsed('electLeaders'),
    async listOffsets(requests) {
      return requests.map((r): ListedOffset => {
        const t = topic(r.topic);
        if (r.partition >= t.end.length || t.leaderless?.includes(r.partition)) throw new UnknownTopicOrPartitionError(`No leader for ${r.topic}-${r.partition}`);
        if (r.spec === 'earliest') return { topic: r.topic, partition: r.partition, offset: t.start[r.partition], timestamp: -1 };
        if (r.spec === 'latest') return { topic: r.topic, partition: r.partition, offset: t.end[r.partition], timestamp: -1 };
        if (typeof r.spec === 'string') throw new Error(`listOffsets(${r.spec}) is not faked`);
        const ts = t.timestamps?.[r.partition] ?? [];
        const spec = r.spec;
        const i = ts.findIndex((x, offset) => offset >= t.start[r.partition] && x >= spec.timestamp);
        return { topic: r.topic, partition: r.partition, offset: i, timestamp: i < 0 ? -1 : ts[i] };
      });
    },
    deleteRecords: notUsed('deleteRecords'),
    listGroups: async () => Object.entries(c.groups).map(([groupId, g]) => ({ groupId, state: g.state, type: 'Classic' as const, protocolType: 'consumer' })),
    describeGroups: async (ids) => ids.map(describe),
    async fetchCommittedOffsets(groupId) {
      return Object.entries(c.groups[groupId]?.offsets ?? {}).map(([k, v]) => {
        const [topicName, p] = k.split(':');
        return { topic: topicName, partition: Number(p), offset: v.offset, leaderEpoch: v.leaderEpoch ?? null, metadata: '' };
      });
    },
    async alterCommittedOffsets(group, offsets) {
      c.altered.push({ group, offsets });
      const g = (c.groups[group] ??= { state: 'Empty' });
      g.offsets ??= {};
      for (const o of offsets) g.offsets[`${o.topic}:${o.partition}`] = { offset: o.offset };
    },
    async deleteGroups(ids) {
      return ids.map((item) => {
        const g = c.groups[item];
        if (!g) return { item, error: new GroupIdNotFoundError(`Group ${item} not found.`) };
        if ((g.members ?? []).length > 0) return { item, error: new NonEmptyGroupError('not empty') };
        delete c.groups[item];
        return { item };
      });
    },
    async deleteCommittedOffsets(groupId, partitions) {
      const g = c.groups[groupId];
      return partitions.map((item) => {
        if (!g) return { item, error: new GroupIdNotFoundError('unknown group') };
        if ((g.members ?? []).some((m) => m.assignment.some((tp) => tp.topic === item.topic))) return { item, error: new GroupSubscribedToTopicError('subscribed') };
        if (g.offsets) delete g.offsets[`${item.topic}:${item.partition}`];
        return { item };
      });
    },
    close: async () => {},
  };
}

export function fakeClient(c: FakeCluster): KafkaClient & { closed: number } {
  const admin = fakeAdmin(c);
  const client = {
    kind: 'embedded' as const,
    closed: 0,
    admin: async () => admin,
    producer: notUsed('producer'),
    consumer: notUsed('consumer'),
    close: async () => {
      client.closed++;
    },
  };
  return client;
}

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the tool in-process on a fake cluster. `answer` is typed on stdin (for the TTY prompt). */
export async function groups(c: FakeCluster, argv: string[], options: { isTTY?: boolean; answer?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  let stdin: CommandIO['stdin'] = Readable.from([]);
  if (options.answer !== undefined) {
    const input = new PassThrough();
    // Typed once the prompt is listening.
    setTimeout(() => input.write(options.answer), 50);
    stdin = input;
  }
  const io: CommandIO = { stdout, stderr, stdin, isTTY: options.isTTY ?? false, env: options.env ?? { NO_COLOR: '1' } };
  const client = fakeClient(c);
  const code = await runCommand(tool, (args, cio) => handler(args, cio, client), argv, io);
  return { code, stdout: out, stderr: err };
}
