// kafkit's own kafka-console-consumer flags: time ranges, --tail, deserializers, ISO timestamps.
// test/server/remote-suite.test.ts runs this file again with --bootstrap-server (kafka-server-start).
import { afterEach, describe, expect, it } from 'vitest';
import * as producer from '../../src/commands/kafka-console-producer.js';
import * as consumer from '../../src/commands/kafka-console-consumer.js';
import * as topics from '../../src/commands/kafka-topics.js';
import { bin, cleanTempDirs, run, tempDir } from '../helpers.js';

afterEach(cleanTempDirs);

const HOUR = 3_600_000;
const SER = 'org.apache.kafka.common.serialization.';
const SE = 'org.apache.kafka.common.errors.SerializationException: ';

/** Produces JSON records (kafka-console-consumer --output json's shape) to a topic. */
async function produce(dir: string, topic: string, records: object[]) {
  const input = records.map((r) => JSON.stringify(r)).join('\n') + '\n';
  expect(await run(producer, ['--topic', topic, '--input', 'json'], dir, input)).toEqual({ code: 0, stdout: '', stderr: '' });
}

const sorted = (stdout: string) => stdout.split('\n').filter(Boolean).sort();
const long = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(n);
  return { value: b.toString('base64'), valueEncoding: 'base64' };
};

describe('--from-timestamp and --to-timestamp', () => {
  it('reads the records between two instants, absolute or relative to now, and exits', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't'], dir);
    const now = Date.now();
    const at = [now - 3 * HOUR, now - 2 * HOUR, now - 0.5 * HOUR, now - 60_000];
    await produce(dir, 't', at.map((timestamp, i) => ({ value: `r${i}`, timestamp })));
    const r = await run(consumer, ['--topic', 't', '--from-timestamp', '-150m', '--to-timestamp', '-10m'], dir);
    expect(r).toEqual({ code: 0, stdout: 'r1\nr2\n', stderr: 'Processed a total of 2 messages\n' });
    // The record at the --to-timestamp instant is the first one not printed.
    const iso = await run(consumer, ['--topic', 't', '--from-beginning', '--to-timestamp', new Date(at[2]).toISOString()], dir);
    expect(iso).toEqual({ code: 0, stdout: 'r0\nr1\n', stderr: 'Processed a total of 2 messages\n' });
    expect(await run(consumer, ['--topic', 't', '--from-timestamp', String(at[3]), '--to-timestamp', 'now'], dir)).toEqual({ code: 0, stdout: 'r3\n', stderr: 'Processed a total of 1 messages\n' });
    // With no record at or after the end instant, a partition ends at its end offset as of start.
    expect(await run(consumer, ['--topic', 't', '--partition', '0', '--offset', '2', '--to-timestamp', String(now + HOUR)], dir)).toEqual({
      code: 0,
      stdout: 'r2\nr3\n',
      stderr: 'Processed a total of 2 messages\n',
    });
    expect(await run(consumer, ['--topic', 't', '--from-timestamp', '-1d', '--to-timestamp', '-2d'], dir)).toMatchObject({ code: 1, stdout: '' });
  });

  it('refuses a bad instant in one line naming the flag and the forms it takes', async () => {
    const dir = tempDir();
    expect(await run(consumer, ['--topic', 't', '--to-timestamp', 'yesterday'], dir)).toEqual({
      code: 1,
      stdout: '',
      stderr: "Invalid --to-timestamp 'yesterday': use ISO-8601 (2024-05-01T12:00:00Z), epoch milliseconds, now, or a time before now (-15s, -30m, -1h, -2d).\n",
    });
    expect((await run(consumer, ['--topic', 't', '--from-timestamp', '2026-01-02T00:00:00Z', '--to-timestamp', '2026-01-01T00:00:00Z'], dir)).stderr).toBe(
      'The --from-timestamp instant (2026-01-02T00:00:00.000Z) is after the --to-timestamp instant (2026-01-01T00:00:00.000Z).\n',
    );
  });
});

