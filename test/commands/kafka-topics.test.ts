import { afterEach, describe, expect, it } from 'vitest';
import * as topics from '../../src/commands/kafka-topics.js';
import { bin, cleanTempDirs, remoteMode, run, tempDir } from '../helpers.js';

// In remote mode (test/server/remote-suite.test.ts) the tool describes through the Metadata API, for
// which Kafka itself prints `Elr: N/A` (the embedded engine answers like DescribeTopicPartitions).
const ELR = remoteMode() ? 'N/A' : '';

afterEach(cleanTempDirs);

const describeLine = /^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: $/;

describe('kafka-topics', () => {
  it('creates a 3x3 topic and describes it in Kafka 4.1 format', async () => {
    const dir = tempDir();
    expect(await run(topics, ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3'], dir)).toEqual({ code: 0, stdout: 'Created topic orders.\n', stderr: '' });
    const d = await run(topics, ['--describe', '--topic', 'orders'], dir);
    const lines = d.stdout.split('\n');
    expect(lines[0]).toMatch(describeLine);
    for (let p = 0; p < 3; p++) {
      expect(lines[p + 1]).toMatch(new RegExp(`^\\tTopic: orders\\tPartition: ${p}\\tLeader: (\\d)\\tReplicas: \\1,\\d,\\d\\tIsr: \\1,\\d,\\d\\tElr: ${ELR}\\tLastKnownElr: ${ELR}$`));
    }
    expect(lines.length).toBe(5);
  });

  it('lists sorted names, one per line, and an empty line when there are none', async () => {
    const dir = tempDir();
    expect((await run(topics, ['--list'], dir)).stdout).toBe('\n');
    await run(topics, ['--create', '--topic', 'b'], dir);
    await run(topics, ['--create', '--topic', 'a'], dir);
    expect((await run(topics, ['--list'], dir)).stdout).toBe('a\nb\n');
    expect((await run(topics, ['--list', '--topic', 'a,c'], dir)).stdout).toBe('a\n');
  });

  it('warns about . and _, shows overrides, and honours --if-not-exists', async () => {
    const dir = tempDir();
    const r = await run(topics, ['--create', '--topic', 'my.t', '--config', 'retention.ms=1000', '--config', 'cleanup.policy = compact'], dir);
    expect(r.stdout).toBe(
      "WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.\nCreated topic my.t.\n",
    );
    const d = await run(topics, ['--describe', '--topics-with-overrides'], dir);
    expect(d.stdout).toMatch(/^Topic: my\.t\tTopicId: \S{22}\tPartitionCount: 1\tReplicationFactor: 1\tConfigs: cleanup\.policy=compact,retention\.ms=1000\n$/);
    const again = await run(topics, ['--create', '--topic', 'my.t', '--if-not-exists'], dir);
    expect(again.code).toBe(0);
    const clash = await run(topics, ['--create', '--topic', 'my_t'], dir);
    expect(clash.stderr).toBe("Error while executing topic command : Topic 'my_t' collides with existing topic: my.t\n");
    expect(clash.code).toBe(1);
  });

  it('alters partition counts and deletes topics', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't', '--partitions', '2'], dir);
    expect((await run(topics, ['--alter', '--topic', 't', '--partitions', '4'], dir)).code).toBe(0);
    expect((await run(topics, ['--describe', '--topic', 't'], dir)).stdout.split('\n')[0]).toContain('PartitionCount: 4');
    expect((await run(topics, ['--alter', '--topic', 't', '--partitions', '3'], dir)).stderr).toBe(
      'Error while executing topic command : The topic t currently has 4 partition(s); 3 would not be an increase.\n',
    );
    expect((await run(topics, ['--alter', '--topic', 't', '--partitions', '4'], dir)).stderr).toBe('Error while executing topic command : Topic already has 4 partition(s).\n');
    expect(await run(topics, ['--delete', '--topic', 't'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await run(topics, ['--delete', '--topic', 't'], dir)).toEqual({ code: 1, stdout: '', stderr: "Error while executing topic command : Topic 't' does not exist as expected\n" });
    expect(await run(topics, ['--delete', '--topic', 't', '--if-exists'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('validates in Kafka order with Kafka messages', async () => {
    const dir = tempDir();
    const err = async (argv: string[]) => {
      const r = await run(topics, argv, dir);
      expect(r.code).toBe(1);
      return r.stderr;
    };
    expect(await err(['--topic', 'x'])).toBe('Command must include exactly one action: --list, --describe, --create, --alter or --delete\n');
    expect(await err(['--create'])).toBe('Missing required argument "[topic]"\n');
    expect(await err(['--alter', '--topic', 't', '--config', 'a=b'])).toBe(
      'Option combination "[[bootstrap-server], [config]]" can\'t be used with option "[alter]" (To alter topic configurations, the kafka-configs tool can be used.)\n',
    );
    expect(await err(['--alter', '--topic', 't'])).toBe('Missing required argument "[partitions]"\n');
    expect(await err(['--describe', '--partitions', '3'])).toBe('Option "[partitions]" can\'t be used with option "[describe]"\n');
    expect(await err(['--create', '--topic', 't', '--replica-assignment', '1:2', '--partitions', '1'])).toBe('Option "[replica-assignment]" can\'t be used with option "[partitions]"\n');
    expect(await err(['--describe', '--if-exists'])).toBe('--topic or --topic-id is required to describe a topic\n');
    expect(await err(['--list', '--bogus'])).toBe('bogus is not a recognized option\n');
    expect(await err(['--create', '--topic', 't', '--partitions', 'x'])).toBe("Cannot parse argument 'x' of option partitions\n");
    expect(await err(['--create', '--topic', 't', '--replication-factor', '4'])).toBe(
      'Error while executing topic command : Unable to replicate the partition 4 time(s): The target replication factor of 4 cannot be reached because only 3 broker(s) are registered.\n',
    );
    expect(await err(['--create', '--topic', 't', '--config', 'retention.ms=abc'])).toBe(
      'Error while executing topic command : Invalid value abc for configuration retention.ms: Not a number of type LONG\n',
    );
    expect(await err(['--create', '--topic', 't', '--config', 'foo=1'])).toBe('Error while executing topic command : Unknown topic config name: foo\n');
    expect(await err(['--create', '--topic', 't', '--replica-assignment', '1:1'])).toBe(
      'Error while executing topic command : Partition replica lists may not contain duplicate entries: 1\n',
    );
    expect(await err(['--create', '--topic', 't', '--replica-assignment', '1:5'])).toBe(
      'Error while executing topic command : The manual partition assignment includes broker 5, but no such broker is registered.\n',
    );
    // nothing was created by any of the failures
    expect((await run(topics, ['--list'], dir)).stdout).toBe('\n');
  });

  it('filters partition lines with the report flags and describes by topic id', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't', '--replica-assignment', '1:2,2:3', '--config', 'min.insync.replicas=2'], dir);
    const atMin = await run(topics, ['--describe', '--at-min-isr-partitions'], dir);
    expect(atMin.stdout).toBe(
      `\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: ${ELR}\tLastKnownElr: ${ELR}\n\tTopic: t\tPartition: 1\tLeader: 2\tReplicas: 2,3\tIsr: 2,3\tElr: ${ELR}\tLastKnownElr: ${ELR}\n`,
    );
    expect((await run(topics, ['--describe', '--under-replicated-partitions'], dir)).stdout).toBe('');
    const id = /TopicId: (\S+)/.exec((await run(topics, ['--describe'], dir)).stdout)![1];
    const byId = await run(topics, ['--describe', '--topic-id', id], dir);
    expect(byId.stdout.split('\n')[1]).toBe('\tTopic: t\tPartition: 0\tLeader: 1\tReplicas: 1,2\tIsr: 1,2\tElr: N/A\tLastKnownElr: N/A');
  });
});

describe('kafka-topics --output json', () => {
  it('prints --list and --describe as JSON for scripts', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 'b', '--replica-assignment', '1:2', '--config', 'retention.ms=5'], dir);
    await run(topics, ['--create', '--topic', 'a'], dir);
    expect((await run(topics, ['--list', '--output', 'json'], dir)).stdout).toBe('["a","b"]\n');
    const [b] = JSON.parse((await run(topics, ['--describe', '--topic', 'b', '--output', 'json'], dir)).stdout);
    expect(b).toMatchObject({
      topic: 'b', partitionCount: 1, replicationFactor: 2, configs: { 'retention.ms': '5' },
      partitions: [{ partition: 0, leader: 1, replicas: [1, 2], isr: [1, 2], elr: remoteMode() ? null : [], lastKnownElr: remoteMode() ? null : [] }],
    });
    expect(b.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await run(topics, ['--create', '--topic', 'c', '--output', 'json'], dir)).stderr).toBe('Option "[output]" can\'t be used with option "[create]"\n');
    expect((await run(topics, ['--list', '--output', 'yaml'], dir)).stderr).toBe("Unknown --output format 'yaml': the only format is json.\n");
  });
});

describe('kafka-topics binary', () => {
  it('runs from bin/, prints help on stdout with exit 0, and errors on stderr', async () => {
    const dir = tempDir();
    const help = await bin('kafka-topics', ['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout.split('\n')[0]).toBe('This tool helps to create, delete, describe, or change a topic.');
    const created = await bin('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3'], dir);
    expect(created).toEqual({ code: 0, stdout: 'Created topic orders.\n', stderr: '' });
    expect((await bin('kafka-topics', ['--list'], dir)).stdout).toBe('orders\n');
    const bad = await bin('kafka-topics', ['--create', '--topic', 'orders'], dir);
    expect(bad).toEqual({ code: 1, stdout: '', stderr: "Error while executing topic command : Topic 'orders' already exists.\n" });
  });
});
