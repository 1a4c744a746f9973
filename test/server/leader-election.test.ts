// Leader changes through kafka-server-start: three `--node-id` servers, one stopped and started
// again. kafka-leader-election with --bootstrap-server (ElectLeaders), kcat following the new
// leader, and the leader-epoch checks a client meets on the wire: OffsetForLeaderEpoch, and
// FENCED_LEADER_EPOCH / UNKNOWN_LEADER_EPOCH / NOT_LEADER_OR_FOLLOWER on Fetch and ListOffsets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { runProcess, startServerProcess, type ServerProcess } from './server-process.js';
import { sendRequest } from './wire-client.js';
import { OffsetForLeaderEpoch } from '../../src/protocol/messages/offset-for-leader-epoch.js';
import { Fetch } from '../../src/protocol/messages/fetch.js';
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js';
import { ElectLeaders } from '../../src/protocol/messages/elect-leaders.js';
import { DeleteRecords } from '../../src/protocol/messages/delete-records.js';

// Leadership comes back only when asked: the test elects it.
const SERVER_ARGS = ['--override', 'auto.leader.rebalance.enable=false'];
const servers = new Map<number, ServerProcess>();
let dir = '';

const startNode = async (id: number) => servers.set(id, await startServerProcess(dir, ['--node-id', String(id), ...SERVER_ARGS]));
const at = (id: number) => servers.get(id)!.bootstrap;
const elect = (...args: string[]) => bin('kafka-leader-election', ['--bootstrap-server', at(2), ...args], dir);

beforeAll(async () => {
  dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 'orders', '--replica-assignment', '1:2:3,2:3:1,3:1:2'], dir)).code).toBe(0);
  for (const id of [1, 2, 3]) await startNode(id);
  const produced = await runProcess('kcat', ['-b', at(1), '-P', '-t', 'orders', '-p', '0', '-X', 'acks=all'], { input: 'x\ny\nz\n' });
  expect(produced.code).toBe(0);
  // Broker 1 shuts down cleanly: orders-0 moves to broker 2 at leader epoch 1.
  expect(await bin('kafka-server-stop', ['--node-id', '1'], dir)).toMatchObject({ code: 0, stderr: expect.stringMatching(/^Stopped broker 1 \(process \d+\)\.\n$/) });
  expect(await servers.get(1)!.stop()).toBe(0);
}, 60_000);

afterAll(async () => {
  for (const s of servers.values()) expect(await s.stop()).toBe(0);
  await cleanTempDirs();
});

interface EpochAnswer {
  topics: Array<{ topic: string; partitions: Array<{ errorCode: number; partition: number; leaderEpoch: number; endOffset: number }> }>;
}
const epochQuery = (broker: number, currentLeaderEpoch: number, leaderEpoch: number) =>
  sendRequest<EpochAnswer>(at(broker), OffsetForLeaderEpoch, 4, { replicaId: -1, topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch, leaderEpoch }] }] }).then(
    (r) => r.topics[0].partitions[0],
  );

interface FetchAnswer {
  responses: Array<{
    partitions: Array<{
      errorCode: number;
      highWatermark: number;
      records: Buffer | null;
      currentLeader?: { leaderId: number; leaderEpoch: number };
      divergingEpoch?: { epoch: number; endOffset: number };
    }>;
  }>;
}
const fetchAt = (broker: number, currentLeaderEpoch: number, position = { fetchOffset: 0, lastFetchedEpoch: -1 }) =>
  sendRequest<FetchAnswer>(at(broker), Fetch, 12, {
    replicaId: -1,
    maxWaitMs: 0,
    minBytes: 0,
    maxBytes: 1 << 20,
    isolationLevel: 0,
    sessionId: 0,
    sessionEpoch: -1,
    topics: [{ topic: 'orders', partitions: [{ partition: 0, currentLeaderEpoch, ...position, logStartOffset: -1, partitionMaxBytes: 1 << 20 }] }],
    forgottenTopicsData: [],
    rackId: '',
  }).then((r) => r.responses[0].partitions[0]);

interface ListAnswer {
  topics: Array<{ partitions: Array<{ errorCode: number; offset: number; leaderEpoch: number }> }>;
}
const listAt = (broker: number, currentLeaderEpoch: number) =>
  sendRequest<ListAnswer>(at(broker), ListOffsets, 6, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, currentLeaderEpoch, timestamp: -1 }] }] }).then(
    (r) => r.topics[0].partitions[0],
  );