describe('--tail N', () => {
  it('prints the last N records of each partition and exits', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 't', '--partitions', '2'], dir);
    // Keys abc and 21 land in different partitions.
    await produce(dir, 't', ['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((v) => ({ key: v[0] === 'a' ? 'abc' : '21', value: v })));
    const r = await run(consumer, ['--topic', 't', '--tail', '2'], dir);
    expect({ ...r, stdout: sorted(r.stdout) }).toEqual({ code: 0, stdout: ['a2', 'a3', 'b2', 'b3'], stderr: 'Processed a total of 4 messages\n' });
    const many = await run(consumer, ['--topic', 't', '--tail', '10'], dir);
    expect(sorted(many.stdout)).toEqual(['a1', 'a2', 'a3', 'b1', 'b2', 'b3']);
    const one = await run(consumer, ['--include', 't', '--tail', '1', '--property', 'print.key=true'], dir);
    expect(sorted(one.stdout)).toEqual(['21\tb3', 'abc\ta3']);
    const p = (await run(consumer, ['--topic', 't', '--tail', '1', '--partition', '0', '--property', 'print.partition=true'], dir)).stdout;
    expect(['Partition:0\ta3\n', 'Partition:0\tb3\n']).toContain(p);
    // --max-messages still caps the total.
    expect(await run(consumer, ['--topic', 't', '--partition', '0', '--tail', '3', '--max-messages', '1', '--property', 'print.offset=true', '--property', 'print.value=false'], dir)).toEqual({
      code: 0,
      stdout: 'Offset:0\n',
      stderr: 'Processed a total of 1 messages\n',
    });
  });

  it('ends at once on an empty topic', async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 'empty', '--partitions', '3'], dir);
    expect(await run(consumer, ['--topic', 'empty', '--tail', '5'], dir)).toEqual({ code: 0, stdout: '', stderr: 'Processed a total of 0 messages\n' });
  });

  it('refuses the flags that choose another start, and a count that is not positive', async () => {
    const dir = tempDir();
    const err = async (argv: string[]) => (await run(consumer, ['--topic', 't', '--tail', '2', ...argv], dir)).stderr;
    expect(await err(['--partition', '0', '--offset', '1'])).toBe('Options tail and offset cannot be specified together.\n');
    expect(await err(['--from-beginning'])).toBe('Options tail and from-beginning cannot be specified together.\n');
    expect(await err(['--from-timestamp', '-1h'])).toBe('Options tail and from-timestamp cannot be specified together.\n');
    expect(await err(['--to-timestamp', '-1h'])).toBe('Options tail and to-timestamp cannot be specified together.\n');
    expect(await err(['--group', 'g'])).toBe('Options tail and group cannot be specified together.\n');
    expect((await run(consumer, ['--topic', 't', '--tail', '0'], dir)).stderr).toBe("The provided tail value '0' is incorrect. Valid values are positive integers.\n");
  });
});

