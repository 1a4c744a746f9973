import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as consumer from '../../src/commands/kafka-console-consumer.js';
import * as producer from '../../src/commands/kafka-console-producer.js';
import { parseArgs } from '../../src/commands/cli.js';
import { OffsetOutOfRangeError } from '../../src/errors.js';
import { cleanTempDirs, tempDir } from '../helpers.js';
import { fakeClient, record, runWith } from './kafka-console-fake.js';

afterEach(cleanTempDirs);

const planOf = (argv: string[], random?: () => number) => consumer.plan(parseArgs(consumer.tool, argv), random);

describe('kafka-console-consumer: validation (§3.2), in order', () => {
  const cases: Array<[string[], string]> = [
    [['--group', 'g'], 'Exactly one of --include/--topic is required. '],
    [['--topic', 't', '--include', 'x'], 'Exactly one of --include/--topic is required. '],
    [['--include', 'x', '--partition', '0'], 'The topic is required when partition is specified.'],
    [['--topic', 't', '--partition', '0', '--from-beginning', '--offset', '1'], 'Options from-beginning and offset cannot be specified together.'],
    [['--topic', 't', '--offset', '3'], 'The partition is required when offset is specified.'],
    [['--topic', 't', '--group', 'a', '--consumer-property', 'group.id=b'],
      "The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: 'a', 'b'"],
    [['--topic', 't', '--partition', '0', '--group', 'g'], 'Options group and partition cannot be specified together.'],
    [['--topic', 't', '--partition', '0', '--consumer-property', 'group.id=g'], 'Options group and partition cannot be specified together.'],
    [['--topic', 't', '--partition', '0', '--offset', 'x'], "The provided offset value 'x' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
    [['--topic', 't', '--partition', '0', '--offset', '-1'], "The provided offset value '-1' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long."],
    [['--topic', 't', '--from-beginning', '--consumer-property', 'auto.offset.reset=latest'], "Can't simultaneously specify --from-beginning and 'auto.offset.reset=latest', please remove one option"],
  ];
  for (const [argv, message] of cases) {
    it(`${argv.join(' ')} → ${message}`, async () => {
      const { client, state } = fakeClient();
      const r = await runWith(consumer, client, argv);
      expect(r).toMatchObject({ code: 1, stdout: '', stderr: `${message}\n` });
      expect(state.consumerOptions).toBeUndefined(); // no summary either: the consumer was never made
    });
  }

  it('refuses other formatters, bad isolation levels and --output values', async () => {
    const { client } = fakeClient();
    expect((await runWith(consumer, client, ['--topic', 't', '--formatter', 'org.example.Fancy'])).stderr).toBe(
      'Formatter org.example.Fancy is not supported: kafkit prints with the DefaultMessageFormatter only.\n',
    );
    expect((await runWith(consumer, client, ['--topic', 't', '--isolation-level', 'dirty'])).stderr).toBe(
      'Invalid value dirty for configuration isolation.level: String must be one of: read_committed, read_uncommitted\n',
    );
    expect((await runWith(consumer, client, ['--topic', 't', '--output', 'xml'])).code).toBe(1);
  });
});

describe('kafka-console-consumer: start position and group (§3.3)', () => {
  it('without --group: a random console-consumer-N group, auto-commit off, latest unless --from-beginning', () => {
    const p = planOf(['--topic', 't'], () => 0.42);
    expect(p).toMatchObject({ groupId: 'console-consumer-42000', explicitGroup: false, autoCommit: false, autoOffsetReset: 'latest', start: undefined });
    expect(planOf(['--topic', 't', '--from-beginning']).autoOffsetReset).toBe('earliest');
    expect(planOf(['--topic', 't']).groupId).toMatch(/^console-consumer-\d{1,5}$/);
  });

  it('with --group (or group.id anywhere): auto-commit on', () => {
    expect(planOf(['--topic', 't', '--group', 'g'])).toMatchObject({ groupId: 'g', explicitGroup: true, autoCommit: true });
    expect(planOf(['--topic', 't', '--consumer-property', 'group.id=g', '--consumer-property', 'enable.auto.commit=false'])).toMatchObject({ groupId: 'g', autoCommit: false });
    const dir = tempDir();
    const file = join(dir, 'c.properties');
    writeFileSync(file, 'group.id=fromfile\nauto.offset.reset=earliest\n');
    expect(planOf(['--topic', 't', '--consumer.config', file])).toMatchObject({ groupId: 'fromfile', autoOffsetReset: 'earliest' });
    expect(planOf(['--topic', 't', '--command-config', file, '--group', 'fromfile'])).toMatchObject({ groupId: 'fromfile' });
  });

  it('with --partition: start at latest, earliest (--from-beginning / --offset earliest) or the offset given', () => {
    expect(planOf(['--topic', 't', '--partition', '1']).start).toBe('latest');
    expect(planOf(['--topic', 't', '--partition', '1', '--from-beginning']).start).toBe('earliest');
    expect(planOf(['--topic', 't', '--partition', '1', '--offset', 'EARLIEST']).start).toBe('earliest');
    expect(planOf(['--topic', 't', '--partition', '1', '--offset', 'latest']).start).toBe('latest');
    expect(planOf(['--topic', 't', '--partition', '1', '--offset', '42']).start).toBe(42);
  });

  it('assigns and seeks for --partition, subscribes otherwise; passes the settings to the consumer', async () => {
    const a = fakeClient();
    await runWith(consumer, a.client, ['--topic', 't', '--partition', '2', '--offset', '7', '--timeout-ms', '0']);
    expect(a.state.log.slice(0, 2)).toEqual(['assign t-2', 'seek t-2 7']);
    expect(a.state.consumerOptions).toMatchObject({ autoCommit: false, autoOffsetReset: 'latest', clientId: 'console-consumer', isolationLevel: 'read_uncommitted', assignmentStrategy: 'range' });
    const b = fakeClient();
    await runWith(consumer, b.client, ['--include', 'o.*', '--group', 'g', '--timeout-ms', '0', '--isolation-level', 'read_committed', '--consumer-property', 'partition.assignment.strategy=org.apache.kafka.clients.consumer.RoundRobinAssignor']);
    expect(b.state.log[0]).toBe('subscribe ^(?:o.*)$');
    expect(b.state.consumerOptions).toMatchObject({ groupId: 'g', autoCommit: true, isolationLevel: 'read_committed', assignmentStrategy: 'roundrobin' });
    const c = fakeClient();
    await runWith(consumer, c.client, ['--topic', 'orders', '--timeout-ms', '0']);
    expect(c.state.log[0]).toBe('subscribe orders');
  });
});

describe('kafka-console-consumer: run loop and summary (§3.5)', () => {
  it('prints records, stops at --max-messages, un-consumes the rest per partition, then prints the summary', async () => {
    const { client, state } = fakeClient({
      polls: [
        [record(0, 'a'), record(1, 'b')],
        [record(2, 'c'), record(0, 'x', { partition: 1 }), record(3, 'd'), record(1, 'y', { partition: 1 })],
      ],
    });
    const r = await runWith(consumer, client, ['--topic', 't', '--group', 'g', '--max-messages', '3']);
    expect(r).toEqual({ code: 0, stdout: 'a\nb\nc\n', stderr: 'Processed a total of 3 messages\n', stdoutStream: r.stdoutStream });
    expect(state.log.slice(-3)).toEqual(['seek t-1 0', 'seek t-0 3', 'consumer close']);
  });

  it('--timeout-ms ends quietly with exit 0 and the summary', async () => {
    const { client } = fakeClient({ polls: [[record(0, 'only')]] });
    const r = await runWith(consumer, client, ['--topic', 't', '--timeout-ms', '50']);
    expect(r).toMatchObject({ code: 0, stdout: 'only\n', stderr: 'Processed a total of 1 messages\n' });
  });

  it('SIGINT wakes the consumer: summary and exit 130; SIGTERM: 143', async () => {
    const int = fakeClient({ polls: [[record(0, 'a')]], onPoll: (i) => i === 2 && process.emit('SIGINT') });
    expect(await runWith(consumer, int.client, ['--topic', 't'])).toMatchObject({ code: 130, stdout: 'a\n', stderr: 'Processed a total of 1 messages\n' });
    const term = fakeClient({ onPoll: (i) => i === 1 && process.emit('SIGTERM') });
    expect(await runWith(consumer, term.client, ['--topic', 't'])).toMatchObject({ code: 143, stderr: 'Processed a total of 0 messages\n' });
    expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(0);
  });

  it('a closed stdout ends the run with Kafka\'s notice, the summary and exit 0', async () => {
    let stdoutRef: import('node:stream').PassThrough | undefined;
    const { client } = fakeClient({
      polls: [[record(0, 'a')]],
      onPoll: (i) => {
        if (i === 1) stdoutRef!.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
    });
    const { PassThrough } = await import('node:stream');
    stdoutRef = new PassThrough();
    const r = await runWith(consumer, client, ['--topic', 't'], { stdout: stdoutRef });
    expect(r).toMatchObject({ code: 0, stdout: 'a\n', stderr: 'Unable to write to standard out, closing consumer.\nProcessed a total of 1 messages\n' });
  });

  it('a failed poll: the error line, then the summary as the last line, exit 1', async () => {
    const failing = fakeClient({
      polls: [[record(0, 'a')]],
      onPoll: (i) => {
        if (i === 1) throw new OffsetOutOfRangeError('Offset 9 is out of range for t-0.');
      },
    });
    const r = await runWith(consumer, failing.client, ['--topic', 't']);
    expect(r).toMatchObject({ code: 1, stdout: 'a\n', stderr: 'Error: Offset 9 is out of range for t-0.\nProcessed a total of 1 messages\n' });
  });

  it('a record the formatter cannot print: skipped with --skip-message-on-error, else the error then the summary, exit 1', async () => {
    const broken = () => record(1, 'bad', { headers: null as never });
    const skip = fakeClient({ polls: [[record(0, 'a'), broken(), record(2, 'c')]] });
    const r = await runWith(consumer, skip.client, ['--topic', 't', '--max-messages', '3', '--skip-message-on-error', '--property', 'print.headers=true']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('NO_HEADERS\ta\nNO_HEADERS\tc\n');
    expect(r.stderr).toMatch(/^Error processing message, skipping this message: .+\nProcessed a total of 3 messages\n$/);
    const halt = fakeClient({ polls: [[record(0, 'a'), broken(), record(2, 'c')]] });
    const h = await runWith(consumer, halt.client, ['--topic', 't', '--group', 'g', '--property', 'print.headers=true']);
    expect(h.code).toBe(1);
    // The record before the broken one is printed (and committed), as in Kafka.
    expect(h.stdout).toBe('NO_HEADERS\ta\n');
    expect(h.stderr).toMatch(/^Error: .+\nProcessed a total of 2 messages\n$/);
    expect(halt.state.log.slice(-2)).toEqual(['seek t-0 2', 'consumer close']);
  });

  it('formats with --property, --formatter-property, --formatter-config (property wins)', async () => {
    const dir = tempDir();
    const file = join(dir, 'f.properties');
    writeFileSync(file, 'print.key=true\nkey.separator=\\u0020|\\u0020\nprint.offset=true\n');
    const recs = () => [[record(5, 'v', { key: Buffer.from('k') }), record(6, null, { key: null })]];
    const a = fakeClient({ polls: recs() });
    expect((await runWith(consumer, a.client, ['--topic', 't', '--max-messages', '2', '--formatter-config', file])).stdout).toBe('Offset:5 | k | v\nOffset:6 | null | null\n');
    const b = fakeClient({ polls: recs() });
    const argv = ['--topic', 't', '--max-messages', '2', '--formatter-config', file, '--formatter-property', 'print.offset=false', '--formatter-property', 'null.literal=-'];
    expect((await runWith(consumer, b.client, argv)).stdout).toBe('k | v\n- | -\n');
  });

  it('--output json is lossless and --input json replays it byte for byte', async () => {
    const recs = [
      record(0, Buffer.from([0xff, 0x00, 0x41]), { key: Buffer.from('k€'), headers: [{ key: 'h', value: Buffer.from([0x80]) }, { key: 'n', value: null }] }),
      record(1, null, { timestampType: 'LogAppendTime', partition: 3 }),
    ];
    const c = fakeClient({ polls: [recs] });
    const out = await runWith(consumer, c.client, ['--topic', 't', '--max-messages', '2', '--output', 'json']);
    const lines = out.stdout.trimEnd().split('\n');
    expect(JSON.parse(lines[0])).toEqual({
      topic: 't', partition: 0, offset: 0, timestamp: 1700000000000, timestampType: 'CreateTime',
      key: 'k€', keyEncoding: 'utf8', value: '/wBB', valueEncoding: 'base64',
      headers: [{ key: 'h', value: 'gA==', valueEncoding: 'base64' }, { key: 'n', value: null }],
    });
    expect(JSON.parse(lines[1])).toEqual({ topic: 't', partition: 3, offset: 1, timestamp: 1700000000001, timestampType: 'LogAppendTime', key: null, value: null, headers: [] });
    const p = fakeClient();
    expect((await runWith(producer, p.client, ['--topic', 'copy', '--input', 'json'], { stdin: out.stdout })).code).toBe(0);
    expect(p.state.sent).toEqual([
      { topic: 'copy', key: recs[0].key, value: recs[0].value, headers: recs[0].headers, timestamp: 1700000000000 },
      { topic: 'copy', key: null, value: null, headers: [], timestamp: undefined },
    ]);
  });
});
