import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as producer from '../../src/commands/kafka-console-producer.js';
import { parseArgs } from '../../src/commands/cli.js';
import { cleanTempDirs, tempDir } from '../helpers.js';
import { fakeClient, runWith } from './kafka-console-fake.js';

afterEach(cleanTempDirs);

const planOf = (argv: string[]) => producer.plan(parseArgs(producer.tool, argv));
const str = (b: Buffer | null | undefined) => (b === null || b === undefined ? null : b.toString());

describe('kafka-console-producer: config assembly (§2.1)', () => {
  it("applies the tool's defaults where nothing was given", () => {
    const p = planOf(['--topic', 't']);
    expect(p.options).toMatchObject({ acks: -1, compression: 'none', clientId: 'console-producer' });
    expect(p.options.properties).toMatchObject({
      acks: '-1', 'request.timeout.ms': '1500', retries: '3', 'retry.backoff.ms': '100',
      'send.buffer.bytes': '102400', 'buffer.memory': '33554432', 'metadata.max.age.ms': '300000',
      'max.block.ms': '60000', 'compression.type': 'none', 'client.id': 'console-producer',
    });
    // Unlike Kafka's tool, batch.size and linger.ms are left to the backend (README: deliberate
    // differences): the embedded one uses Kafka's 16384 and 1000, librdkafka its own.
    expect(p.options.batchSize).toBeUndefined();
    expect(p.options.lingerMs).toBeUndefined();
    expect(p.options.properties['batch.size']).toBeUndefined();
    expect(p.options.properties['linger.ms']).toBeUndefined();
    expect(p.sync).toBe(false);
  });

  it('keeps a property the user set unless the option was given explicitly', () => {
    const p = planOf(['--topic', 't', '--producer-property', 'acks=1', '--producer-property', 'linger.ms=5', '--producer-property', 'batch.size=100']);
    expect(p.options).toMatchObject({ acks: 1, lingerMs: 5, batchSize: 100 });
    const q = planOf(['--topic', 't', '--producer-property', 'acks=1', '--request-required-acks', 'all', '--timeout', '7', '--batch-size', '9']);
    expect(q.options).toMatchObject({ acks: -1, lingerMs: 7, batchSize: 9 });
  });

  it('lets --max-partition-memory-bytes win over --batch-size', () => {
    expect(planOf(['--topic', 't', '--batch-size', '9', '--max-partition-memory-bytes', '77']).options.batchSize).toBe(77);
  });

  it('always writes the compression option, gzip when given without a value', () => {
    expect(planOf(['--topic', 't', '--producer-property', 'compression.type=lz4']).options.compression).toBe('none');
    expect(planOf(['--topic', 't', '--compression-codec']).options.compression).toBe('gzip');
    for (const c of ['gzip', 'snappy', 'lz4', 'zstd']) expect(planOf(['--topic', 't', '--compression-codec', c]).options.compression).toBe(c);
  });

  it('reads --producer.config with Java escapes; --producer-property wins over it', () => {
    const dir = tempDir();
    const file = join(dir, 'p.properties');
    writeFileSync(file, 'acks=0\nclient.id=my\\tid\nlinger.ms=3\n');
    const p = planOf(['--topic', 't', '--producer.config', file, '--producer-property', 'linger.ms=4']);
    expect(p.options).toMatchObject({ acks: 0, clientId: 'my\tid', lingerMs: 4 });
    // The 4.2 names are aliases.
    expect(planOf(['--topic', 't', '--command-config', file, '--command-property', 'acks=1']).options).toMatchObject({ acks: 1, clientId: 'my\tid' });
  });

  it('reads --reader-config; --property (or --reader-property) wins over it', () => {
    const dir = tempDir();
    const file = join(dir, 'r.properties');
    writeFileSync(file, 'parse.key=true\nkey.separator=\\t::\n');
    expect(planOf(['--topic', 't', '--reader-config', file]).reader).toMatchObject({ parseKey: true, keySeparator: '\t::' });
    expect(planOf(['--topic', 't', '--reader-config', file, '--property', 'key.separator=|']).reader).toMatchObject({ parseKey: true, keySeparator: '|' });
    expect(planOf(['--topic', 't', '--reader-property', 'parse.key=true']).reader.parseKey).toBe(true);
  });

  it("refuses bad values with Kafka's messages", () => {
    expect(() => planOf([])).toThrow();
    expect(() => planOf(['--sync'])).toThrow('Missing required argument "[topic]"');
    expect(() => planOf(['--topic', 't', '--request-required-acks', '2'])).toThrow('Invalid value 2 for configuration acks: String must be one of: all, -1, 0, 1');
    expect(() => planOf(['--topic', 't', '--compression-codec', 'brotli'])).toThrow(
      'Invalid value brotli for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd',
    );
    expect(() => planOf(['--topic', 't', '--line-reader', 'com.example.Reader'])).toThrow('The reader must implement org.apache.kafka.tools.api.RecordReader interface');
    expect(() => planOf(['--topic', 't', '--producer-property', 'batch.size=big'])).toThrow('Invalid value big for configuration batch.size: Not a number of type INT');
    expect(() => planOf(['--topic', 't', '--property', 'headers.delimiter=,'])).toThrow('headers.delimiter and headers.separator may not be equal');
  });

  it('reports jopt errors and alias clashes as one line, exit 1', async () => {
    const { client } = fakeClient();
    expect(await runWith(producer, client, ['--topic', 't', '--batch-size', 'x'])).toMatchObject({ code: 1, stderr: "Cannot parse argument 'x' of option batch-size\n" });
    expect(await runWith(producer, client, ['--topic', 't', '--property', 'a=1', '--reader-property', 'b=2'])).toMatchObject({
      code: 1,
      stderr: 'Options --reader-property and --property cannot be specified together.\n',
    });
    expect(await runWith(producer, client, ['--topic', 't', '--producer-property', 'a=1', '--command-property', 'b=2'])).toMatchObject({ code: 1 });
  });
});

