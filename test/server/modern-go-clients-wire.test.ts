// What modern Go clients send, at the versions they pick from our ApiVersions answer, for the code
// paths test/server/go-clients.test.ts cannot reach with Debian's older packages: IBM/sarama with
// Config.Version >= 3.x (ApiVersions v4, Produce v9, Fetch v12 without sessions, ListOffsets v6, FindCoordinator v3,
// JoinGroup v8, SyncGroup v5, Heartbeat v4, OffsetCommit v8, OffsetFetch v8 with a null topic list,
// LeaveGroup v5) and segmentio/kafka-go 0.4 (its consumer group's pinned versions, its Conn's Fetch v10). The request and response layouts
// are the server's own descriptions, which follow Kafka's message specs field by field; the
// consumer-protocol payloads inside JoinGroup and SyncGroup are written and read here by hand, in
// Sarama's layout, so that they check the server's.
import { connect } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { Fetch } from '../../src/protocol/messages/fetch.js';
import { Heartbeat } from '../../src/protocol/messages/heartbeat.js';
import { JoinGroup } from '../../src/protocol/messages/join-group.js';
import { LeaveGroup } from '../../src/protocol/messages/leave-group.js';
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js';
import { Metadata } from '../../src/protocol/messages/metadata.js';
import { OffsetCommit } from '../../src/protocol/messages/offset-commit.js';
import { OffsetFetch } from '../../src/protocol/messages/offset-fetch.js';
import { Produce } from '../../src/protocol/messages/produce.js';
import { SyncGroup } from '../../src/protocol/messages/sync-group.js';
import { FindCoordinator } from '../../src/protocol/messages/find-coordinator.js';
import { CreateTopics } from '../../src/protocol/messages/create-topics.js';
import { DeleteTopics } from '../../src/protocol/messages/delete-topics.js';
import { encodeBatch } from '../../src/engine/record/batch.js';
import { bin } from '../helpers.js';
import { serverPerFile } from './server-process.js';
import { call } from './wire.js';

const TOPIC = 'modern';
const ctx = serverPerFile({
  // Three partitions all led by broker 1, so that one Fetch reads them all.
  prepare: (dir) => bin('kafka-topics', ['--create', '--topic', TOPIC, '--replica-assignment', '1,1,1'], dir).then(() => undefined),
});
let broker1: string;
beforeAll(() => {
  broker1 = ctx.server.bootstrap.split(',')[0];
});

type Row = Record<string, unknown>;

/** One raw frame to `address`; resolves with the response frame (after its size). */
function roundTrip(address: string, payload: Buffer): Promise<Buffer> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), host);
    let got = Buffer.alloc(0);
    socket.on('error', reject);
    socket.on('data', (d) => {
      got = Buffer.concat([got, d]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) {
        socket.destroy();
        resolve(got.subarray(4, 4 + got.readInt32BE(0)));
      }
    });
    const size = Buffer.alloc(4);
    size.writeInt32BE(payload.length);
    socket.write(Buffer.concat([size, payload]));
  });
}

