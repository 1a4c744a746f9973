// kafka-console-producer: lines from stdin become records (reference §2).
import type { Acks, CompressionCodec, KafkaClient, ProducerOptions, ProducerRecord } from '../client/types.js';
import { UsageError } from '../errors.js';
import { parseKeyValues, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions, topicCreatedNotice } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';
import { blockLength, blockLine, readLineBlocks } from '../input/lines.js';
import { lineReaderConfig, parseLine, type LineReaderConfig } from '../input/line-message-reader.js';
import { parseJsonRecord } from '../input/json-record-reader.js';

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
    input: { type: 'string', arg: 'text|json', defaultDescription: 'text', describe: "kafkit only: 'json' reads one JSON object per line as printed by kafka-console-consumer --output json (key, value, headers and CreateTime timestamp replayed byte for byte); reader properties do not apply." },
    'producer.config': { type: 'string', arg: 'config file', newName: 'command-config', describe: 'Producer config properties file. Note that [producer-property] takes precedence over this config.' },
  },
};

const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
const LINE_READER = /^(org\.apache\.kafka\.tools\.LineMessageReader|kafka\.tools\.ConsoleProducer\$LineMessageReader)$/;

export function parseAcks(text: string): Acks {
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '-1') return -1;
  if (t === '0') return 0;
  if (t === '1') return 1;
  throw new UsageError(`Invalid value ${text} for configuration acks: String must be one of: all, -1, 0, 1`);
}

export interface ProducerPlan {
  topic: string;
  input: 'text' | 'json';
  sync: boolean;
  reader: LineReaderConfig;
  options: ProducerOptions;
}

/**
 * The producer settings Kafka would assemble (§2.1): file, then --producer-property, then the
 * compression option (always), then each mapped option if given or if its key is still unset.
 */
export function plan(args: ParsedArgs, typingOnTerminal = false): ProducerPlan {
  if (typeof args.topic !== 'string') throw new UsageError('Missing required argument "[topic]"');
  if (typeof args['line-reader'] === 'string' && !LINE_READER.test(args['line-reader'])) {
    throw new UsageError('The reader must implement org.apache.kafka.tools.api.RecordReader interface');
  }
  const input = args.input === undefined ? 'text' : String(args.input);
  if (input !== 'text' && input !== 'json') throw new UsageError(`Invalid value '${input}' for option input: use 'text' (Kafka's line reader) or 'json' (what kafka-console-consumer --output json prints).`);
  const readerProps = {
    ...(typeof args['reader-config'] === 'string' ? readPropertiesFile(args['reader-config']) : {}),
    ...parseKeyValues(args.property as string[] | undefined),
  };
  const reader = lineReaderConfig(readerProps);
  const props: Record<string, string> = {
    ...(typeof args['producer.config'] === 'string' ? readPropertiesFile(args['producer.config']) : {}),
    ...parseKeyValues(args['producer-property'] as string[] | undefined),
  };
  const codecArg = args['compression-codec'];
  const compression = (codecArg === undefined ? 'none' : codecArg === '' ? 'gzip' : String(codecArg)) as CompressionCodec;
  if (!CODECS.includes(compression)) {
    throw new UsageError(`Invalid value ${compression} for configuration compression.type: String must be one of: none, gzip, snappy, lz4, zstd`);
  }
  props['compression.type'] = compression;
  const merge = (opt: string, prop: string, fallback: string) => {
    if (args[opt] !== undefined || props[prop] === undefined) props[prop] = args[opt] !== undefined ? String(args[opt]) : fallback;
  };
  // batch.size and linger.ms stay unset unless given: each backend has its own defaults (Java's
  // console producer's 16384 and 1000 embedded, librdkafka's remote; see ProducerOptions).
  if (args.timeout !== undefined) props['linger.ms'] = String(args.timeout);
  // Typed lines go out as Enter is pressed (Kafka lingers up to 1 s on a terminal too); piped input
  // keeps Kafka's batching.
  else if (typingOnTerminal && props['linger.ms'] === undefined) props['linger.ms'] = '0';
  merge('request-required-acks', 'acks', '-1');
  merge('request-timeout-ms', 'request.timeout.ms', '1500');
  merge('message-send-max-retries', 'retries', '3');
  merge('retry-backoff-ms', 'retry.backoff.ms', '100');
  merge('socket-buffer-size', 'send.buffer.bytes', '102400');
  merge('max-memory-bytes', 'buffer.memory', '33554432');
  const batchArg = args['max-partition-memory-bytes'] ?? args['batch-size'];
  if (batchArg !== undefined) props['batch.size'] = String(batchArg);
  merge('metadata-expiry-ms', 'metadata.max.age.ms', '300000');
  merge('max-block-ms', 'max.block.ms', '60000');
  props['client.id'] ??= 'console-producer';
  const int = (prop: string) => {
    if (props[prop] === undefined) return undefined;
    const v = props[prop].trim();
    if (!/^[+-]?\d+$/.test(v)) throw new UsageError(`Invalid value ${props[prop]} for configuration ${prop}: Not a number of type INT`);
    return Number(v);
  };
  return {
    topic: args.topic,
    input,
    sync: Boolean(args.sync),
    reader,
    options: {
      acks: parseAcks(props.acks),
      compression,
      batchSize: int('batch.size'),
      lingerMs: int('linger.ms'),
      clientId: props['client.id'],
      properties: props,
    },
  };
}