describe('kafka-console-producer: sending', () => {
  it('sends one record per line to --topic, flushes on EOF, prints nothing, exit 0', async () => {
    const { client, state } = fakeClient();
    const r = await runWith(producer, client, ['--topic', 'orders'], { stdin: ['one\ntw', 'o\r\nthree\r', '\nfour'] });
    expect(r).toMatchObject({ code: 0, stdout: '', stderr: '' });
    expect(state.sent.map((s) => [s.topic, str(s.key), str(s.value)])).toEqual([
      ['orders', null, 'one'], ['orders', null, 'two'], ['orders', null, 'three'], ['orders', null, 'four'],
    ]);
    expect(state.flushed.length).toBe(4);
    expect(state.log.slice(-2)).toEqual(['flush', 'close']);
    expect(state.log.filter((l) => l === 'flush').length).toBe(1);
  });

  it('parses keys, headers and null markers with the reader properties', async () => {
    const { client, state } = fakeClient();
    const argv = ['--topic', 't', '--property', 'parse.key=true', '--property', 'parse.headers=true', '--property', 'null.marker=NULL', '--property', 'key.separator=|'];
    expect((await runWith(producer, client, argv, { stdin: 'h1:a,h2:NULL\tk1|v1\nNULL\tNULL|NULL\n\tk|v\n' })).code).toBe(1);
    expect(state.sent.map((s) => ({ key: str(s.key), value: str(s.value), headers: s.headers?.map((h) => [h.key, str(h.value)]) }))).toEqual([
      { key: 'k1', value: 'v1', headers: [['h1', 'a'], ['h2', null]] },
      { key: null, value: null, headers: [] },
    ]);
  });

  it('stops at a bad line: message with its line number on stderr, exit 1, earlier lines flushed, later ones never sent', async () => {
    const { client, state } = fakeClient();
    const r = await runWith(producer, client, ['--topic', 't', '--property', 'parse.key=true'], { stdin: 'a\t1\nb\t2\nbroken\nc\t3\n' });
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: "Error: No key separator found on line number 3: 'broken'\n" });
    expect(state.sent.map((s) => str(s.value))).toEqual(['1', '2']);
    expect(state.flushed.map((s) => str(s.value))).toEqual(['1', '2']);
    expect(state.clientClosed).toBe(false); // an injected client belongs to the caller
  });

  it('with ignore.error keeps going', async () => {
    const { client, state } = fakeClient();
    const r = await runWith(producer, client, ['--topic', 't', '--property', 'parse.key=true', '--property', 'ignore.error=true'], { stdin: 'a\t1\nbroken\n' });
    expect(r.code).toBe(0);
    expect(state.sent.map((s) => [str(s.key), str(s.value)])).toEqual([['a', '1'], [null, 'broken']]);
  });

  it('--sync flushes after every record', async () => {
    const { client, state } = fakeClient();
    await runWith(producer, client, ['--topic', 't', '--sync'], { stdin: 'a\nb\n' });
    expect(state.log).toEqual(['send a', 'flush', 'send b', 'flush', 'flush', 'close']);
  });

  it('waits when send() asks it to (backpressure) before reading on', async () => {
    const { client, state } = fakeClient({ backpressureEvery: 2 });
    await runWith(producer, client, ['--topic', 't'], { stdin: 'a\nb\nc\nd\ne\n' });
    expect(state.log).toEqual(['send a', 'send b', 'drained', 'send c', 'send d', 'drained', 'send e', 'flush', 'close']);
  });

  it('shows the > prompt before each line only on a terminal', async () => {
    const tty = fakeClient();
    expect((await runWith(producer, tty.client, ['--topic', 't'], { stdin: 'a\nb\n', isTTY: true })).stdout).toBe('>>>');
    const pipe = fakeClient();
    expect((await runWith(producer, pipe.client, ['--topic', 't'], { stdin: 'a\nb\n' })).stdout).toBe('');
  });

  it('sends an empty line as an empty (not null) value', async () => {
    const { client, state } = fakeClient();
    await runWith(producer, client, ['--topic', 't'], { stdin: '\n\n' });
    expect(state.sent.map((s) => s.value)).toEqual([Buffer.alloc(0), Buffer.alloc(0)]);
  });

  it('--input json replays keys, values, headers and CreateTime timestamps, binary and nulls included', async () => {
    const { client, state } = fakeClient();
    const lines = [
      JSON.stringify({ topic: 'x', partition: 2, offset: 9, timestamp: 5, timestampType: 'CreateTime', key: 'k', keyEncoding: 'utf8', value: '/wA=', valueEncoding: 'base64', headers: [{ key: 'h', value: null }] }),
      JSON.stringify({ timestamp: 6, timestampType: 'LogAppendTime', key: null, value: 'v' }),
    ];
    expect((await runWith(producer, client, ['--topic', 't', '--input', 'json'], { stdin: lines.join('\n') })).code).toBe(0);
    expect(state.sent).toEqual([
      { topic: 't', key: Buffer.from('k'), value: Buffer.from([0xff, 0x00]), headers: [{ key: 'h', value: null }], timestamp: 5 },
      { topic: 't', key: null, value: Buffer.from('v'), headers: [], timestamp: undefined },
    ]);
    const bad = fakeClient();
    const r = await runWith(producer, bad.client, ['--topic', 't', '--input', 'json'], { stdin: '{"value":"a"}\n{"value":1}\n' });
    expect(r).toMatchObject({ code: 1, stderr: `Error: Invalid JSON record on line number 2: value must be a string or null: '{"value":1}'\n` });
    expect(bad.state.flushed.length).toBe(1);
  });
});
