// kafka-get-offsets (Kafka's GetOffsetShell): the offsets of partitions at a point in time.
import type { Admin, OffsetSpec, TopicPartition, TopicPartitionOffset } from '../client/types.js';
import { readPropertiesFile } from '../config/properties.js';
import { UnsupportedVersionError, UsageError } from '../errors.js';
import { errorMessage, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { TOPIC_PARTITION_PATTERN, filterFromRules, filterFromTopicAndPartitions, type TopicPartitionFilter } from './topic-partition-filter.js';
import { formatOffsets, formatSkippedPartition } from '../format/offsets.js';

export const tool: ToolSpec = {
  name: 'kafka-get-offsets',
  description: 'An interactive shell for getting topic-partition offsets.',
  options: {
    ...connectionOptions,
    'topic-partitions': {
      type: 'string',
      arg: 'topic1:1,topic2:0-3,topic3,topic4:5-,topic5:-3',
      describe: `Comma separated list of topic-partition patterns to get the offsets for, with the format of '${TOPIC_PARTITION_PATTERN}'. The first group is an optional regex for the topic name, if omitted, it matches any topic name. The section after ':' describes a 'partition' pattern, which can be: a number, a range in the format of 'NUMBER-NUMBER' (lower inclusive, upper exclusive), an inclusive lower bound in the format of 'NUMBER-', an exclusive upper bound in the format of '-NUMBER' or may be omitted to accept all partitions.`,
    },
    topic: { type: 'string', arg: 'topic', describe: 'The topic to get the offsets for. It also accepts a regular expression. If not present, all authorized topics are queried. Cannot be used if --topic-partitions is present.' },
    partitions: { type: 'string', arg: 'partition ids', describe: 'Comma separated list of partition ids to get the offsets for. If not present, all partitions of the authorized topics are queried. Cannot be used if --topic-partitions is present.' },
    time: {
      type: 'string',
      arg: '<timestamp> / -1 or latest / -2 or earliest / -3 or max-timestamp',
      describe: 'timestamp of the offsets before that. [Note: No offset is returned, if the timestamp greater than recently committed record timestamp is given.]',
      defaultDescription: 'latest',
    },
    'command-config': { type: 'string', arg: 'config file', describe: 'Property file containing configs to be passed to Admin Client.' },
    'exclude-internal-topics': { type: 'boolean', describe: 'By default, internal topics are included. If specified, internal topics are excluded.' },
  },
};

const MALFORMED = 'Please use -1 or latest / -2 or earliest / -3 or max-timestamp / -4 or earliest-local / -5 or latest-tiered, or a specified long format timestamp';

/** --time as Kafka's GetOffsetShell.parseOffsetSpec reads it. */
export function parseOffsetSpec(text: string): OffsetSpec {
  const named: Record<string, OffsetSpec> = {
    latest: 'latest',
    earliest: 'earliest',
    'max-timestamp': 'max-timestamp',
    'earliest-local': 'earliest-local',
    'latest-tiered': 'latest-tiered',
    '-1': 'latest',
    '-2': 'earliest',
    '-3': 'max-timestamp',
    '-4': 'earliest-local',
    '-5': 'latest-tiered',
  };
  if (Object.hasOwn(named, text)) return named[text];
  if (!/^[+-]?\d+$/.test(text)) throw new UsageError(`Malformed time argument ${text}. ${MALFORMED}`);
  return { timestamp: Number(text) };
}

async function matchingPartitions(admin: Admin, filter: TopicPartitionFilter, excludeInternal: boolean): Promise<TopicPartition[]> {
  const topics = (await admin.listTopics({ includeInternal: !excludeInternal })).filter((t) => filter.topicAllowed(t));
  if (topics.length === 0) return [];
  const described = await admin.describeTopics(topics);
  return described.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partition }))).filter((tp) => filter.partitionAllowed(tp.topic, tp.partition));
}

/** Offsets of every partition; a partition that fails is reported on stderr and left out, as Kafka does. */
async function listEach(admin: Admin, partitions: TopicPartition[], spec: OffsetSpec, io: CommandIO): Promise<TopicPartitionOffset[]> {
  const requests = partitions.map((tp) => ({ ...tp, spec }));
  try {
    return await admin.listOffsets(requests);
  } catch (err) {
    if (err instanceof UnsupportedVersionError) throw err;
    // One call answers for all partitions or fails: ask one by one to tell which fail.
  }
  const out: TopicPartitionOffset[] = [];
  for (const r of requests) {
    try {
      out.push(...(await admin.listOffsets([r])));
    } catch (err) {
      await write(io.stderr, formatSkippedPartition(r.topic, r.partition, errorMessage(err).replace(/^Error: /, '')));
    }
  }
  return out;
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  try {
    if (args['topic-partitions'] !== undefined && (args.topic !== undefined || args.partitions !== undefined)) {
      throw new UsageError('--topic-partitions cannot be used with --topic or --partitions');
    }
    const spec = parseOffsetSpec(typeof args.time === 'string' ? args.time : 'latest');
    const filter =
      typeof args['topic-partitions'] === 'string'
        ? filterFromRules(args['topic-partitions'])
        : filterFromTopicAndPartitions(args.topic as string | undefined, args.partitions as string | undefined);
    const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
    const client = await clientFromArgs(args, io, properties);
    try {
      const admin = await client.admin();
      const partitions = await matchingPartitions(admin, filter, Boolean(args['exclude-internal-topics']));
      if (partitions.length === 0) throw new UsageError('Could not match any topic-partitions with the specified filters');
      const listed = await listEach(admin, partitions, spec, io);
      // -1 (no such offset, e.g. no record at or after the timestamp) prints nothing, as in Kafka.
      await write(io.stdout, formatOffsets(listed.filter((o) => o.offset !== -1)));
      return 0;
    } finally {
      await client.close();
    }
  } catch (err) {
    await write(io.stderr, `Error occurred: ${errorMessage(err).replace(/^Error: /, '')}\n`);
    if (io.env.KAFKIT_DEBUG && err instanceof Error && err.stack) await write(io.stderr, `${err.stack}\n`);
    return 1;
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