describe('IBM/sarama (Config.Version >= 3.9)', () => {
  it('ApiVersions v4 (request header v2, client software name) is answered in v4, header v0', async () => {
    // Sarama's bytes: api key 18, version 4, correlation id 1, client id "sarama", no header tags;
    // body: compact strings "sarama" and "1.46.0", no tags.
    const clientId = Buffer.from('sarama');
    const head = Buffer.alloc(10);
    head.writeInt16BE(18, 0);
    head.writeInt16BE(4, 2);
    head.writeInt32BE(1, 4);
    head.writeInt16BE(clientId.length, 8);
    const compact = (s: string) => Buffer.concat([Buffer.from([Buffer.byteLength(s) + 1]), Buffer.from(s)]);
    const reply = await roundTrip(broker1, Buffer.concat([head, clientId, Buffer.from([0]), compact('sarama'), compact('1.46.0'), Buffer.from([0])]));
    expect(reply.readInt32BE(0)).toBe(1);
    // Header v0 (no tags), then error code 0 and a compact array of (key, min, max, tags).
    expect(reply.readInt16BE(4)).toBe(0);
    let pos = 6;
    const count = reply[pos++] - 1;
    const keys = new Map<number, [number, number]>();
    for (let i = 0; i < count; i++) {
      keys.set(reply.readInt16BE(pos), [reply.readInt16BE(pos + 2), reply.readInt16BE(pos + 4)]);
      expect(reply[pos + 6]).toBe(0);
      pos += 7;
    }
    expect(reply.readInt32BE(pos)).toBe(0); // throttle time
    expect(reply[pos + 4]).toBe(0); // no tagged fields
    expect(pos + 5).toBe(reply.length);
    expect(keys.get(18)).toEqual([0, 4]);
    expect(keys.get(0)).toEqual([3, 9]);
    expect(keys.get(1)).toEqual([4, 12]);
  });

  it('Produce v9 with acks=all answers each partition with its base offset, log start offset and no record errors', async () => {
    const batch = (p: number) => encodeBatch([0, 1, 2].map((i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(`p${p}-v${i}`), timestamp: 1_700_000_000_000 + i })), { compression: p === 1 ? 'zstd' : p === 2 ? 'lz4' : 'none' });
    for (const round of [0, 1]) {
      const r = await call<Row>(broker1, Produce, 9, { transactionalId: null, acks: -1, timeoutMs: 10_000, topicData: [{ name: TOPIC, partitionData: [0, 1, 2].map((index) => ({ index, records: batch(index) })) }] });
      expect(r).toEqual({
        responses: [{ name: TOPIC, partitionResponses: [0, 1, 2].map((index) => ({ index, errorCode: 0, baseOffset: 3 * round, logAppendTimeMs: -1, logStartOffset: 0, recordErrors: [], errorMessage: null })) }],
        throttleTimeMs: 0,
      });
    }
  });

  it('Fetch v12 (no session, several partitions, a tiny response limit) gives one batch, then the others empty with their offsets', async () => {
    const request = (isolationLevel: number, maxBytes: number) => ({
      replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes, isolationLevel, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: TOPIC, partitions: [0, 1, 2].map((partition) => ({ partition, currentLeaderEpoch: 0, fetchOffset: 0, lastFetchedEpoch: -1, logStartOffset: -1, partitionMaxBytes: 1 << 20 })) }],
      forgottenTopicsData: [], rackId: '',
    });
    const r = await call<{ throttleTimeMs: number; errorCode: number; sessionId: number; responses: Array<{ topic: string; partitions: Row[] }> }>(broker1, Fetch, 12, request(0, 1));
    expect([r.throttleTimeMs, r.errorCode, r.sessionId]).toEqual([0, 0, 0]);
    const parts = r.responses[0].partitions;
    // (The decoder fills fields a version lacks, and absent tagged fields, with their defaults.)
    expect(parts.map((p) => ({ ...p, records: (p.records as Buffer).length > 0, currentLeader: undefined, divergingEpoch: undefined }))).toEqual([0, 1, 2].map((partitionIndex) => ({
      partitionIndex, errorCode: 0, highWatermark: 6, lastStableOffset: 6, logStartOffset: 0, abortedTransactions: null, preferredReadReplica: -1,
      // At least one batch even above the response limit (KIP-74), then nothing more.
      records: partitionIndex === 0,
    })));
    // read_committed (librdkafka's default; Sarama's ReadCommitted): an empty list, not null, as Kafka.
    const committed = await call<{ responses: Array<{ partitions: Row[] }> }>(broker1, Fetch, 12, request(1, 1 << 20));
    expect(committed.responses[0].partitions.map((p) => [p.partitionIndex, p.abortedTransactions, (p.records as Buffer).length > 0])).toEqual([[0, [], true], [1, [], true], [2, [], true]]);
  });

  it('ListOffsets v6 answers latest and earliest with the leader epoch', async () => {
    const r = await call<{ topics: Array<{ partitions: Row[] }> }>(broker1, ListOffsets, 6, { replicaId: -1, isolationLevel: 0, topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, currentLeaderEpoch: 0, timestamp: -1 }, { partitionIndex: 1, currentLeaderEpoch: -1, timestamp: -2 }] }] });
    expect(r.topics[0].partitions).toEqual([
      { partitionIndex: 0, errorCode: 0, timestamp: -1, offset: 6, leaderEpoch: 0 },
      { partitionIndex: 1, errorCode: 0, timestamp: -1, offset: 0, leaderEpoch: 0 },
    ]);
  });

  it('its consumer group: JoinGroup v8 with subscription v2, SyncGroup v5, Heartbeat v4, OffsetCommit v8, OffsetFetch v8 (null topics = all), LeaveGroup v5', async () => {
    const group = 'sarama-modern';
    const fc = await call<{ errorCode: number; host: string; port: number }>(broker1, FindCoordinator, 3, { key: group, keyType: 0 });
    expect(fc.errorCode).toBe(0);
    const coordinator = `${fc.host}:${fc.port}`;
    // Sarama's ConsumerGroupMemberMetadata v2: version, topics, user data, owned partitions, generation.
    const str = (s: string) => Buffer.concat([Buffer.from([0, s.length]), Buffer.from(s)]);
    const i32 = (n: number) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
    const metadata = Buffer.concat([Buffer.from([0, 2]), i32(1), str(TOPIC), i32(-1), i32(0), i32(-1)]);
    const joinReq = (memberId: string) => ({ groupId: group, sessionTimeoutMs: 10_000, rebalanceTimeoutMs: 10_000, memberId, groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'sticky', metadata }, { name: 'range', metadata }], reason: null });
    let join = await call<Row>(coordinator, JoinGroup, 8, joinReq(''));
    if (join.errorCode === 79) join = await call<Row>(coordinator, JoinGroup, 8, joinReq(join.memberId as string)); // MEMBER_ID_REQUIRED, as Kafka answers
    expect(join).toMatchObject({ throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolType: 'consumer', protocolName: 'sticky', leader: 'kafkit-coordinator', members: [] });
    const memberId = join.memberId as string;
    expect(memberId).not.toBe('');
    const sync = await call<Row>(coordinator, SyncGroup, 5, { groupId: group, generationId: 1, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'sticky', assignments: [] });
    expect(sync).toMatchObject({ throttleTimeMs: 0, errorCode: 0, protocolType: 'consumer', protocolName: 'sticky' });
    // Sarama's ConsumerGroupMemberAssignment: user data empty, not null (Sarama keeps it for the next join).
    expect(readAssignment(sync.assignment as Buffer)).toEqual({ topics: { [TOPIC]: [0, 1, 2] }, userData: 0 });
    expect(await call(coordinator, Heartbeat, 4, { groupId: group, generationId: 1, memberId, groupInstanceId: null })).toEqual({ throttleTimeMs: 0, errorCode: 0 });
    const commit = await call<Row>(coordinator, OffsetCommit, 8, {
      groupId: group, generationIdOrMemberEpoch: 1, memberId, groupInstanceId: null,
      topics: [{ name: TOPIC, partitions: [0, 1, 2].map((p) => ({ partitionIndex: p, committedOffset: p + 1, committedLeaderEpoch: 0, committedMetadata: '' })) }],
    });
    expect(commit).toEqual({ throttleTimeMs: 0, topics: [{ name: TOPIC, partitions: [0, 1, 2].map((partitionIndex) => ({ partitionIndex, errorCode: 0 })) }] });
    const all = await call<Row>(coordinator, OffsetFetch, 8, { groups: [{ groupId: group, topics: null }, { groupId: 'no-such-group', topics: null }], requireStable: false });
    expect({ throttleTimeMs: all.throttleTimeMs, groups: all.groups }).toEqual({
      throttleTimeMs: 0,
      groups: [
        { groupId: group, errorCode: 0, topics: [{ name: TOPIC, partitions: [0, 1, 2].map((p) => ({ partitionIndex: p, committedOffset: p + 1, committedLeaderEpoch: 0, metadata: '', errorCode: 0 })) }] },
        { groupId: 'no-such-group', errorCode: 0, topics: [] },
      ],
    });
    // Sarama before 3.0 (OffsetFetch v2-v7) asks "all topics" with a null array too.
    const v7 = await call<Row>(coordinator, OffsetFetch, 7, { groupId: group, topics: null, requireStable: false });
    expect({ ...v7, groups: undefined }).toEqual({ throttleTimeMs: 0, errorCode: 0, groups: undefined, topics: [{ name: TOPIC, partitions: [0, 1, 2].map((p) => ({ partitionIndex: p, committedOffset: p + 1, committedLeaderEpoch: 0, metadata: '', errorCode: 0 })) }] });
    const leave = await call<Row>(coordinator, LeaveGroup, 5, { groupId: group, members: [{ memberId, groupInstanceId: null, reason: 'the consumer is being closed' }] });
    expect(leave).toEqual({ throttleTimeMs: 0, errorCode: 0, members: [{ memberId, groupInstanceId: null, errorCode: 0 }] });
  });
});

