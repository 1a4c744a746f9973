// kafka-console-consumer: records to stdout, `Processed a total of N messages` on stderr on every
// way out (reference §3).
import type { AssignmentStrategy, Consumer, ConsumerRecord, KafkaClient, TopicPartition } from '../client/types.js';
import { CorruptBatchError, UsageError } from '../errors.js';
import { parseKeyValues, reportError, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions, topicCreatedNotice } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';
import { parseInstant } from '../input/instant.js';
import { OutputBuffer, formatInto, formatJsonInto, formatterConfig, printsValueOnly } from '../format/message-formatter.js';

export const tool: ToolSpec = {
  name: 'kafka-console-consumer',
  description: 'This tool helps to read data from Kafka topics and outputs it to standard output.',
  options: {
    ...connectionOptions,
    topic: { type: 'string', arg: 'topic', describe: 'The topic to consume on.' },
    include: { type: 'string', arg: 'Java regex (String)', describe: 'Regular expression specifying list of topics to include for consumption.' },
    partition: { type: 'number', arg: 'Integer: partition', describe: 'The partition to consume from. Consumption starts from the end of the partition unless --offset is specified.' },
    offset: { type: 'string', arg: 'consume offset', defaultDescription: 'latest', describe: "The offset to consume from (a non-negative number), or 'earliest' which means from beginning, or 'latest' which means from end." },
    'from-beginning': { type: 'boolean', describe: 'If the consumer does not already have an established offset to consume from, start with the earliest message present in the log rather than the latest message.' },
    group: { type: 'string', arg: 'consumer group id', describe: 'The consumer group id of the consumer.' },
    'max-messages': { type: 'number', arg: 'Integer: num_messages', describe: 'The maximum number of messages to consume before exiting. If not set, consumption is continual.' },
    'timeout-ms': { type: 'number', arg: 'Integer: timeout_ms', describe: 'If specified, exit if no message is available for consumption for the specified interval.' },
    'skip-message-on-error': { type: 'boolean', describe: 'If there is an error when processing a message, skip it instead of halt.' },
    formatter: { type: 'string', arg: 'class', describe: 'The name of a class to use for formatting Kafka messages for display. Only the DefaultMessageFormatter is supported.' },
    property: { type: 'string', arg: 'prop', repeatable: true, newName: 'formatter-property', describe: 'The properties to initialize the message formatter: print.timestamp, print.key, print.offset, print.partition, print.headers, print.value, key.separator, line.separator, headers.separator, null.literal, key.deserializer, value.deserializer, headers.deserializer, and (kafkit only) print.timestamp.format=epoch|iso.' },
    'formatter-config': { type: 'string', arg: 'config file', describe: 'Config properties file to initialize the message formatter. Note that [property] takes precedence over this config.' },
    'key-deserializer': { type: 'string', arg: 'deserializer for key', describe: "How to print keys: one of Kafka's org.apache.kafka.common.serialization String, ByteArray, Bytes, Long, Integer, Short, Double, Float, UUID or Void Deserializer." },
    'value-deserializer': { type: 'string', arg: 'deserializer for values', describe: "How to print values: one of Kafka's org.apache.kafka.common.serialization String, ByteArray, Bytes, Long, Integer, Short, Double, Float, UUID or Void Deserializer." },
    'consumer-property': { type: 'string', arg: 'consumer_prop', repeatable: true, newName: 'command-property', describe: 'A mechanism to pass user-defined properties in the form key=value to the consumer.' },
    'consumer.config': { type: 'string', arg: 'config file', newName: 'command-config', describe: 'Consumer config properties file. Note that [consumer-property] takes precedence over this config.' },
    'isolation-level': { type: 'string', arg: 'isolation level', defaultDescription: 'read_uncommitted', describe: 'Set to read_committed in order to filter out transactional messages which are not committed. Set to read_uncommitted to read all messages.' },
    'from-timestamp': { type: 'string', arg: 'instant', describe: 'kafkit only: start every partition at its first record with a timestamp at or after this instant: ISO-8601 (no zone means UTC), epoch ms, now, or a time before now (-15s, -30m, -1h, -2d).' },
    'to-timestamp': { type: 'string', arg: 'instant', describe: 'kafkit only: stop every partition before its first record with a timestamp at or after this instant (same forms as --from-timestamp), and exit once all are done.' },
    'to-end': { type: 'boolean', describe: 'kafkit only: stop once every partition is read up to its end offset as of start.' },
    tail: { type: 'number', arg: 'Integer: N', describe: 'kafkit only: print the last N records of each partition and exit.' },
    output: { type: 'string', arg: 'text|json', defaultDescription: 'text', describe: "kafkit only: 'json' prints one JSON object per record (topic, partition, offset, timestamp, timestampType, key, value, headers), lossless: bytes that are not UTF-8 are base64 and say so in keyEncoding/valueEncoding; kafka-console-producer --input json replays it." },
    'enable-systest-events': { type: 'boolean', describe: 'Log lifecycle events of the consumer in addition to logging consumed messages. (This is specific for system tests.)' },
  },
};

