// kafka-get-offsets and kafka-delete-records with --bootstrap-server against kafka-server-start:
// the same lines as in embedded mode, max-timestamp included (ListOffsets v7+, which kafkajs cannot
// send: the remote backend asks @platformatic/kafka's consumer).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, tempDir } from '../helpers.js';
import { serverPerFile } from './server-process.js';
import { call } from './wire.js';
import { ListOffsets } from '../../src/protocol/messages/list-offsets.js';

const ctx = serverPerFile();
let clientDir: string;

beforeAll(() => {
  clientDir = tempDir();
});

const remote = (tool: string, args: string[], input?: string) => bin(tool, ['--bootstrap-server', ctx.server.bootstrap.split(',')[0], ...args], clientDir, input);

describe('kafka-get-offsets and kafka-delete-records through kafka-server-start', () => {
  it('lists offsets, deletes records and lists them again, as the embedded tools see them', async () => {
    expect((await remote('kafka-topics', ['--create', '--topic', 'r', '--partitions', '2', '--replication-factor', '1'])).code).toBe(0);
    expect((await remote('kafka-console-producer', ['--topic', 'r', '--property', 'parse.key=true', '--property', 'key.separator=:'], 'k:1\nk:2\nk:3\n')).code).toBe(0);
    const latest = await remote('kafka-get-offsets', ['--topic', 'r']);
    expect(latest.code).toBe(0);
    const embedded = await bin('kafka-get-offsets', ['--topic', 'r'], ctx.dataDir);
    expect(latest.stdout).toBe(embedded.stdout);
    const [p] = [...latest.stdout.matchAll(/^r:(\d):3$/gm)].map((m) => Number(m[1]));
    expect(p === 0 || p === 1).toBe(true);
    expect((await remote('kafka-get-offsets', ['--topic', 'r', '--time', '-2'])).stdout).toBe('r:0:0\nr:1:0\n');

    const json = join(clientDir, 'offsets.json');
    writeFileSync(json, JSON.stringify({ partitions: [{ topic: 'r', partition: p, offset: 2 }], version: 1 }));
    expect(await remote('kafka-delete-records', ['--offset-json-file', json])).toEqual({
      code: 0,
      stdout: `Executing records delete operation\nRecords delete operation completed:\npartition: r-${p}\tlow_watermark: 2\n`,
      stderr: '',
    });
    expect((await remote('kafka-get-offsets', ['--topic', 'r', '--time', 'earliest', '--partitions', String(p)])).stdout).toBe(`r:${p}:2\n`);

    writeFileSync(json, JSON.stringify({ partitions: [{ topic: 'r', partition: p, offset: 50 }, { topic: 'nope', partition: 0, offset: 1 }], version: 1 }));
    expect((await remote('kafka-delete-records', ['--offset-json-file', json])).stdout).toBe(
      'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: nope-0\terror: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n' +
        `partition: r-${p}\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n`,
    );
  });

  it('--time max-timestamp finds the record with the largest timestamp, as in embedded mode', async () => {
    expect((await remote('kafka-topics', ['--create', '--topic', 'ts', '--partitions', '3', '--replication-factor', '2'])).code).toBe(0);
    const kafka = new kafkajs.Kafka({ clientId: 'ts-test', brokers: ctx.server.bootstrap.split(','), logLevel: kafkajs.logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    try {
      // Partition 0: the largest timestamp is the second record's; partition 1: the last one's; 2 stays empty.
      await producer.send({ topic: 'ts', acks: -1, messages: [1000, 9000, 3000, 5000].map((t, i) => ({ partition: 0, value: `a${i}`, timestamp: String(t) })) });
      await producer.send({ topic: 'ts', acks: -1, messages: [1000, 2000].map((t, i) => ({ partition: 1, value: `b${i}`, timestamp: String(t) })) });
    } finally {
      await producer.disconnect();
    }
    const embedded = await bin('kafka-get-offsets', ['--topic', 'ts', '--time', '-3'], ctx.dataDir);
    // The empty partition has no such record: no line, as in Kafka.
    expect(embedded).toEqual({ code: 0, stdout: 'ts:0:1\nts:1:1\n', stderr: '' });
    expect(await remote('kafka-get-offsets', ['--topic', 'ts', '--time', 'max-timestamp'])).toEqual(embedded);
    expect(await remote('kafka-get-offsets', ['--topic', 'ts', '--time', '-3', '--partitions', '0'])).toEqual({ code: 0, stdout: 'ts:0:1\n', stderr: '' });
    // Tiered storage (KIP-405) without any: the local log start is the log start, and nothing is tiered
    // (offset -1: no line, as Kafka's tool prints for it).
    for (const tool of [remote, (t: string, a: string[]) => bin(t, a, ctx.dataDir)]) {
      expect(await tool('kafka-get-offsets', ['--topic', 'ts', '--time', 'earliest-local'])).toEqual({ code: 0, stdout: 'ts:0:0\nts:1:0\nts:2:0\n', stderr: '' });
      expect(await tool('kafka-get-offsets', ['--topic', 'ts', '--time', '-5'])).toEqual({ code: 0, stdout: '', stderr: '' });
    }
  });

  it('answers ListOffsets v7-v10: max-timestamp (-3), earliest-local (-4, the log start without tiered storage) and latest-tiered (-5: nothing is tiered)', async () => {
    const described = await bin('kafka-topics', ['--describe', '--topic', 'ts'], ctx.dataDir);
    const leaderId = Number(/\tPartition: 0\tLeader: (\d+)/.exec(described.stdout)![1]);
    const leader = ctx.server.bootstrap.split(',')[leaderId - 1];
    type Answer = { topics: Array<{ partitions: Array<{ partitionIndex: number; errorCode: number; timestamp: bigint; offset: bigint }> }> };
    for (const version of [7, 8, 9, 10]) {
      const specials = version >= 9 ? [-3, -4, -5] : version >= 8 ? [-3, -4] : [-3];
      const r = await call<Answer>(leader, ListOffsets, version, {
        replicaId: -1,
        isolationLevel: 0,
        topics: [{ name: 'ts', partitions: specials.map((timestamp) => ({ partitionIndex: 0, currentLeaderEpoch: -1, timestamp })) }],
        timeoutMs: 1000,
      });
      const got = r.topics[0].partitions.map((p) => [p.errorCode, Number(p.offset), Number(p.timestamp)]);
      expect(got, `v${version}`).toEqual([[0, 1, 9000], [0, 0, -1], [0, -1, -1]].slice(0, specials.length));
    }
  });
});