describe('IBM/sarama ClusterAdmin (Config.Version >= 2.8)', () => {
  it('CreateTopics v7 (-1 partitions and replication factor: the broker defaults) and DeleteTopics v6 by name with a zero topic id', async () => {
    const created = await call<{ topics: Row[] }>(broker1, CreateTopics, 7, {
      topics: [{ name: 'sarama-admin', numPartitions: -1, replicationFactor: -1, assignments: [], configs: [{ name: 'cleanup.policy', value: 'compact' }] }], timeoutMs: 10_000, validateOnly: false,
    });
    const [t] = created.topics;
    expect({ ...t, topicId: undefined, configs: undefined }).toEqual({ name: 'sarama-admin', topicId: undefined, errorCode: 0, errorMessage: null, numPartitions: 1, replicationFactor: 1, configs: undefined });
    expect(t.topicId).not.toBe('AAAAAAAAAAAAAAAAAAAAAA');
    expect((t.configs as Row[]).find((c) => c.name === 'cleanup.policy')).toEqual({ name: 'cleanup.policy', value: 'compact', readOnly: false, configSource: 1, isSensitive: false });
    const deleted = await call<{ responses: Row[] }>(broker1, DeleteTopics, 6, { topics: [{ name: 'sarama-admin', topicId: 'AAAAAAAAAAAAAAAAAAAAAA' }], timeoutMs: 10_000 });
    expect(deleted.responses.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([['sarama-admin', 0, null]]);
    expect((await bin('kafka-topics', ['--list'], ctx.dataDir)).stdout.split('\n')).not.toContain('sarama-admin');
  });
});

/** A consumer-protocol assignment as Sarama and kafka-go read it: version, [topic, [partition]], user data. */
function readAssignment(a: Buffer): { topics: Record<string, number[]>; userData: number } {
  let pos = 2;
  const topics: Record<string, number[]> = {};
  const count = a.readInt32BE(pos);
  pos += 4;
  for (let i = 0; i < count; i++) {
    const name = a.subarray(pos + 2, pos + 2 + a.readInt16BE(pos)).toString();
    pos += 2 + name.length;
    const n = a.readInt32BE(pos);
    topics[name] = Array.from({ length: n }, (_, k) => a.readInt32BE(pos + 4 + 4 * k));
    pos += 4 + 4 * n;
  }
  const userData = a.readInt32BE(pos);
  expect(pos + 4 + Math.max(userData, 0)).toBe(a.length);
  return { topics, userData };
}

describe('segmentio/kafka-go 0.4 consumer group (pinned versions)', () => {
  it('FindCoordinator v0, JoinGroup v2, SyncGroup v0, OffsetFetch v1, OffsetCommit v2, Heartbeat v0, LeaveGroup v0', async () => {
    const group = 'kafka-go-modern';
    const fc = await call<{ errorCode: number; host: string; port: number }>(broker1, FindCoordinator, 0, { key: group });
    expect(fc.errorCode).toBe(0);
    const coordinator = `${fc.host}:${fc.port}`;
    // kafka-go's groupMetadata: labelled version 1, written in the version-0 layout (no owned partitions).
    const metadata = Buffer.concat([Buffer.from('0001000000010006', 'hex'), Buffer.from(TOPIC), Buffer.from('00000000', 'hex')]);
    const join = await call<Row>(coordinator, JoinGroup, 2, { groupId: group, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId: '', protocolType: 'consumer', protocols: [{ name: 'range', metadata }] }, 'kafka-go');
    expect(join).toMatchObject({ throttleTimeMs: 0, errorCode: 0, generationId: 1, protocolName: 'range', leader: 'kafkit-coordinator', members: [] });
    const memberId = join.memberId as string;
    const sync = await call<Row>(coordinator, SyncGroup, 0, { groupId: group, generationId: 1, memberId, assignments: [] }, 'kafka-go');
    expect(sync.errorCode).toBe(0);
    expect(readAssignment(sync.assignment as Buffer)).toEqual({ topics: { [TOPIC]: [0, 1, 2] }, userData: 0 });
    const fetched = await call<{ topics: Array<{ name: string; partitions: Row[] }> }>(coordinator, OffsetFetch, 1, { groupId: group, topics: [{ name: TOPIC, partitionIndexes: [0, 1, 2] }] });
    expect(fetched.topics.map((t) => [t.name, t.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata, p.errorCode])])).toEqual([[TOPIC, [[0, -1, '', 0], [1, -1, '', 0], [2, -1, '', 0]]]]);
    const commit = await call<{ topics: Array<{ partitions: Row[] }> }>(coordinator, OffsetCommit, 2, {
      groupId: group, generationIdOrMemberEpoch: 1, memberId, retentionTimeMs: -1,
      topics: [{ name: TOPIC, partitions: [{ partitionIndex: 2, committedOffset: 4, committedMetadata: '' }] }],
    });
    expect(commit.topics[0].partitions).toEqual([{ partitionIndex: 2, errorCode: 0 }]);
    const after = await call<{ topics: Array<{ partitions: Row[] }> }>(coordinator, OffsetFetch, 1, { groupId: group, topics: [{ name: TOPIC, partitionIndexes: [2] }] });
    expect(after.topics[0].partitions.map((p) => [p.partitionIndex, p.committedOffset])).toEqual([[2, 4]]);
    expect(await call<Row>(coordinator, Heartbeat, 0, { groupId: group, generationId: 1, memberId })).toMatchObject({ errorCode: 0 });
    expect(await call<Row>(coordinator, LeaveGroup, 0, { groupId: group, memberId })).toMatchObject({ errorCode: 0 });
  });
});