describe('--key-deserializer and --value-deserializer', () => {
  it("prints keys and values as Kafka's deserializers read them", async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 'n'], dir);
    const uuid = '123e4567-e89b-12d3-a456-426614174000';
    const dbl = Buffer.alloc(8);
    dbl.writeDoubleBE(1e10);
    await produce(dir, 'n', [
      { key: Buffer.from([0, 0, 0, 7]).toString('base64'), keyEncoding: 'base64', ...long(42n) },
      { key: Buffer.from([0xff, 0xff, 0xff, 0xff]).toString('base64'), keyEncoding: 'base64', ...long(-9223372036854775808n) },
      { key: null, value: null },
    ]);
    const r = await run(consumer, ['--topic', 'n', '--from-beginning', '--max-messages', '3', '--key-deserializer', `${SER}IntegerDeserializer`, '--value-deserializer', `${SER}LongDeserializer`, '--property', 'print.key=true'], dir);
    expect(r).toEqual({ code: 0, stdout: '7\t42\n-1\t-9223372036854775808\nnull\tnull\n', stderr: 'Processed a total of 3 messages\n' });
    await run(topics, ['--create', '--topic', 'd'], dir);
    await produce(dir, 'd', [{ value: dbl.toString('base64'), valueEncoding: 'base64', key: uuid }]);
    // The formatter's own properties (--property) name them as well, as in Kafka.
    const d = await run(consumer, ['--topic', 'd', '--from-beginning', '--max-messages', '1', '--property', `value.deserializer=${SER}DoubleDeserializer`, '--property', `key.deserializer=${SER}UUIDDeserializer`, '--property', 'print.key=true'], dir);
    expect(d.stdout).toBe(`${uuid}\t1.0E10\n`);
    const b = await run(consumer, ['--topic', 'n', '--from-beginning', '--max-messages', '1', '--value-deserializer', `${SER}BytesDeserializer`], dir);
    expect(b.stdout).toBe('\\x00\\x00\\x00\\x00\\x00\\x00\\x00*\n');
  });

  it("fails on a value that does not fit with Kafka's exception, or skips it with --skip-message-on-error", async () => {
    const dir = tempDir();
    await run(topics, ['--create', '--topic', 'n'], dir);
    await produce(dir, 'n', [long(1n), { value: 'abc' }, long(3n)]);
    const args = ['--topic', 'n', '--from-beginning', '--timeout-ms', '1000', '--value-deserializer', `${SER}LongDeserializer`];
    expect(await run(consumer, args, dir)).toEqual({
      code: 1,
      stdout: '1\n',
      stderr: `Error: ${SE}Size of data received by LongDeserializer is not 8 (the value of n-0 at offset 1)\nProcessed a total of 2 messages\n`,
    });
    expect(await run(consumer, [...args, '--skip-message-on-error'], dir)).toEqual({
      code: 0,
      stdout: '1\n3\n',
      stderr: `Error processing message, skipping this message: ${SE}Size of data received by LongDeserializer is not 8 (the value of n-0 at offset 1)\nProcessed a total of 3 messages\n`,
    });
  });

  it('refuses a class it cannot run, and --output json with a deserializer', async () => {
    const dir = tempDir();
    expect((await run(consumer, ['--topic', 'n', '--value-deserializer', 'com.example.MyDeserializer'], dir)).stderr).toBe(
      `Invalid value com.example.MyDeserializer for value.deserializer: kafkit cannot load Java classes; use one of Kafka's ${SER}{String,ByteArray,Bytes,Long,Integer,Short,Double,Float,UUID,Void}Deserializer.\n`,
    );
    expect((await run(consumer, ['--topic', 'n', '--output', 'json', '--value-deserializer', `${SER}LongDeserializer`], dir)).stderr).toBe(
      'Options output json and the key/value/headers deserializers cannot be used together: --output json prints the bytes themselves.\n',
    );
  });
});

describe('print.timestamp.format=iso and the real bins', () => {
  it('prints CreateTime in ISO-8601 UTC through bin/kafka-console-consumer, with --tail and a deserializer', async () => {
    const dir = tempDir();
    const input = [long(5n), long(6n)].map((r, i) => JSON.stringify({ ...r, timestamp: Date.UTC(2026, 11, 4, 16, 21, 23, 123 + i) })).join('\n') + '\n';
    expect(await bin('kafka-console-producer', ['--topic', 'ts', '--input', 'json'], dir, input)).toEqual({ code: 0, stdout: '', stderr: '' });
    const r = await bin('kafka-console-consumer', ['--topic', 'ts', '--tail', '1', '--value-deserializer', `${SER}LongDeserializer`, '--property', 'print.timestamp=true', '--property', 'print.timestamp.format=iso'], dir);
    expect(r).toEqual({ code: 0, stdout: 'CreateTime:2026-12-04T16:21:23.124Z\t6\n', stderr: 'Processed a total of 1 messages\n' });
    const range = await bin('kafka-console-consumer', ['--topic', 'ts', '--from-timestamp', '2026-12-04T16:21:23.123Z', '--to-timestamp', '2026-12-04T16:21:23.124Z', '--value-deserializer', `${SER}LongDeserializer`], dir);
    expect(range).toEqual({ code: 0, stdout: '5\n', stderr: 'Processed a total of 1 messages\n' });
  });
});