// Records per pollValues call: a fetch's worth at 100 bytes, so that a write to stdout carries ~1 MB.
const POLL_VALUES = 10_000;

const FORMATTER = /^(org\.apache\.kafka\.tools\.consumer\.|kafka\.tools\.)?DefaultMessageFormatter$/;

interface Plan {
  groupId: string;
  explicitGroup: boolean;
  autoCommit: boolean;
  autoOffsetReset: 'earliest' | 'latest' | 'none';
  start: number | 'earliest' | 'latest' | undefined;
  consumerProps: Record<string, string>;
}

/** Kafka's checks in Kafka's order (§3.2), and the consumer settings they imply (§3.3). */
export function plan(args: ParsedArgs, random = Math.random): Plan {
  const hasTopic = typeof args.topic === 'string';
  if (hasTopic === (typeof args.include === 'string')) throw new UsageError('Exactly one of --include/--topic is required. ');
  const partition = args.partition as number | undefined;
  if (partition !== undefined && !hasTopic) throw new UsageError('The topic is required when partition is specified.');
  if (partition !== undefined && args['from-beginning'] && args.offset !== undefined) throw new UsageError('Options from-beginning and offset cannot be specified together.');
  if (args.offset !== undefined && partition === undefined) throw new UsageError('The partition is required when offset is specified.');
  const props = {
    ...(typeof args['consumer.config'] === 'string' ? readPropertiesFile(args['consumer.config']) : {}),
  };
  const fileGroup = props['group.id'];
  Object.assign(props, parseKeyValues(args['consumer-property'] as string[] | undefined));
  const ids = [args.group as string | undefined, parseKeyValues(args['consumer-property'] as string[] | undefined)['group.id'], fileGroup].filter((g): g is string => g !== undefined);
  const distinct = [...new Set(ids)];
  if (distinct.length > 1) {
    throw new UsageError(
      `The group ids provided in different places (directly using '--group', via '--consumer-property', or via '--consumer.config') do not match. Detected group ids: ${distinct.map((g) => `'${g}'`).join(', ')}`,
    );
  }
  if (distinct.length === 1 && partition !== undefined) throw new UsageError('Options group and partition cannot be specified together.');
  let start: Plan['start'];
  if (args.offset !== undefined) {
    const o = String(args.offset).toLowerCase();
    if (o === 'earliest' || o === 'latest') start = o;
    else if (/^\d+$/.test(o)) start = Number(o);
    else throw new UsageError(`The provided offset value '${args.offset}' is incorrect. Valid values are 'earliest', 'latest', or a non-negative long.`);
  } else if (partition !== undefined) start = args['from-beginning'] ? 'earliest' : 'latest';
  const reset = props['auto.offset.reset'];
  if (args['from-beginning'] && reset !== undefined && reset !== 'earliest') {
    throw new UsageError(`Can't simultaneously specify --from-beginning and 'auto.offset.reset=${reset}', please remove one option`);
  }
  const autoOffsetReset = (reset ?? (args['from-beginning'] ? 'earliest' : 'latest')) as Plan['autoOffsetReset'];
  const explicitGroup = distinct.length === 1;
  const groupId = explicitGroup ? distinct[0] : `console-consumer-${Math.floor(random() * 100000)}`;
  const autoCommit = explicitGroup ? (props['enable.auto.commit'] ?? 'true').trim().toLowerCase() === 'true' : props['enable.auto.commit']?.trim().toLowerCase() === 'true';
  return { groupId, explicitGroup, autoCommit, autoOffsetReset, start, consumerProps: props };
}

