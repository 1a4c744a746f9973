// kafka-get-offsets and kafka-delete-records with --bootstrap-server against kafka-server-start:
// the same lines as in embedded mode, and a clear refusal where kafkajs cannot follow (max-timestamp).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, tempDir } from '../helpers.js';
import { serverPerFile } from './server-process.js';

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

  it('--time max-timestamp says why it cannot be answered remotely', async () => {
    expect(await remote('kafka-get-offsets', ['--topic', 'r', '--time', 'max-timestamp'])).toEqual({
      code: 1,
      stdout: '',
      stderr: "Error occurred: --time max-timestamp is not available with --bootstrap-server: kafkit's remote client (kafkajs) cannot send ListOffsets v7. Run it in embedded mode, or use a timestamp in ms.\n",
    });
  });
});