describe('leader election through kafka-server-start --node-id', () => {
  it('kafka-leader-election --bootstrap-server: the stopped preferred leader cannot be elected; other partitions need nothing', async () => {
    expect(await elect('--election-type', 'PREFERRED', '--all-topic-partitions')).toEqual({
      code: 1,
      stdout:
        'Error completing leader election (PREFERRED) for partition: orders-0: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.\n',
      stderr: '1 replica(s) could not be elected\n',
    });
    expect(await elect('--election-type', 'unclean', '--topic', 'orders', '--partition', '0')).toEqual({ code: 0, stdout: 'Valid replica already elected for partitions orders-0\n', stderr: '' });
    expect((await elect('--election-type', 'PREFERRED', '--topic', 'gone', '--partition', '1')).stdout).toBe(
      'Error completing leader election (PREFERRED) for partition: gone-1: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as gone\n',
    );
  });

  it('kcat finds the new leader and reads every record', async () => {
    const md = await runProcess('kcat', ['-b', at(3), '-L', '-t', 'orders']);
    expect(md.stdout).toContain('partition 0, leader 2, replicas: 1,2,3, isrs: 2,3');
    expect(md.stdout).not.toContain('broker 1 at');
    const c = await runProcess('kcat', ['-b', at(3), '-C', '-t', 'orders', '-p', '0', '-o', 'beginning', '-e', '-q']);
    expect(c.stdout).toBe('x\ny\nz\n');
  });

  it('OffsetForLeaderEpoch: epoch 0 ends at offset 3 on the new leader; stale, future and misdirected requests are refused', async () => {
    expect(await epochQuery(2, 1, 0)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 3 });
    // An epoch no batch was written in resolves to the latest earlier one, ending at the log end.
    expect(await epochQuery(2, -1, 1)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 3 });
    expect((await epochQuery(2, 0, 0)).errorCode).toBe(74); // FENCED_LEADER_EPOCH
    expect((await epochQuery(2, 5, 0)).errorCode).toBe(75); // UNKNOWN_LEADER_EPOCH
    expect((await epochQuery(3, 1, 0)).errorCode).toBe(6); // NOT_LEADER_OR_FOLLOWER
  });

  it('Fetch and ListOffsets check the current leader epoch; a non-leader names the leader in Fetch v12', async () => {
    expect(await fetchAt(2, 1)).toMatchObject({ errorCode: 0, highWatermark: 3 });
    expect(await fetchAt(2, 0)).toMatchObject({ errorCode: 74, currentLeader: { leaderId: 2, leaderEpoch: 1 } });
    expect((await fetchAt(2, 2)).errorCode).toBe(75);
    expect(await fetchAt(3, -1)).toMatchObject({ errorCode: 6, currentLeader: { leaderId: 2, leaderEpoch: 1 } });
    expect(await listAt(2, 1)).toEqual({ errorCode: 0, offset: 3, leaderEpoch: 1, timestamp: -1, partitionIndex: 0 });
    expect((await listAt(2, 0)).errorCode).toBe(74);
    expect((await listAt(2, 9)).errorCode).toBe(75);
    expect((await listAt(3, 1)).errorCode).toBe(6);
    const deleted = await sendRequest<{ topics: Array<{ partitions: Array<{ errorCode: number }> }> }>(at(3), DeleteRecords, 2, {
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, offset: 1 }] }],
      timeoutMs: 1000,
    });
    expect(deleted.topics[0].partitions[0].errorCode).toBe(6);
  });

  it('Fetch v12 tells a fetcher whose last fetched epoch ends before its offset on the leader where its log diverged', async () => {
    const level = await fetchAt(2, 1, { fetchOffset: 3, lastFetchedEpoch: 0 });
    expect(level.errorCode).toBe(0);
    // The tagged field is absent, which decodes as its default.
    expect(level.divergingEpoch).toEqual({ epoch: -1, endOffset: -1 });
    // Offsets 3 and 4 of epoch 0 never existed on the leader: truncate to 3.
    const ahead = await fetchAt(2, 1, { fetchOffset: 5, lastFetchedEpoch: 0 });
    expect(ahead).toMatchObject({ errorCode: 0, divergingEpoch: { epoch: 0, endOffset: 3 } });
    expect(ahead.records?.length ?? 0).toBe(0);
  });

  it('ElectLeaders v0 (no election type) is a preferred election', async () => {
    const r = await sendRequest<{ replicaElectionResults: Array<{ topic: string; partitionResult: Array<{ partitionId: number; errorCode: number }> }> }>(at(3), ElectLeaders, 0, {
      topicPartitions: [{ topic: 'orders', partitions: [0, 1] }],
      timeoutMs: 1000,
    });
    expect(r.replicaElectionResults).toEqual([
      {
        topic: 'orders',
        partitionResult: [
          { partitionId: 0, errorCode: 80, errorMessage: 'The preferred leader was not available.' },
          { partitionId: 1, errorCode: 84, errorMessage: 'Leader election not needed for topic partition.' },
        ],
      },
    ]);
  });

  it('broker 1 returns, catches up, and a preferred election gives orders-0 back to it at epoch 2', async () => {
    await startNode(1);
    const deadline = Date.now() + 20_000;
    while (!(await bin('kafka-topics', ['--describe', '--topic', 'orders'], dir)).stdout.includes('\tPartition: 0\tLeader: 2\tReplicas: 1,2,3\tIsr: 2,3,1')) {
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await elect('--election-type', 'PREFERRED', '--all-topic-partitions')).toEqual({
      code: 0,
      stdout: 'Successfully completed leader election (PREFERRED) for partitions orders-0\n',
      stderr: '',
    });
    expect(await fetchAt(1, 2)).toMatchObject({ errorCode: 0, highWatermark: 3 });
    expect(await fetchAt(2, 2)).toMatchObject({ errorCode: 6, currentLeader: { leaderId: 1, leaderEpoch: 2 } });
    // The returning replica copied epoch 0's records with their epoch history.
    expect(await epochQuery(1, 2, 0)).toEqual({ errorCode: 0, partition: 0, leaderEpoch: 0, endOffset: 3 });
    const c = await runProcess('kcat', ['-b', at(2), '-C', '-t', 'orders', '-p', '0', '-o', 'beginning', '-e', '-q']);
    expect(c.stdout).toBe('x\ny\nz\n');
  }, 40_000);
});