/**
 * Runs the tool. `client` is for tests (an in-memory KafkaClient); without it the client comes
 * from --bootstrap-server / $KAFKIT_DATA_DIR as for every tool.
 */
export async function handler(args: ParsedArgs, io: CommandIO, client?: KafkaClient): Promise<number> {
  const p = plan(args);
  if (typeof args.formatter === 'string' && !FORMATTER.test(args.formatter)) {
    throw new UsageError(`Formatter ${args.formatter} is not supported: kafkit prints with the DefaultMessageFormatter only.`);
  }
  const output = args.output === undefined ? 'text' : String(args.output);
  if (output !== 'text' && output !== 'json') throw new UsageError(`Invalid value '${output}' for option output: use 'text' (the DefaultMessageFormatter) or 'json' (one lossless JSON object per record).`);
  const isolation = (args['isolation-level'] as string | undefined) ?? p.consumerProps['isolation.level'] ?? 'read_uncommitted';
  if (isolation !== 'read_committed' && isolation !== 'read_uncommitted') {
    throw new UsageError(`Invalid value ${isolation} for configuration isolation.level: String must be one of: read_committed, read_uncommitted`);
  }
  // Formatter properties: file < --key-/--value-deserializer < --property (§3.1).
  const fmt = formatterConfig({
    ...(typeof args['formatter-config'] === 'string' ? readPropertiesFile(args['formatter-config']) : {}),
    ...(typeof args['key-deserializer'] === 'string' ? { 'key.deserializer': args['key-deserializer'] } : {}),
    ...(typeof args['value-deserializer'] === 'string' ? { 'value.deserializer': args['value-deserializer'] } : {}),
    ...parseKeyValues(args.property as string[] | undefined),
  });
  const formatOne = output === 'json' ? (r: ConsumerRecord, out: OutputBuffer) => formatJsonInto(r, out) : (r: ConsumerRecord, out: OutputBuffer) => formatInto(fmt, r, out);
  const maxMessages = args['max-messages'] as number | undefined;
  const timeoutMs = (args['timeout-ms'] as number | undefined) ?? -1;
  const range = timeRange(args, p, Date.now());
  if (output === 'json' && (fmt.keyDeserializer || fmt.valueDeserializer || fmt.headersDeserializer)) {
    throw new UsageError('Options output json and the key/value/headers deserializers cannot be used together: --output json prints the bytes themselves.');
  }

  const owned = client === undefined;
  const kafka = client ?? (await clientFromArgs(args, io, p.consumerProps));
  let consumer: Consumer | undefined;
  let reported = false;
  let count = 0;
  let stopped: 'signal-int' | 'signal-term' | 'stdout' | undefined;
  const onSignal = (sig: 'signal-int' | 'signal-term') => () => {
    stopped ??= sig;
    consumer?.wakeup();
  };
  const onInt = onSignal('signal-int');
  const onTerm = onSignal('signal-term');
  // A closed stdout (`| head`): stop, but still print the summary and commit exactly what was printed.
  // Listening here also tells runMain not to exit at once on EPIPE.
  const onStdoutError = () => {
    stopped ??= 'stdout';
    consumer?.wakeup();
  };
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  io.stdout.on('error', onStdoutError);
  let unprinted: ConsumerRecord[] = [];
  /** --to-end: fetched records past the end offsets, un-consumed on the way out like unprinted ones. */
  const beyondEnd: ConsumerRecord[] = [];
  const out = new OutputBuffer(256 * 1024);
  try {
    consumer = await kafka.consumer({
      groupId: p.groupId,
      privateGroup: !p.explicitGroup,
      clientId: p.consumerProps['client.id'] ?? 'console-consumer',
      autoCommit: p.autoCommit,
      autoOffsetReset: p.autoOffsetReset,
      isolationLevel: isolation,
      assignmentStrategy: assignor(p.consumerProps['partition.assignment.strategy']),
      sessionTimeoutMs: Number(p.consumerProps['session.timeout.ms'] ?? 45000),
      heartbeatIntervalMs: Number(p.consumerProps['heartbeat.interval.ms'] ?? 3000),
      properties: p.consumerProps,
      onTopicCreated: topicCreatedNotice(io),
    });
    if (args.partition !== undefined) {
      const tp: TopicPartition = { topic: String(args.topic), partition: Number(args.partition) };
      await consumer.assign([tp]);
      await consumer.seek(tp, p.start ?? 'latest');
    } else if (typeof args.include === 'string') {
      await consumer.subscribe(new RegExp(`^(?:${args.include})$`));
    } else {
      await consumer.subscribe([String(args.topic)]);
    }
    // --from-timestamp / --to-timestamp / --to-end / --tail: per-partition start and end offsets,
    // looked up once at start.
    const bounds = range.bounded ? await partitionBounds(kafka, args, p, range) : undefined;
    const seeked = new Set<string>();
    const seekNewPartitions = async () => {
      if (!bounds?.start) return new Set<string>();
      const fresh = new Set<string>();
      for (const tp of consumer!.assignment()) {
        const k = `${tp.topic}\0${tp.partition}`;
        const start = bounds.start.get(k);
        if (seeked.has(k) || start === undefined) continue;
        await consumer!.seek(tp, start);
        seeked.add(k);
        fresh.add(k);
      }
      return fresh;
    };
    await seekNewPartitions();
    // --skip-message-on-error also skips a batch the consumer cannot read, and says which.
    const skippingCorrupt = async <T>(poll: () => Promise<T>, none: T): Promise<T> => {
      try {
        return await poll();
      } catch (err) {
        if (!(err instanceof CorruptBatchError) || !args['skip-message-on-error']) throw err;
        await write(io.stderr, `Skipping the corrupt record batch of ${err.topic}-${err.partition} at offsets ${err.offset} to ${err.nextOffset - 1}: ${err.reason}\n`);
        await consumer!.seek({ topic: err.topic, partition: err.partition }, err.nextOffset);
        return none;
      }
    };
    let lastRecordAt = Date.now();
    // The embedded backend's fast path for the default output (values only): a batch at a time,
    // with no object per record. Bounded runs filter records, so they take poll().
    const pollValues = output === 'text' && bounds === undefined && printsValueOnly(fmt) ? consumer.pollValues?.bind(consumer) : undefined;
    const lines = { separator: fmt.lineSeparator, nullLiteral: fmt.nullLiteral };
    while (pollValues !== undefined && !stopped && (maxMessages === undefined || count < maxMessages)) {
      const wait = timeoutMs >= 0 ? Math.max(0, timeoutMs - (Date.now() - lastRecordAt)) : 1000;
      const n = await skippingCorrupt(() => pollValues(wait, maxMessages === undefined ? POLL_VALUES : Math.min(POLL_VALUES, maxMessages - count), lines, out), 0);
      count += n;
      if (n === 0) {
        if (timeoutMs >= 0 && Date.now() - lastRecordAt >= timeoutMs) break;
        continue;
      }
      lastRecordAt = Date.now();
      if (out.length > 0) await write(io.stdout, out.take());
    }
    while (pollValues === undefined && !stopped && (maxMessages === undefined || count < maxMessages)) {
      const wait = timeoutMs >= 0 ? Math.max(0, timeoutMs - (Date.now() - lastRecordAt)) : bounds?.end ? 200 : 1000;
      let records = await skippingCorrupt(() => consumer!.poll(wait), []);
      // Records fetched from a partition's old position before it was moved to the timestamp.
      const fresh = await seekNewPartitions();
      if (fresh.size > 0) records = records.filter((r) => !fresh.has(`${r.topic}\0${r.partition}`));
      if (bounds?.end) {
        const kept: ConsumerRecord[] = [];
        for (const r of records) {
          const k = `${r.topic}\0${r.partition}`;
          const end = bounds.end.get(k);
          bounds.position.set(k, r.offset + 1);
          if (end !== undefined && r.offset >= end) beyondEnd.push(r);
          else kept.push(r);
        }
        records = kept;
        // Done once every assigned partition's position reached its end offset. (An empty poll
        // proves nothing: over the network the fetch from a new position may still be on its way.)
        if (records.length === 0 && reachedEnds(consumer.assignment(), bounds)) break;
      }
      if (records.length === 0) {
        if (timeoutMs >= 0 && Date.now() - lastRecordAt >= timeoutMs) break;
        continue;
      }
      lastRecordAt = Date.now();
      let i = 0;
      for (; i < records.length && (maxMessages === undefined || count < maxMessages); i++) {
        count++;
        const mark = out.length;
        try {
          formatOne(records[i], out);
        } catch (err) {
          out.truncate(mark);
          if (!args['skip-message-on-error']) {
            unprinted = records.slice(i + 1);
            // The records before it are printed, as Kafka's PrintStream has written them.
            if (out.length > 0) await write(io.stdout, out.take());
            throw err;
          }
          await write(io.stderr, `Error processing message, skipping this message: ${(err as Error).message}\n`);
        }
      }
      unprinted = records.slice(i);
      // Awaiting the write is the backpressure: no next poll until stdout took this one.
      if (out.length > 0) await write(io.stdout, out.take());
    }
    if (stopped === 'stdout') await write(io.stderr, 'Unable to write to standard out, closing consumer.\n');
    return stopped === 'signal-int' ? 130 : stopped === 'signal-term' ? 143 : 0;
  } catch (err) {
    // The error that ended the run goes before "Processed a total of N messages", as Kafka logs a
    // failed poll before its count: the last line is then the count, the error is right above it.
    if (consumer === undefined) throw err;
    reported = true;
    return await reportError(io, err);
  } finally {
    let closeFailed: number | undefined;
    try {
      if (consumer) {
        // Un-consume what was fetched but not printed, so that the commit on close is exact.
        const firstUnprinted = new Map<string, ConsumerRecord>();
        for (const r of [...unprinted, ...beyondEnd]) {
          const k = `${r.topic}\0${r.partition}`;
          const seen = firstUnprinted.get(k);
          if (!seen || r.offset < seen.offset) firstUnprinted.set(k, r);
        }
        for (const r of firstUnprinted.values()) await consumer.seek({ topic: r.topic, partition: r.partition }, r.offset);
        try {
          await consumer.close();
        } catch (err) {
          // The last commit refused (a full disk): reported above the count too, unless an error already was.
          if (!reported) closeFailed = await reportError(io, err);
        }
      }
      if (owned) await kafka.close();
    } finally {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      io.stdout.off('error', onStdoutError);
      if (consumer) await write(io.stderr, `Processed a total of ${count} messages\n`);
    }
    // eslint-disable-next-line no-unsafe-finally -- a failed close turns a clean run into a failed one
    if (closeFailed !== undefined) return closeFailed;
  }
}

