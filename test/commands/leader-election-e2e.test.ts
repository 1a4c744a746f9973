// kafka-leader-election, the real bin in embedded mode: a broker stopped with kafka-server-stop
// leaves its preferred partitions to others (PREFERRED_LEADER_NOT_AVAILABLE until it returns and
// catches up), and an unclean election lets an out-of-sync replica lead, losing what it lacked.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, remoteMode, tempDir } from '../helpers.js';
import { Cluster } from '../../src/engine/cluster/cluster.js';
import { ReplicaManager } from '../../src/engine/cluster/replica-manager.js';

afterEach(cleanTempDirs);

/** A stopped embedded broker comes back in-process, as kafka-server-start would bring it, and copies what it missed. */
function startEmbeddedBroker(dir: string, id: number): void {
  const cluster = Cluster.open(dir);
  cluster.startBroker(id);
  const replicas = new ReplicaManager(cluster, () => {});
  try {
    replicas.catchUpBroker(id);
  } finally {
    replicas.close();
  }
}

const elect = (dir: string, ...args: string[]) => bin('kafka-leader-election', args, dir);
const notAvailable = (p: string) =>
  `Error completing leader election (PREFERRED) for partition: ${p}: org.apache.kafka.common.errors.PreferredLeaderNotAvailableException: The preferred leader was not available.\n`;

describe.skipIf(remoteMode())('kafka-leader-election (embedded)', () => {
  it('PREFERRED: a stopped preferred leader cannot be elected; once back and in sync it is, and then nothing needs electing', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'orders', '--replica-assignment', '1:2:3,2:3:1,3:1:2'], dir)).code).toBe(0);
    // Every partition already has its preferred leader: all-partitions answers leave those out.
    expect(await elect(dir, '--election-type', 'preferred', '--all-topic-partitions')).toEqual({ code: 0, stdout: '', stderr: '' });

    expect((await bin('kafka-server-stop', ['--node-id', '1'], dir)).code).toBe(0);
    const describe = await bin('kafka-topics', ['--describe', '--topic', 'orders'], dir);
    expect(describe.stdout).toContain('\tTopic: orders\tPartition: 0\tLeader: 2\tReplicas: 1,2,3\tIsr: 2,3\t');

    expect(await elect(dir, '--election-type', 'PREFERRED', '--all-topic-partitions')).toEqual({ code: 1, stdout: notAvailable('orders-0'), stderr: '1 replica(s) could not be elected\n' });
    // Named partitions are all answered: one fails, two need nothing.
    const file = join(tempDir(), 'election.json');
    writeFileSync(file, JSON.stringify({ partitions: [0, 1, 2].map((partition) => ({ topic: 'orders', partition })) }));
    expect(await elect(dir, '--election-type', 'PREFERRED', '--path-to-json-file', file)).toEqual({
      code: 1,
      stdout: `Valid replica already elected for partitions orders-1, orders-2\n${notAvailable('orders-0')}`,
      stderr: '1 replica(s) could not be elected\n',
    });

    startEmbeddedBroker(dir, 1);
    expect(await elect(dir, '--election-type', 'PREFERRED', '--all-topic-partitions')).toEqual({
      code: 0,
      stdout: 'Successfully completed leader election (PREFERRED) for partitions orders-0\n',
      stderr: '',
    });
    // Leader epoch 0 (created), 1 (broker 1 stopped), 2 (elected back).
    expect((await bin('kafka-topics', ['--describe', '--topic', 'orders'], dir)).stdout).toContain('\tTopic: orders\tPartition: 0\tLeader: 1\tReplicas: 1,2,3\tIsr: 2,3,1\t');
    expect(Cluster.open(dir).topic('orders')!.partitions[0].leaderEpoch).toBe(2);
    expect(await elect(dir, '--election-type', 'PREFERRED', '--topic', 'orders', '--partition', '0')).toEqual({
      code: 0,
      stdout: 'Valid replica already elected for partitions orders-0\n',
      stderr: '',
    });
  });

  it("missing topics and partitions get Kafka's UnknownTopicOrPartitionException texts", async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'orders'], dir)).code).toBe(0);
    expect(await elect(dir, '--election-type', 'PREFERRED', '--topic', 'nope', '--partition', '0')).toEqual({
      code: 1,
      stdout: 'Error completing leader election (PREFERRED) for partition: nope-0: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such topic as nope\n',
      stderr: '1 replica(s) could not be elected\n',
    });
    expect((await elect(dir, '--election-type', 'UNCLEAN', '--topic', 'orders', '--partition', '4')).stdout).toBe(
      'Error completing leader election (UNCLEAN) for partition: orders-4: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: No such partition as orders-4\n',
    );
  });

  it('UNCLEAN: with every in-sync broker stopped, an out-of-sync replica is elected and the records it lacked are lost', async () => {
    const dir = tempDir();
    expect((await bin('kafka-topics', ['--create', '--topic', 'u', '--replica-assignment', '1:2:3'], dir)).code).toBe(0);
    expect((await bin('kafka-console-producer', ['--topic', 'u', '--producer-property', 'acks=all'], dir, 'a\nb\n')).code).toBe(0);
    // Broker 3 misses c and d; then brokers 1 and 2, the in-sync ones, stop too.
    expect((await bin('kafka-server-stop', ['--node-id', '3'], dir)).code).toBe(0);
    expect((await bin('kafka-console-producer', ['--topic', 'u', '--producer-property', 'acks=1'], dir, 'c\nd\n')).code).toBe(0);
    expect((await bin('kafka-server-stop', ['--node-id', '1'], dir)).code).toBe(0);
    expect((await bin('kafka-server-stop', ['--node-id', '2'], dir)).code).toBe(0);
    expect((await bin('kafka-topics', ['--describe', '--topic', 'u'], dir)).stdout).toContain('\tTopic: u\tPartition: 0\tLeader: none\tReplicas: 1,2,3\tIsr: 2\t');
    expect(await elect(dir, '--election-type', 'UNCLEAN', '--all-topic-partitions')).toEqual({
      code: 1,
      stdout: 'Error completing leader election (UNCLEAN) for partition: u-0: org.apache.kafka.common.errors.EligibleLeadersNotAvailableException: Eligible topic partition leaders are not available.\n',
      stderr: '1 replica(s) could not be elected\n',
    });

    // Broker 3 returns: without unclean.leader.election.enable it does not lead on its own.
    startEmbeddedBroker(dir, 3);
    expect((await bin('kafka-topics', ['--describe', '--topic', 'u'], dir)).stdout).toContain('\tPartition: 0\tLeader: none\t');
    expect(await elect(dir, '--election-type', 'unclean', '--topic', 'u', '--partition', '0')).toEqual({
      code: 0,
      stdout: 'Successfully completed leader election (UNCLEAN) for partitions u-0\n',
      stderr: '',
    });
    expect((await bin('kafka-topics', ['--describe', '--topic', 'u'], dir)).stdout).toContain('\tTopic: u\tPartition: 0\tLeader: 3\tReplicas: 1,2,3\tIsr: 3\t');
    // c and d were acknowledged by brokers 1 and 2 only: the new leader never had them.
    const consumed = await bin('kafka-console-consumer', ['--topic', 'u', '--from-beginning', '--timeout-ms', '1500'], dir);
    expect(consumed.stdout).toBe('a\nb\n');
    // It leads now: an unclean election is not needed again.
    expect((await elect(dir, '--election-type', 'UNCLEAN', '--topic', 'u', '--partition', '0')).stdout).toBe('Valid replica already elected for partitions u-0\n');
  });
});