describe('segmentio/kafka-go 0.4 Conn', () => {
  it('Metadata v6 then Fetch v10 of one partition, as its Reader sends them', async () => {
    const md = await call<{ topics: Array<{ name: string; errorCode: number; partitions: Row[] }> }>(broker1, Metadata, 6, { topics: [{ name: TOPIC }], allowAutoTopicCreation: true });
    expect(md.topics.map((t) => [t.name, t.errorCode, t.partitions.map((p) => [p.partitionIndex, p.leaderId])])).toEqual([[TOPIC, 0, [[0, 1], [1, 1], [2, 1]]]]);
    const r = await call<{ responses: Array<{ partitions: Row[] }> }>(broker1, Fetch, 10, {
      replicaId: -1, maxWaitMs: 100, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topic: TOPIC, partitions: [{ partition: 2, currentLeaderEpoch: -1, fetchOffset: 3, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }], forgottenTopicsData: [],
    });
    const [p] = r.responses[0].partitions;
    expect(p).toMatchObject({ partitionIndex: 2, errorCode: 0, highWatermark: 6, lastStableOffset: 6, logStartOffset: 0, abortedTransactions: null });
    // The lz4 batch of round 1, as produced: base offset 3.
    expect((p.records as Buffer).readBigInt64BE(0)).toBe(3n);
  });
});
