// kafka-leader-election: moves leadership back to preferred replicas, or lets an out-of-sync
// replica lead a partition none of whose in-sync replicas is alive, as Kafka 4.1's
// LeaderElectionCommand does (its flags, texts and exit codes).
import { readFileSync } from 'node:fs';
import type { ElectionType, TopicPartition } from '../client/types.js';
import { UsageError } from '../errors.js';
import { electionFailureText, formatElectionResults } from '../format/leader-election.js';
import { readPropertiesFile } from '../config/properties.js';
import { parseNumberOption, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';

export const tool: ToolSpec = {
  name: 'kafka-leader-election',
  description:
    'This tool attempts to elect a new leader for a set of topic partitions. The type of elections supported are preferred replicas and unclean replicas.',
  options: {
    ...connectionOptions,
    'admin.config': { type: 'string', arg: 'config file', describe: 'Configuration properties files to pass to the admin client' },
    'path-to-json-file': {
      type: 'string',
      arg: 'Path to JSON file',
      describe:
        'The JSON file with the list of partition for which leader elections should be performed. This is an example format. {"partitions": [{"topic": "foo", "partition": 1}, {"topic": "foobar", "partition": 2}]} Not allowed if --all-topic-partitions or --topic flags are specified.',
    },
    topic: {
      type: 'string',
      arg: 'topic name',
      describe: 'Name of topic for which to perform an election. Not allowed if --path-to-json-file or --all-topic-partitions is specified.',
    },
    partition: { type: 'string', arg: 'partition id', describe: 'Partition id for which to perform an election. REQUIRED if --topic is specified.' },
    'all-topic-partitions': {
      type: 'boolean',
      describe:
        'Perform election on all of the eligible topic partitions based on the type of election (see the --election-type flag). Not allowed if --topic or --path-to-json-file is specified.',
    },
    'election-type': {
      type: 'string',
      arg: 'election type',
      describe:
        'Type of election to attempt. Possible values are "preferred" for preferred leader election or "unclean" for unclean leader election. If preferred election is selection, the election is only performed if the current leader is not the preferred leader for the topic partition. If unclean election is selected, the election is only performed if there are no leader for the topic partition. REQUIRED.',
    },
  },
};

const has = (args: ParsedArgs, name: string) => args[name] !== undefined;

/** Kafka's LeaderElectionCommandOptions.validate, in its order. --bootstrap-server is optional here (embedded mode). */
export function validateArgs(args: ParsedArgs): void {
  if (!has(args, 'election-type')) throw new UsageError('Missing required option(s): election-type');
  const exclusive = ['topic', 'all-topic-partitions', 'path-to-json-file'];
  if (exclusive.filter((o) => has(args, o)).length !== 1) {
    throw new UsageError(`One and only one of the following options is required: ${exclusive.join(', ')}`);
  }
  if (has(args, 'topic') && !has(args, 'partition')) throw new UsageError('Missing required option(s): partition');
  if (!has(args, 'topic') && has(args, 'partition')) throw new UsageError('Option partition is only allowed if topic is used');
}

/** jopt's EnumConverter: case-insensitive. */
export function parseElectionType(text: string): ElectionType {
  const upper = text.toUpperCase();
  if (upper === 'PREFERRED' || upper === 'UNCLEAN') return upper;
  throw new UsageError(`Cannot parse argument '${text}' of option election-type`);
}

const jsonText = (v: unknown) => JSON.stringify(v) ?? String(v);

/** Kafka's parseReplicaElectionData over the file's text, with its messages. */
export function parseElectionJson(text: string): TopicPartition[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Kafka's Json.parseFull yields nothing for text that is not JSON.
    throw new UsageError('Replica election data is empty');
  }
  const mapping = (message: string) => new UsageError(`com.fasterxml.jackson.databind.JsonMappingException: ${message}`);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw mapping(`Expected JSON object, received ${jsonText(data)}`);
  const list = (data as Record<string, unknown>).partitions;
  if (list === undefined) throw new UsageError('Replica election data is missing "partitions" field');
  if (!Array.isArray(list)) throw mapping(`Expected JSON array, received ${jsonText(list)}`);
  const partitions = list.map((entry: unknown) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) throw mapping(`Expected JSON object, received ${jsonText(entry)}`);
    const e = entry as Record<string, unknown>;
    for (const field of ['topic', 'partition']) if (e[field] === undefined) throw mapping(`No such field exists: \`${field}\``);
    if (typeof e.topic !== 'string') throw mapping(`Expected \`String\` value, received ${jsonText(e.topic)}`);
    const p = e.partition;
    if (typeof p !== 'number' || !Number.isInteger(p) || p < -(2 ** 31) || p >= 2 ** 31) throw mapping(`Expected \`Integer\` value, received ${jsonText(p)}`);
    return { topic: e.topic, partition: p };
  });
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const p of partitions) {
    const key = `${p.topic}-${p.partition}`;
    if (seen.has(key)) duplicates.add(key);
    seen.add(key);
  }
  if (duplicates.size > 0) throw new UsageError(`Replica election data contains duplicate partitions: [${[...duplicates].join(', ')}]`);
  return partitions;
}

function readElectionJson(path: string): TopicPartition[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(code === 'ENOENT' ? `java.nio.file.NoSuchFileException: ${path}` : `Cannot read the JSON file ${path}: ${(err as Error).message}`);
  }
  return parseElectionJson(text);
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  validateArgs(args);
  const type = parseElectionType(String(args['election-type']));
  let partitions: TopicPartition[] | undefined;
  if (typeof args['path-to-json-file'] === 'string') partitions = readElectionJson(args['path-to-json-file']);
  else if (typeof args.topic === 'string') partitions = [{ topic: args.topic, partition: parseNumberOption('partition', String(args.partition)) }];
  const properties = typeof args['admin.config'] === 'string' ? readPropertiesFile(args['admin.config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    const report = formatElectionResults(type, await admin.electLeaders(type, partitions));
    await write(io.stdout, report.text);
    if (report.failed === 0) return 0;
    await write(io.stderr, `${electionFailureText(report.failed)}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
