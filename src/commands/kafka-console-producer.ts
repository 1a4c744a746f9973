// kafka-console-producer: lines from stdin become records (reference §2).
import type { Acks, CompressionCodec } from '../client/types.js';
import { UsageError } from '../errors.js';
import { parseKeyValues, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';
import { readLines } from '../input/lines.js';
import { lineReaderConfig, parseLine } from '../input/line-message-reader.js';

export const tool: ToolSpec = {
  name: 'kafka-console-producer',
  description: 'This tool helps to read data from standard input and publish it to Kafka.',
  options: {
    ...connectionOptions,
    topic: { type: 'string', arg: 'topic', describe: 'REQUIRED: The topic id to produce messages to.' },
    sync: { type: 'boolean', describe: 'If set message send requests to the brokers are synchronously, one at a time as they arrive.' },
    'compression-codec': { type: 'string', arg: 'compression-codec', optionalValue: true, describe: "The compression codec: either 'none', 'gzip', 'snappy', 'lz4', or 'zstd'. If specified without value, then it defaults to 'gzip'." },
    'batch-size': { type: 'number', arg: 'size', defaultDescription: '16384', describe: 'Number of messages to send in a single batch if they are not being sent synchronously. please note that this option will be replaced if max-partition-memory-bytes is also set.' },
    'max-partition-memory-bytes': { type: 'number', arg: 'memory in bytes per partition', defaultDescription: '16384', describe: 'The buffer size allocated for a partition.' },
    'message-send-max-retries': { type: 'number', arg: 'retries', defaultDescription: '3', describe: 'Number of retries before the producer gives up.' },
    'retry-backoff-ms': { type: 'number', arg: 'ms', defaultDescription: '100', describe: 'Wait before each retry.' },
    timeout: { type: 'number', arg: 'timeout_ms', defaultDescription: '1000', describe: 'If set and the producer is running in asynchronous mode, this gives the maximum amount of time a message will queue awaiting sufficient batch size (linger.ms).' },
    'request-required-acks': { type: 'string', arg: 'request required acks', defaultDescription: '-1', describe: 'The required acks of the producer requests: -1/all, 0 or 1.' },
    'request-timeout-ms': { type: 'number', arg: 'request timeout ms', defaultDescription: '1500', describe: 'The ack timeout of the producer requests.' },
    'metadata-expiry-ms': { type: 'number', arg: 'metadata expiration interval', defaultDescription: '300000', describe: 'The period of time in milliseconds after which we force a refresh of metadata.' },
    'max-block-ms': { type: 'number', arg: 'max block on send', defaultDescription: '60000', describe: 'The max time that the producer will block for during a send request.' },
    'max-memory-bytes': { type: 'number', arg: 'total memory in bytes', defaultDescription: '33554432', describe: 'The total memory used by the producer to buffer records waiting to be sent to the server.' },
    'socket-buffer-size': { type: 'number', arg: 'size', defaultDescription: '102400', describe: 'The size of the tcp RECV size.' },
    'line-reader': { type: 'string', arg: 'reader_class', describe: 'The class name of the class to use for reading lines from standard in. Only the default LineMessageReader is supported.' },
    property: { type: 'string', arg: 'prop', repeatable: true, newName: 'reader-property', describe: 'A mechanism to pass user-defined properties in the form key=value to the message reader: parse.key, key.separator, parse.headers, headers.delimiter, headers.separator, headers.key.separator, null.marker, ignore.error.' },
    'reader-config': { type: 'string', arg: 'config file', describe: 'Config properties file for the message reader. Note that [property] takes precedence over this config.' },
    'producer-property': { type: 'string', arg: 'producer_prop', repeatable: true, newName: 'command-property', describe: 'A mechanism to pass user-defined properties in the form key=value to the producer.' },
    'producer.config': { type: 'string', arg: 'config file', newName: 'command-config', describe: 'Producer config properties file. Note that [producer-property] takes precedence over this config.' },
  },
};

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const LINE_READER = /^(org\.apache\.kafka\.tools\.LineMessageReader|kafka\.tools\.ConsoleProducer\$LineMessageReader)$/;

function parseAcks(text: string): Acks {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '-1') return -1;
  if (t === '0') return 0;
  if (t === '1') return 1;
  throw new UsageError(`Invalid value ${text} for configuration acks: String must be one of: all, -1, 0, 1`);
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  if (typeof args.topic !== 'string') throw new UsageError('Missing required argument "[topic]"');
  if (typeof args['line-reader'] === 'string' && !LINE_READER.test(args['line-reader'])) {
    throw new UsageError('The reader must implement org.apache.kafka.tools.api.RecordReader interface');
  }
  const readerProps = {
    ...(typeof args['reader-config'] === 'string' ? readPropertiesFile(args['reader-config']) : {}),
    ...parseKeyValues(args.property as string[] | undefined),
  };
  const reader = lineReaderConfig(readerProps);
  const props = {
    ...(typeof args['producer.config'] === 'string' ? readPropertiesFile(args['producer.config']) : {}),
    ...parseKeyValues(args['producer-property'] as string[] | undefined),
  };
  const codecArg = args['compression-codec'];
  const compression = (codecArg === undefined ? 'none' : codecArg === '' ? 'gzip' : String(codecArg)) as CompressionCodec;
  if (!CODECS.includes(compression)) {
    throw new UsageError(`Invalid value ${compression} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd`);
  }
  // As in Kafka: an option given explicitly wins; otherwise a property wins over the tool default.
  const pick = (opt: string, prop: string, fallback: string) => (args[opt] !== undefined ? String(args[opt]) : props[prop] ?? fallback);
  const batchSize = Number(args['max-partition-memory-bytes'] ?? pick('batch-size', 'batch.size', '16384'));
  const lingerMs = Number(pick('timeout', 'linger.ms', '1000'));
  const acks = parseAcks(pick('request-required-acks', 'acks', '-1'));
  const client = await clientFromArgs(args, io, props);
  let producer: Awaited<ReturnType<typeof client.producer>> | undefined;
  try {
    producer = await client.producer({ acks, compression, batchSize, lingerMs, clientId: props['client.id'] ?? 'console-producer', properties: props });
    const topic = args.topic;
    const sync = Boolean(args.sync);
    const interactive = io.isTTY;
    if (interactive) await write(io.stdout, '>');
    let lineNumber = 0;
    for await (const lines of readLines(io.stdin as AsyncIterable<Buffer>)) {
      for (const line of lines) {
        lineNumber++;
        // A bad line stops everything: what came before it is flushed in finally, nothing after.
        const rec = parseLine(reader, line, lineNumber);
        const wait = producer.send({ topic, key: rec.key, value: rec.value, headers: rec.headers });
        if (wait) await wait;
        if (sync) await producer.flush();
        if (interactive) await write(io.stdout, '>');
      }
    }
    await producer.flush();
    return 0;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
