// kafkit's own four tools in remote mode (--bootstrap-server: librdkafka or kafkajs producer, kafkajs admin and consumer) against
// kafka-server-start: the same commands and outputs as in embedded mode.
import { beforeAll, describe, expect, it } from 'vitest';
import { bin, remoteProducerLibraries, tempDir } from '../helpers.js';
import { serverPerFile } from './server-process.js';

const ctx = serverPerFile();
// The tools run with an unrelated data dir: everything must go over the network.
let clientDir: string;

beforeAll(() => {
  clientDir = tempDir();
});

const remote = (tool: string, args: string[], input?: string) => bin(tool, ['--bootstrap-server', ctx.server.bootstrap.split(',')[0], ...args], clientDir, input);

describe('the four tools with --bootstrap-server against kafka-server-start', () => {
  it('kafka-topics: create, list, describe, alter, delete', async () => {
    expect(await remote('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '3', '--config', 'retention.ms=86400000'])).toEqual({
      code: 0,
      stdout: 'Created topic orders.\n',
      stderr: '',
    });
    const again = await remote('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '3']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Topic 'orders' already exists.");
    expect((await remote('kafka-topics', ['--list'])).stdout).toBe('orders\n');
    const d = await remote('kafka-topics', ['--describe', '--topic', 'orders']);
    const lines = d.stdout.split('\n');
    // Leaders, replicas, ISR and the topic id come from the server's metadata, which the embedded tools read too.
    const embedded = (await bin('kafka-topics', ['--describe', '--topic', 'orders'], ctx.dataDir)).stdout.split('\n');
    expect(lines[0]).toMatch(/^Topic: orders\tTopicId: [A-Za-z0-9_-]{22}\tPartitionCount: 3\tReplicationFactor: 3\tConfigs: retention.ms=86400000$/);
    expect(lines[0]).toBe(embedded[0]);
    const topicId = /TopicId: (\S+)/.exec(lines[0])![1];
    expect((await remote('kafka-topics', ['--describe', '--topic-id', topicId])).stdout).toBe(d.stdout);
    for (let p = 0; p < 3; p++) {
      const placement = (l: string) => /Leader: .*\tIsr: [\d,]+/.exec(l)![0];
      expect(placement(lines[p + 1])).toBe(placement(embedded[p + 1]));
    }
    expect((await remote('kafka-topics', ['--alter', '--topic', 'orders', '--partitions', '4'])).code).toBe(0);
    expect((await bin('kafka-topics', ['--describe', '--topic', 'orders'], ctx.dataDir)).stdout).toContain('PartitionCount: 4');
    expect((await remote('kafka-topics', ['--delete', '--topic', 'orders'])).code).toBe(0);
    // Kafka prints a single empty line when there are no topics.
    expect((await bin('kafka-topics', ['--list'], ctx.dataDir)).stdout).toBe('\n');
  });

  it('console producer and consumer: keys, headers, partitions and the group offsets', async () => {
    await remote('kafka-topics', ['--create', '--topic', 'keyed', '--partitions', '3', '--replication-factor', '2']);
    const input = Array.from({ length: 30 }, (_, i) => `h:${i}\tk${i}:v${i}`).join('\n');
    const p = await remote('kafka-console-producer', ['--topic', 'keyed', '--property', 'parse.key=true', '--property', 'key.separator=:', '--property', 'parse.headers=true'], `${input}\n`);
    expect(p).toEqual({ code: 0, stdout: '', stderr: '' });
    const c = await remote('kafka-console-consumer', [
      '--topic', 'keyed', '--from-beginning', '--max-messages', '30', '--group', 'g1',
      '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.partition=true',
    ]);
    expect(c.code).toBe(0);
    expect(c.stderr).toContain('Processed a total of 30 messages');
    const got = c.stdout.split('\n').filter(Boolean).sort();
    expect(got).toContain(`${got.find((l) => l.endsWith('\tk5\tv5'))!.split('\t')[0]}\th:5\tk5\tv5`);
    // Each key lands in the partition the embedded producer (murmur2, as Java's) picks for it.
    const dir = tempDir();
    await bin('kafka-topics', ['--create', '--topic', 'keyed', '--partitions', '3'], dir);
    await bin('kafka-console-producer', ['--topic', 'keyed', '--property', 'parse.key=true', '--property', 'key.separator=:', '--property', 'parse.headers=true'], dir, `${input}\n`);
    const local = await bin('kafka-console-consumer', ['--topic', 'keyed', '--from-beginning', '--max-messages', '30', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.partition=true'], dir);
    expect(got).toEqual(local.stdout.split('\n').filter(Boolean).sort());
    const groups = await remote('kafka-consumer-groups', ['--describe', '--group', 'g1']);
    expect(groups.code).toBe(0);
    const rows = groups.stdout.split('\n').filter((l) => l.startsWith('g1 '));
    expect(rows.length).toBe(3);
    for (const row of rows) {
      const cols = row.split(/\s+/);
      expect(cols[3]).toBe(cols[4]);
      expect(cols[5]).toBe('0');
    }
  });

  it('kafka-consumer-groups: list, reset-offsets --execute, then delete', async () => {
    expect((await remote('kafka-consumer-groups', ['--list'])).stdout).toBe('g1\n');
    const reset = await remote('kafka-consumer-groups', ['--reset-offsets', '--group', 'g1', '--topic', 'keyed', '--to-earliest', '--execute']);
    expect(reset.code).toBe(0);
    expect(reset.stdout.split('\n').filter((l) => l.startsWith('g1 ')).map((l) => l.trim().split(/\s+/).slice(1).join(' '))).toEqual(['keyed 0 0', 'keyed 1 0', 'keyed 2 0']);
    const lag = await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], ctx.dataDir);
    expect(lag.stdout.split('\n').filter((l) => l.startsWith('g1 ')).every((l) => l.split(/\s+/)[3] === '0')).toBe(true);
    // --delete-offsets (OffsetDelete through the second library) for one partition of the inactive group.
    const delOffsets = await remote('kafka-consumer-groups', ['--delete-offsets', '--group', 'g1', '--topic', 'keyed:0']);
    expect(delOffsets.stdout).toBe('Request succeeded for deleting offsets from group g1.\n\nTOPIC           PARTITION  STATUS         \nkeyed           0          Successful     \n');
    expect((await bin('kafka-consumer-groups', ['--describe', '--group', 'g1'], ctx.dataDir)).stdout.split('\n').filter((l) => l.startsWith('g1 ')).map((l) => l.split(/\s+/)[2])).toEqual(['1', '2']);
    const del = await remote('kafka-consumer-groups', ['--delete', '--group', 'g1']);
    expect(del.stdout).toBe("Deletion of requested consumer groups ('g1') was successful.\n");
    expect((await bin('kafka-consumer-groups', ['--list'], ctx.dataDir)).stdout).toBe('');
  });

  it('a consumer that may not create a missing topic waits for it, and reads it once it is created', async () => {
    const consumer = remote('kafka-console-consumer', ['--topic', 'later', '--max-messages', '1', '--timeout-ms', '15000', '--consumer-property', 'allow.auto.create.topics=false', '--from-beginning']);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await bin('kafka-topics', ['--list'], ctx.dataDir)).stdout.split('\n')).not.toContain('later');
    expect((await bin('kafka-console-producer', ['--topic', 'later'], ctx.dataDir, 'hello\n')).code).toBe(0);
    expect(await consumer).toEqual({ code: 0, stdout: 'hello\n', stderr: 'Processed a total of 1 messages\n' });
  });

  it('a null header value written by the embedded producer reads back as null, not as text', async () => {
    const props = ['--property', 'parse.headers=true', '--property', 'null.marker=NULL'];
    expect((await bin('kafka-console-producer', ['--topic', 'nullhdr', ...props], ctx.dataDir, 'h1:a,h2:NULL\tv1\n')).code).toBe(0);
    const c = await remote('kafka-console-consumer', ['--topic', 'nullhdr', '--from-beginning', '--max-messages', '1', '--property', 'print.headers=true', '--property', 'null.literal=<null>']);
    expect(c).toEqual({ code: 0, stdout: 'h1:a,h2:<null>\tv1\n', stderr: 'Processed a total of 1 messages\n' });
  });
});