/** What bounds a run: kafkit's --from-timestamp, --to-timestamp, --to-end and --tail. */
interface TimeRange {
  bounded: boolean;
  fromTimestamp?: number;
  toTimestamp?: number;
  toEnd: boolean;
  tail?: number;
}

/**
 * The range flags, checked against each other and Kafka's start flags. --tail chooses where each
 * partition starts and ends, so any other start (an offset, the beginning, a timestamp, a group's
 * committed offsets) or end contradicts it.
 */
export function timeRange(args: ParsedArgs, p: Plan, now: number): TimeRange {
  const instant = (flag: string) => (typeof args[flag] === 'string' ? parseInstant(flag, args[flag] as string, now) : undefined);
  const fromTimestamp = instant('from-timestamp');
  const toTimestamp = instant('to-timestamp');
  const toEnd = Boolean(args['to-end']);
  if (fromTimestamp !== undefined && (args.offset !== undefined || args['from-beginning'])) {
    throw new UsageError(`Options from-timestamp and ${args.offset !== undefined ? 'offset' : 'from-beginning'} cannot be specified together.`);
  }
  if (fromTimestamp !== undefined && toTimestamp !== undefined && fromTimestamp > toTimestamp) {
    throw new UsageError(`The --from-timestamp instant (${new Date(fromTimestamp).toISOString()}) is after the --to-timestamp instant (${new Date(toTimestamp).toISOString()}).`);
  }
  let tail: number | undefined;
  if (args.tail !== undefined) {
    tail = Number(args.tail);
    if (!Number.isSafeInteger(tail) || tail < 1) throw new UsageError(`The provided tail value '${args.tail}' is incorrect. Valid values are positive integers.`);
    const other = [
      ['offset', args.offset !== undefined],
      ['from-beginning', args['from-beginning']],
      ['from-timestamp', fromTimestamp !== undefined],
      ['to-timestamp', toTimestamp !== undefined],
      ['group', p.explicitGroup],
    ].find(([, given]) => given);
    if (other) throw new UsageError(`Options tail and ${other[0]} cannot be specified together.`);
  }
  return { bounded: fromTimestamp !== undefined || toTimestamp !== undefined || toEnd || tail !== undefined, fromTimestamp, toTimestamp, toEnd, tail };
}