/**
 * Runs the tool. `client` is for tests (an in-memory KafkaClient); without it the client comes
 * from --bootstrap-server / $KAFKIT_DATA_DIR as for every tool.
 */
export async function handler(args: ParsedArgs, io: CommandIO, client?: KafkaClient): Promise<number> {
  const p = plan(args, Boolean(io.stdin.isTTY));
  const owned = client === undefined;
  const kafka = client ?? (await clientFromArgs(args, io, p.options.properties));
  let stopped: 130 | 143 | undefined;
  const stop = (code: 130 | 143) => () => {
    stopped ??= code;
    // Ends the read loop; what was read is still flushed below, as Kafka's shutdown hook does.
    (io.stdin as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  };
  const onInt = stop(130);
  const onTerm = stop(143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const producer = await kafka.producer({ ...p.options, onTopicCreated: topicCreatedNotice(io) });
    const { topic, sync, reader } = p;
    const json = p.input === 'json';
    const interactive = io.isTTY;
    const plain = !json && !reader.parseKey && !reader.parseHeaders;
    const nullMarker = reader.nullMarkerBytes;
    let lineNumber = 0;
    let badLine: unknown;
    try {
      if (interactive) await write(io.stdout, '>');
      // The plain line reader, piped in: whole blocks of lines go to the producer as positions in
      // the bytes read, with no Buffer or record object per line.
      const sendValues = plain && !interactive && !sync ? producer.sendValues?.bind(producer) : undefined;
      const one = { starts: new Int32Array(1), ends: new Int32Array(1) };
      outer: for await (const block of readLineBlocks(io.stdin as AsyncIterable<Buffer>)) {
        if (sendValues !== undefined) {
          if (block.head !== null) {
            one.starts[0] = 0;
            one.ends[0] = block.head.length;
            if (nullMarker !== undefined) markNulls(block.head, one.starts, one.ends, 1, nullMarker);
            const wait = sendValues(topic, block.head, one.starts, one.ends, 1);
            if (wait !== undefined) await wait;
          }
          if (nullMarker !== undefined) markNulls(block.data, block.starts, block.ends, block.count, nullMarker);
          const wait = sendValues(topic, block.data, block.starts, block.ends, block.count);
          if (wait !== undefined) await wait;
          continue;
        }
        const lines = blockLength(block);
        for (let i = 0; i < lines; i++) {
          lineNumber++;
          const line = blockLine(block, i);
          let record: ProducerRecord;
          try {
            if (plain) {
              // The default reader (no parse.key, no parse.headers): the line is the value.
              record = { topic, key: null, value: nullMarker !== undefined && line.equals(nullMarker) ? null : line, headers: undefined };
            } else if (json) {
              const r = parseJsonRecord(line, lineNumber);
              record = { topic, key: r.key, value: r.value, headers: r.headers, timestamp: r.timestamp };
            } else {
              const r = parseLine(reader, line, lineNumber);
              record = { topic, key: r.key, value: r.value, headers: r.headers };
            }
          } catch (err) {
            // A bad line stops everything: what came before it is flushed, nothing after.
            badLine = err;
            break outer;
          }
          const wait = producer.send(record);
          if (wait !== undefined) await wait;
          if (sync) await producer.flush();
          if (interactive) await write(io.stdout, '>');
        }
      }
    } catch (err) {
      // Destroying stdin on a signal ends the iteration with a premature-close error.
      if (stopped === undefined) throw err;
    }
    await producer.close();
    if (badLine !== undefined) throw badLine;
    return stopped ?? 0;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (owned) await kafka.close();
  }
}

/** Lines equal to null.marker become null values (a start of -1), as the line reader makes them. */
function markNulls(data: Buffer, starts: Int32Array, ends: Int32Array, count: number, marker: Buffer): void {
  const m = marker.length;
  for (let k = 0; k < count; k++) {
    if (ends[k] - starts[k] === m && data.compare(marker, 0, m, starts[k], ends[k]) === 0) starts[k] = -1;
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
