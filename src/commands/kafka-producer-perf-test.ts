// kafka-producer-perf-test: sends --num-records records as fast as --throughput allows and reports
// Kafka 4.1's ProducerPerformance lines. Latency is per record, from send() to its acknowledgement.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { CompressionCodec, KafkaClient, ProducerOptions } from '../client/types.js';
import { UsageError, toKafkitError } from '../errors.js';
import { readPropertiesFile } from '../config/properties.js';
import { metricsTable } from '../format/perf.js';
import { errorMessage, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { parseAcks } from './kafka-console-producer.js';
import { ProducerStats } from './perf/producer-stats.js';
import { startProgress } from './perf/progress.js';
import { ThroughputThrottler } from './perf/throttler.js';

export const tool: ToolSpec = {
  name: 'kafka-producer-perf-test',
  description: 'This tool is used to verify the producer performance.',
  options: {
    ...connectionOptions,
    topic: { type: 'string', arg: 'TOPIC', describe: 'REQUIRED: produce messages to this topic' },
    'num-records': { type: 'number', arg: 'NUM-RECORDS', describe: 'REQUIRED: number of messages to produce' },
    'record-size': { type: 'number', arg: 'RECORD-SIZE', describe: 'message size in bytes. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
    'payload-file': { type: 'string', arg: 'PAYLOAD-FILE', describe: 'file to read the message payloads from. This works only for UTF-8 encoded text files. Payloads will be read from this file and a payload will be randomly selected when sending messages. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
    'payload-monotonic': { type: 'boolean', describe: 'payload is monotonically increasing integer. Note that you must provide exactly one of --record-size or --payload-file or --payload-monotonic.' },
    'payload-delimiter': { type: 'string', arg: 'PAYLOAD-DELIMITER', defaultDescription: '\\n', describe: 'provides delimiter to be used when --payload-file is provided. Defaults to new line. Note that this parameter will be ignored if --payload-file is not provided.' },
    throughput: { type: 'number', integer: false, arg: 'THROUGHPUT', describe: 'REQUIRED: throttle maximum message throughput to *approximately* THROUGHPUT messages/sec. Set this to -1 to disable throttling.' },
    'producer-props': { type: 'string', arg: 'PROP-NAME=PROP-VALUE', repeatable: true, variadic: true, describe: 'kafka producer related configuration properties like bootstrap.servers,client.id etc. These configs take precedence over those passed via --producer.config.' },
    'producer.config': { type: 'string', arg: 'CONFIG-FILE', describe: 'producer config properties file.' },
    'print-metrics': { type: 'boolean', describe: 'print out metrics at the end of the test.' },
    'transactional-id': { type: 'string', arg: 'TRANSACTIONAL-ID', describe: 'Not supported by kafkit (no transactions): refused.' },
    'transaction-duration-ms': { type: 'number', arg: 'TRANSACTION-DURATION', describe: 'Not supported by kafkit (no transactions): refused.' },
  },
};

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface PerfPlan {
  topic: string;
  numRecords: number;
  throughput: number;
  payload: { recordSize: number } | { file: string; delimiter: string } | { monotonic: true };
  bootstrap: string | undefined;
  printMetrics: boolean;
  options: ProducerOptions;
}

/** Kafka's checks (argparse4j's, then ConfigPostProcessor's) and the producer settings they give. */
export function plan(args: ParsedArgs): PerfPlan {
  for (const name of ['topic', 'num-records', 'throughput']) {
    if (args[name] === undefined) throw new UsageError(`argument --${name} is required`);
  }
  const given = ['record-size', 'payload-file', 'payload-monotonic'].filter((n) => args[n] !== undefined);
  if (given.length === 0) throw new UsageError('one of the arguments --record-size --payload-file --payload-monotonic is required');
  if (given.length > 1) throw new UsageError(`argument --${given[1]}: not allowed with argument --${given[0]}`);
  const numRecords = args['num-records'] as number;
  if (numRecords <= 0) throw new UsageError('--num-records should be greater than zero');
  const recordSize = args['record-size'] as number | undefined;
  if (recordSize !== undefined && recordSize <= 0) throw new UsageError('--record-size should be greater than zero');
  const throughput = args.throughput as number;
  // Kafka's throttler waits forever at 0: a run that can never send is refused instead.
  if (throughput === 0) throw new UsageError('--throughput 0 would never send a record: give a rate in records/sec, or -1 for no limit.');

  const props: Record<string, string> = typeof args['producer.config'] === 'string' ? readPropertiesFile(args['producer.config']) : {};
  for (const prop of (args['producer-props'] as string[] | undefined) ?? []) {
    const pieces = prop.split('=');
    if (pieces.length !== 2) throw new UsageError(`Invalid property: ${prop}`);
    props[pieces[0]] = pieces[1];
  }
  if (args['transactional-id'] !== undefined || args['transaction-duration-ms'] !== undefined || props['transactional.id'] !== undefined) {
    throw new UsageError('Transactions are not supported by kafkit (--transactional-id, --transaction-duration-ms, transactional.id): run the test without them.');
  }
  props['client.id'] ??= 'perf-producer-client';
  const compression = (props['compression.type'] ?? 'none') as CompressionCodec;
  if (!CODECS.includes(compression)) throw new UsageError(`Invalid value ${compression} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd`);
  const int = (prop: string) => {
    if (props[prop] === undefined) return undefined;
    if (!/^[+-]?\d+$/.test(props[prop].trim())) throw new UsageError(`Invalid value ${props[prop]} for configuration ${prop}: Not a number of type INT`);
    return Number(props[prop]);
  };
  const bootstrap = typeof args['bootstrap-server'] === 'string' ? args['bootstrap-server'] : props['bootstrap.servers'];
  return {
    topic: String(args.topic),
    numRecords,
    throughput,
    payload:
      recordSize !== undefined
        ? { recordSize }
        : typeof args['payload-file'] === 'string'
          ? { file: args['payload-file'], delimiter: typeof args['payload-delimiter'] === 'string' && args['payload-delimiter'] !== '\\n' ? args['payload-delimiter'] : '\n' }
          : { monotonic: true },
    bootstrap,
    printMetrics: Boolean(args['print-metrics']),
    options: {
      acks: parseAcks(props.acks ?? 'all'),
      compression,
      // Java's producer defaults (4.x): linger.ms 5, batch.size 16384. Remotely librdkafka's own
      // defaults apply unless given, as for kafka-console-producer.
      batchSize: int('batch.size') ?? (bootstrap === undefined ? 16384 : undefined),
      lingerMs: int('linger.ms') ?? (bootstrap === undefined ? 5 : undefined),
      clientId: props['client.id'],
      properties: props,
      deliveryReports: true,
    },
  };
}

/**
 * The payload file split at the delimiter, a regular expression as for Java's Scanner; prints
 * Kafka's two lines about it.
 */
function readPayloads(file: string, delimiter: string, print: (line: string) => void): Buffer[] {
  const path = resolve(file);
  print(`Reading payloads from: ${path}`);
  if (!existsSync(path) || statSync(path).size === 0) throw new UsageError('File does not exist or empty file provided.');
  const tokens = readFileSync(path, 'utf8').split(new RegExp(delimiter, 'u'));
  if (tokens.length > 0 && tokens[tokens.length - 1] === '') tokens.pop();
  print(`Number of messages read: ${tokens.length}`);
  return tokens.map((t) => Buffer.from(t, 'utf8'));
}

/** A source of payloads: random capital letters of --record-size bytes, a random line of the file, or i. */
function payloadSource(p: PerfPlan, print: (line: string) => void): (i: number) => Buffer {
  let seed = 0x2545f491;
  // xorshift32: cheap and, like Kafka's SplittableRandom(0), the same sequence on every run.
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  const payload = p.payload;
  if ('recordSize' in payload) {
    // Slices of a pool of random letters: as compressible as Kafka's, without a loop per byte per record.
    const pool = Buffer.allocUnsafe(Math.max(1 << 20, payload.recordSize * 16));
    for (let i = 0; i < pool.length; i++) pool[i] = 65 + (random() % 26);
    const span = pool.length - payload.recordSize + 1;
    return () => {
      const start = random() % span;
      return pool.subarray(start, start + payload.recordSize);
    };
  }
  if ('file' in payload) {
    const list = readPayloads(payload.file, payload.delimiter, print);
    if (list.length === 0) throw new UsageError('File does not exist or empty file provided.');
    return () => list[random() % list.length];
  }
  return (i) => Buffer.from(String(i), 'utf8');
}

export async function handler(args: ParsedArgs, io: CommandIO, client?: KafkaClient): Promise<number> {
  const p = plan(args);
  const print = (line: string) => void io.stdout.write(`${line}\n`);
  const nextPayload = payloadSource(p, print);
  const owned = client === undefined;
  const kafka = client ?? (await clientFromArgs({ ...args, 'bootstrap-server': p.bootstrap }, io, p.options.properties));
  const progress = await startProgress(io, `Sending ${p.numRecords} records to ${p.topic}`);
  try {
    const producer = await kafka.producer(p.options);
    const stats = new ProducerStats(p.numRecords, progress.line);
    const throttler = new ThroughputThrottler(p.throughput, Date.now());
    let failed = 0;
    let firstFailure: Error | undefined;
    let lastYield = Date.now();
    for (let i = 0; i < p.numRecords; i++) {
      const value = nextPayload(i);
      const bytes = value.length;
      const sendStart = Date.now();
      const wait = producer.send({ topic: p.topic, key: null, value }, (error) => {
        const now = Date.now();
        // Only acknowledged records count, as in Kafka, so a failing run cannot look fast.
        if (error === undefined) stats.record(now - sendStart, bytes, now);
        else {
          failed++;
          firstFailure ??= error;
        }
      });
      if (wait !== undefined) await wait;
      if (throttler.shouldThrottle(i, sendStart)) {
        const sleep = throttler.throttle();
        if (sleep !== undefined) await sleep;
      } else if (sendStart - lastYield >= 10) {
        // Acknowledgements, linger timers and the spinner all need the event loop.
        await yieldToLoop();
      } else continue;
      lastYield = Date.now();
      progress.update(`${i + 1} of ${p.numRecords} records sent, ${stats.count} acknowledged`);
    }
    try {
      await producer.close();
    } catch (err) {
      firstFailure ??= err as Error;
    }
    progress.stop();
    print(stats.totalLine());
    if (p.printMetrics) {
      const tags = `{client-id=${p.options.clientId}}`;
      const metric = (name: string) => `producer-metrics:${name}:${tags}`;
      const seconds = stats.elapsedMs() / 1000;
      io.stdout.write(
        metricsTable(
          new Map([
            [metric('record-send-total'), stats.count],
            [metric('record-send-rate'), stats.count / seconds],
            [metric('record-error-total'), failed],
            [metric('record-size-avg'), stats.count === 0 ? 0 : stats.bytes / stats.count],
            [metric('outgoing-byte-rate'), stats.bytes / seconds],
          ]),
        ),
      );
    }
    const unreported = p.numRecords - stats.count - failed;
    if (firstFailure === undefined && unreported > 0) firstFailure = new Error(`the client reported nothing about ${unreported} records`);
    if (firstFailure === undefined) return 0;
    const what = failed > 0 ? `${failed} of ${p.numRecords} records were not acknowledged; the first failure: ` : '';
    await write(io.stderr, `Error: ${what}${errorMessage(firstFailure).replace(/^Error: /, '')}\n`);
    return toKafkitError(firstFailure).exitCode;
  } finally {
    progress.stop();
    if (owned) await kafka.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