/** True when the member has partitions and each one's position is at or past its end offset. */
function reachedEnds(assignment: TopicPartition[], bounds: { end?: Map<string, number>; position: Map<string, number> }): boolean {
  if (assignment.length === 0) return false;
  return assignment.every((tp) => {
    const k = `${tp.topic}\0${tp.partition}`;
    const end = bounds.end?.get(k);
    const position = bounds.position.get(k);
    return end === undefined || (position !== undefined && position >= end);
  });
}

/**
 * Each partition's start offset (a timestamp's or the tail's) and end offset (the end as of now,
 * or a timestamp's), for every partition the run may read, and each partition's position before
 * the first record: where the run starts it, or else the group's committed offset, or else where
 * the reset policy puts it.
 */
async function partitionBounds(kafka: KafkaClient, args: ParsedArgs, p: Plan, range: TimeRange) {
  const admin = await kafka.admin();
  let partitions: TopicPartition[];
  if (args.partition !== undefined) partitions = [{ topic: String(args.topic), partition: Number(args.partition) }];
  else {
    const names = typeof args.include === 'string' ? (await admin.listTopics()).filter((n) => new RegExp(`^(?:${args.include})$`).test(n)) : [String(args.topic)];
    const existing = new Set(await admin.listTopics({ includeInternal: true }));
    const described = await admin.describeTopics(names.filter((n) => existing.has(n)));
    partitions = described.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition })));
  }
  const key = (tp: TopicPartition) => `${tp.topic}\0${tp.partition}`;
  let start: Map<string, number> | undefined;
  let end: Map<string, number> | undefined;
  const position = new Map<string, number>();
  if (partitions.length === 0) return { start, end, position };
  const offsets = async (spec: 'earliest' | 'latest' | { timestamp: number }) => (await admin.listOffsets(partitions.map((tp) => ({ ...tp, spec })))).map((o) => o.offset);
  const latest = await offsets('latest');
  const earliest = await offsets('earliest');
  // No record at or after an instant: that end is the end offset, as Kafka's offsetsForTimes implies.
  const atOrAfter = async (timestamp: number) => (await offsets({ timestamp })).map((o, i) => (o >= 0 ? o : latest[i]));
  if (range.fromTimestamp !== undefined) {
    const at = await atOrAfter(range.fromTimestamp);
    start = new Map(partitions.map((tp, i) => [key(tp), at[i]]));
  }
  if (range.tail !== undefined) start = new Map(partitions.map((tp, i) => [key(tp), Math.max(earliest[i], latest[i] - range.tail!)]));
  if (range.toTimestamp !== undefined) {
    const at = await atOrAfter(range.toTimestamp);
    end = new Map(partitions.map((tp, i) => [key(tp), at[i]]));
  } else if (range.toEnd || range.tail !== undefined) end = new Map(partitions.map((tp, i) => [key(tp), latest[i]]));
  if (end) {
    const committed = p.explicitGroup && !start && p.start === undefined ? await admin.fetchCommittedOffsets(p.groupId, partitions) : [];
    const committedAt = new Map(committed.filter((c) => c.offset >= 0).map((c) => [key(c), c.offset]));
    partitions.forEach((tp, i) => {
      const k = key(tp);
      const explicit = start?.get(k) ?? (typeof p.start === 'number' ? p.start : undefined);
      const policy = p.start ?? p.autoOffsetReset;
      const at = explicit ?? committedAt.get(k) ?? (policy === 'earliest' ? earliest[i] : policy === 'latest' ? latest[i] : undefined);
      if (at !== undefined) position.set(k, at);
    });
  }
  return { start, end, position };
}

/** partition.assignment.strategy as a class name list or a short name; the first one wins. */
export function assignor(value: string | undefined): AssignmentStrategy {
  const first = (value ?? 'range').split(',')[0].trim();
  const short = first.replace(/^.*\./, '').replace(/Assignor$/, '');
  if (/^range$/i.test(short)) return 'range';
  if (/^(roundrobin|round-robin)$/i.test(short)) return 'roundrobin';
  if (/^sticky$/i.test(short)) return 'sticky';
  if (/^(cooperativesticky|cooperative-sticky)$/i.test(short)) return 'cooperative-sticky';
  throw new UsageError(`Invalid value ${value} for configuration partition.assignment.strategy: use range, roundrobin, sticky or cooperative-sticky (or their Kafka class names).`);
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
