// kafka-get-offsets and kafka-delete-records through the real bins on an embedded data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

const produce = async (dir: string, topic: string, lines: string[]) => expect((await bin('kafka-console-producer', ['--topic', topic], dir, `${lines.join('\n')}\n`)).code).toBe(0);
const create = async (dir: string, topic: string, partitions: number) =>
  expect((await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', String(partitions), '--replication-factor', '1'], dir)).code).toBe(0);

describe('kafka-get-offsets (embedded)', () => {
  it('latest, earliest, a timestamp and max-timestamp, agreeing with what the consumer sees', async () => {
    const dir = tempDir();
    await create(dir, 't', 1);
    await produce(dir, 't', ['a', 'b', 'c']);
    const between = Date.now() + 1;
    await new Promise((r) => setTimeout(r, 5));
    await produce(dir, 't', ['d', 'e']);
    expect(await bin('kafka-get-offsets', ['--topic', 't'], dir)).toEqual({ code: 0, stdout: 't:0:5\n', stderr: '' });
    expect((await bin('kafka-get-offsets', ['--topic', 't', '--time', '-1'], dir)).stdout).toBe('t:0:5\n');
    expect((await bin('kafka-get-offsets', ['--topic', 't', '--time', 'earliest'], dir)).stdout).toBe('t:0:0\n');
    expect((await bin('kafka-get-offsets', ['--topic', 't', '--time', String(between)], dir)).stdout).toBe('t:0:3\n');
    // A timestamp after every record: no offset, so no line (Kafka's note in --help).
    expect(await bin('kafka-get-offsets', ['--topic', 't', '--time', String(Date.now() + 60_000)], dir)).toEqual({ code: 0, stdout: '', stderr: '' });

    const consumed = await bin('kafka-console-consumer', ['--topic', 't', '--from-beginning', '--max-messages', '5', '--property', 'print.timestamp=true', '--property', 'print.offset=true'], dir);
    const rows = [...consumed.stdout.matchAll(/^CreateTime:(\d+)\tOffset:(\d+)\t/gm)].map((m) => ({ ts: Number(m[1]), offset: Number(m[2]) }));
    const max = Math.max(...rows.map((r) => r.ts));
    const expected = rows.find((r) => r.ts === max)!.offset;
    for (const time of ['max-timestamp', '-3']) {
      expect((await bin('kafka-get-offsets', ['--topic', 't', '--time', time], dir)).stdout).toBe(`t:0:${expected}\n`);
    }
  });

  it('sorts as Kafka does, filters with --topic-partitions and --partitions, leaves out empty partitions for max-timestamp', async () => {
    const dir = tempDir();
    await create(dir, 'wide', 12);
    await create(dir, 'other', 1);
    const all = await bin('kafka-get-offsets', [], dir);
    expect(all.code).toBe(1); // no arguments: usage, as Kafka
    const wide = await bin('kafka-get-offsets', ['--topic', 'wide'], dir);
    expect(wide.stdout).toBe(['0', '1', '10', '11', '2', '3', '4', '5', '6', '7', '8', '9'].map((p) => `wide:${p}:0\n`).join(''));
    expect((await bin('kafka-get-offsets', ['--topic-partitions', 'wide:2-4,other'], dir)).stdout).toBe('other:0:0\nwide:2:0\nwide:3:0\n');
    expect((await bin('kafka-get-offsets', ['--topic', 'w.*', '--partitions', '11,0'], dir)).stdout).toBe('wide:0:0\nwide:11:0\n');
    expect(await bin('kafka-get-offsets', ['--topic', 'wide', '--time', 'max-timestamp'], dir)).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it("errors: Kafka's texts after 'Error occurred: ', exit 1", async () => {
    const dir = tempDir();
    await create(dir, 't', 1);
    expect(await bin('kafka-get-offsets', ['--topic', 't', '--partitions', '0', '--topic-partitions', 't:0'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: 'Error occurred: --topic-partitions cannot be used with --topic or --partitions\n',
    });
    expect((await bin('kafka-get-offsets', ['--topic', 'nope'], dir)).stderr).toBe('Error occurred: Could not match any topic-partitions with the specified filters\n');
    expect((await bin('kafka-get-offsets', ['--topic', 't', '--time', 'soon'], dir)).stderr).toMatch(/^Error occurred: Malformed time argument soon\. Please use -1 or latest/);
  });
});

describe('kafka-delete-records (embedded)', () => {
  it("deletes before an offset or up to the high watermark (-1), reports errors per partition, in Kafka's lines", async () => {
    const dir = tempDir();
    await create(dir, 'a', 1);
    await create(dir, 'b', 1);
    await produce(dir, 'a', ['1', '2', '3', '4']);
    await produce(dir, 'b', ['x', 'y']);
    const json = join(dir, 'offsets.json');
    writeFileSync(json, JSON.stringify({ partitions: [{ topic: 'a', partition: 0, offset: 3 }, { topic: 'b', partition: 0, offset: -1 }, { topic: 'b', partition: 1, offset: 0 }], version: 1 }));
    expect(await bin('kafka-delete-records', ['--offset-json-file', json], dir)).toEqual({
      code: 0,
      stdout:
        'Executing records delete operation\nRecords delete operation completed:\n' +
        'partition: a-0\tlow_watermark: 3\npartition: b-0\tlow_watermark: 2\n' +
        'partition: b-1\terror: org.apache.kafka.common.errors.UnknownTopicOrPartitionException: This server does not host this topic-partition.\n',
      stderr: '',
    });
    expect((await bin('kafka-get-offsets', ['--time', 'earliest'], dir)).stdout).toBe('a:0:3\nb:0:2\n');
    expect((await bin('kafka-console-consumer', ['--topic', 'a', '--from-beginning', '--max-messages', '1'], dir)).stdout).toBe('4\n');

    writeFileSync(json, JSON.stringify({ partitions: [{ topic: 'a', partition: 0, offset: 9 }] }));
    expect((await bin('kafka-delete-records', ['--offset-json-file', json], dir)).stdout).toContain(
      'partition: a-0\terror: org.apache.kafka.common.errors.OffsetOutOfRangeException: The requested offset is not within the range of offsets maintained by the server.\n',
    );
    writeFileSync(json, '{"partitions":[{"topic":"a","partition":0,"offset":1},{"topic":"a","partition":0,"offset":2}],"version":1}');
    expect(await bin('kafka-delete-records', ['--offset-json-file', json], dir)).toEqual({ code: 1, stdout: '', stderr: 'Offset json file contains duplicate topic partitions: a-0\n' });
  });
});