for (const library of remoteProducerLibraries()) {
  describe(`the remote producer on ${library}`, () => {
    const env: Record<string, string> = library === 'kafkajs' ? { KAFKIT_NO_RDKAFKA: '1' } : {};
    const produce = (args: string[], input: string) => bin('kafka-console-producer', ['--bootstrap-server', ctx.server.bootstrap.split(',')[0], ...args], clientDir, input, env);

    it('puts keyed records where the embedded producer (murmur2, as Java\'s) does, and null keys on some partition', async () => {
      const topic = `keyed-${library}`;
      const input = Array.from({ length: 40 }, (_, i) => (i % 4 === 3 ? `null-${i}` : `k${i}:v${i}`)).join('\n') + '\n';
      const keyed = ['--property', 'parse.key=true', '--property', 'key.separator=:'];
      expect((await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3'], ctx.dataDir)).code).toBe(0);
      // Lines without the separator are refused with parse.key; the null-key ones go in a second run.
      const keyedLines = input.split('\n').filter((l) => l.includes(':')).join('\n') + '\n';
      const nullLines = input.split('\n').filter((l) => l.startsWith('null-')).join('\n') + '\n';
      expect(await produce(['--topic', topic, ...keyed], keyedLines)).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(await produce(['--topic', topic], nullLines)).toEqual({ code: 0, stdout: '', stderr: '' });
      const dir = tempDir();
      await bin('kafka-topics', ['--create', '--topic', topic, '--partitions', '3'], dir);
      await bin('kafka-console-producer', ['--topic', topic, ...keyed], dir, keyedLines);
      const read = ['--topic', topic, '--from-beginning', '--property', 'print.key=true', '--property', 'print.partition=true'];
      const remoteRows = (await bin('kafka-console-consumer', [...read, '--max-messages', '40'], ctx.dataDir)).stdout.split('\n').filter(Boolean);
      const localRows = (await bin('kafka-console-consumer', [...read, '--max-messages', '30'], dir)).stdout.split('\n').filter(Boolean);
      expect(remoteRows.filter((r) => !r.includes('\tnull\t')).sort()).toEqual(localRows.sort());
      expect(remoteRows.filter((r) => /\tnull\tnull-\d+$/.test(r)).length).toBe(10);
    });

    it('repeated header keys keep every value; interleaved keys keep their order on node-rdkafka, grouped by key on kafkajs', async () => {
      expect((await produce(['--topic', `rep-${library}`, '--property', 'parse.headers=true'], 'a:1,b:2,a:3\tv\n')).code).toBe(0);
      const c = await bin('kafka-console-consumer', ['--topic', `rep-${library}`, '--from-beginning', '--max-messages', '1', '--property', 'print.headers=true'], ctx.dataDir);
      // kafkajs takes headers as an object of key -> values (docs/remote-backend.md).
      expect(c.stdout).toBe(library === 'kafkajs' ? 'a:1,a:3,b:2\tv\n' : 'a:1,b:2,a:3\tv\n');
    });

    it('a header value the remote producer cannot send stops it at that record: the records before it are written', async () => {
      const lines = [
        '{"key":null,"value":"first","headers":[{"key":"h","value":"ok"}]}',
        '{"key":null,"value":"second","headers":[{"key":"h","value":null}]}',
        '{"key":null,"value":"third","headers":[]}',
      ];
      expect(await produce(['--topic', `badhdr-${library}`, '--input', 'json'], lines.join('\n') + '\n')).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error: Header 'h' has a null value, which the remote backend (${library}) cannot send; give it a text value, or produce without --bootstrap-server.\n`,
      });
      const c = await bin('kafka-console-consumer', ['--topic', `badhdr-${library}`, '--from-beginning', '--timeout-ms', '1000'], ctx.dataDir);
      expect(c).toEqual({ code: 0, stdout: 'first\n', stderr: 'Processed a total of 1 messages\n' });
    });

    it('a record above max.request.size, and a batch above the topic max.message.bytes, fail with what to change', async () => {
      const big = `${'x'.repeat(2000)}\n`;
      expect(await produce(['--topic', `sizes-${library}`, '--producer-property', 'max.request.size=1000'], big)).toEqual({
        code: 1,
        stdout: '',
        stderr: 'Error: The message is 2000 bytes (key, value and headers), larger than 1000, which is the value of the max.request.size configuration; raise it with --producer-property max.request.size=<bytes>, or send smaller records.\n',
      });
      expect((await bin('kafka-topics', ['--create', '--topic', `small-${library}`, '--config', 'max.message.bytes=1000'], ctx.dataDir)).code).toBe(0);
      const lines = Array.from({ length: 200 }, (_, i) => `line-${i}`).join('\n') + '\n';
      expect(await produce(['--topic', `small-${library}`], lines)).toEqual({
        code: 1,
        stdout: '',
        stderr: `Error: The cluster at ${ctx.server.bootstrap.split(',')[0]} refused a batch of topic small-${library} as larger than the topic's max.message.bytes: give --batch-size a value below it (the remote producer does not split a refused batch, as Java's producer does), or raise it with kafka-topics --alter --config max.message.bytes=<bytes>.\n`,
      });
      expect((await produce(['--topic', `small-${library}`, '--batch-size', '900'], lines)).code).toBe(0);
      const c = await bin('kafka-console-consumer', ['--topic', `small-${library}`, '--from-beginning', '--max-messages', '200'], ctx.dataDir);
      expect(c.stdout).toBe(lines);
    });
  });
}
