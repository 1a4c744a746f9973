// kafka-topics: create, list, describe, alter and delete topics (reference §1).
import type { Admin, PartitionDescription, TopicDescription } from '../client/types.js';
import { KafkitError, UsageError, toKafkitError, UnknownTopicOrPartitionError, InvalidConfigError, InvalidReplicaAssignmentError, InvalidReplicationFactorError, InvalidPartitionsError, UnknownTopicIdError } from '../errors.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';
import { topicPattern } from './topic-filter.js';
import { COLLISION_WARNING, formatPartitionLine, formatTopicError, formatTopicList, formatTopicSummary } from '../format/topics.js';

const ACTIONS = ['list', 'describe', 'create', 'alter', 'delete'] as const;
type Action = (typeof ACTIONS)[number];
const REPORTS = ['under-replicated-partitions', 'unavailable-partitions', 'under-min-isr-partitions', 'at-min-isr-partitions'] as const;

export const tool: ToolSpec = {
  name: 'kafka-topics',
  description: 'This tool helps to create, delete, describe, or change a topic.',
  options: {
    ...connectionOptions,
    'command-config': { type: 'string', arg: 'command config property file', describe: 'Property file containing configs to be passed to Admin Client.' },
    list: { type: 'boolean', describe: 'List all available topics.' },
    describe: { type: 'boolean', describe: 'List details for the given topics.' },
    create: { type: 'boolean', describe: 'Create a new topic.' },
    alter: { type: 'boolean', describe: 'Alter the number of partitions and replica assignment.' },
    delete: { type: 'boolean', describe: 'Delete a topic.' },
    topic: { type: 'string', arg: 'topic', describe: 'The topic to create, alter, describe or delete. It also accepts a regular expression, except for --create option. Put topic name in double quotes and use the \'\\\' prefix to escape regular expression symbols; e.g. "test\\.topic".' },
    'topic-id': { type: 'string', arg: 'topic-id', describe: 'The topic-id to describe.' },
    partitions: { type: 'number', arg: '# of partitions', describe: 'The number of partitions for the topic being created or altered. If not supplied for create, defaults to the cluster default.' },
    'replication-factor': { type: 'number', arg: 'replication factor', describe: 'The replication factor for each partition in the topic being created. If not supplied, defaults to the cluster default.' },
    'replica-assignment': { type: 'string', arg: 'broker_id_for_part1_replica1 : broker_id_for_part1_replica2 , ...', describe: 'A list of manual partition-to-broker assignments for the topic being created or altered.' },
    config: { type: 'string', arg: 'name=value', repeatable: true, describe: 'A topic configuration override for the topic being created.' },
    'delete-config': { type: 'string', arg: 'name', repeatable: true, describe: 'This option is no longer supported and has been deprecated since 4.0.' },
    'if-exists': { type: 'boolean', describe: 'If set when altering or deleting or describing topics, the action will only execute if the topic exists.' },
    'if-not-exists': { type: 'boolean', describe: 'If set when creating topics, the action will only execute if the topic does not already exist.' },
    'exclude-internal': { type: 'boolean', describe: 'Exclude internal topics when running list or describe command. The internal topics will be listed by default.' },
    'topics-with-overrides': { type: 'boolean', describe: 'If set when describing topics, only show topics that have overridden configs.' },
    'under-replicated-partitions': { type: 'boolean', describe: 'If set when describing topics, only show under replicated partitions.' },
    'unavailable-partitions': { type: 'boolean', describe: 'If set when describing topics, only show partitions whose leader is not available.' },
    'under-min-isr-partitions': { type: 'boolean', describe: 'If set when describing topics, only show partitions whose isr count is less than the configured minimum.' },
    'at-min-isr-partitions': { type: 'boolean', describe: 'If set when describing topics, only show partitions whose isr count is equal to the configured minimum.' },
    output: { type: 'string', arg: 'format', describe: "kafkit: 'json' prints --list and --describe as one JSON document instead of Kafka's text." },
    'partition-size-limit-per-response': { type: 'number', arg: 'maximum number of partitions per page', describe: 'The maximum partition size to be included in one DescribeTopicPartitions response.' },
  },
};

const invalidWith = (opt: string, action: string) => new UsageError(`Option "[${opt}]" can't be used with option "[${action}]"`);

/** Kafka's checks, in Kafka's order (§1.2). Returns the action. */
export function validate(args: ParsedArgs, io: CommandIO): { action: Action; warnings: string[] } {
  const given = ACTIONS.filter((a) => args[a]);
  if (given.length !== 1) throw new UsageError('Command must include exactly one action: --list, --describe, --create, --alter or --delete');
  const action = given[0];
  const warnings: string[] = [];
  if (args['delete-config']) {
    warnings.push('delete-config option is no longer supported and deprecated since version 4.0. The config will be fully removed in future releases.');
  }
  if (action === 'describe' && args['if-exists'] && !args.topic && !args['topic-id']) throw new UsageError('--topic or --topic-id is required to describe a topic');
  if (action !== 'list' && action !== 'describe' && !args.topic) throw new UsageError('Missing required argument "[topic]"');
  if (action === 'alter') {
    if (args.config) throw new UsageError('Option combination "[[bootstrap-server], [config]]" can\'t be used with option "[alter]" (To alter topic configurations, the kafka-configs tool can be used.)');
    if (args.partitions === undefined) throw new UsageError('Missing required argument "[partitions]"');
  }
  const only = (opt: string, allowed: Action[]) => {
    if (args[opt] !== undefined && !allowed.includes(action)) throw invalidWith(opt, action);
  };
  only('config', ['create', 'alter']);
  only('partitions', ['create', 'alter']);
  only('replication-factor', ['create']);
  only('replica-assignment', ['create', 'alter']);
  if (action === 'create' && args['replica-assignment'] !== undefined) {
    if (args.partitions !== undefined) throw invalidWith('replica-assignment', 'partitions');
    if (args['replication-factor'] !== undefined) throw invalidWith('replica-assignment', 'replication-factor');
  }
  for (const r of REPORTS) {
    only(r, ['describe']);
    if (args[r] && args['topics-with-overrides']) throw invalidWith(r, 'topics-with-overrides');
  }
  only('topics-with-overrides', ['describe']);
  only('if-exists', ['alter', 'delete', 'describe']);
  only('if-not-exists', ['create']);
  only('exclude-internal', ['list', 'describe']);
  if (args.output !== undefined) {
    if (args.output !== 'json') throw new UsageError(`Unknown --output format '${args.output}': the only format is json.`);
    only('output', ['list', 'describe']);
  }
  void io;
  return { action, warnings };
}

/** `--replica-assignment 1:2,3:4`: partitions split by commas, replicas by colons. */
export function parseReplicaAssignment(text: string): number[][] {
  const out = text.split(',').map((part) =>
    part.split(':').map((s) => {
      const v = s.trim();
      if (!/^[+-]?\d+$/.test(v)) throw new InvalidReplicaAssignmentError(`For input string: "${v}"`);
      return Number(v);
    }),
  );
  out.forEach((replicas, i) => {
    const dup = replicas.find((b, j) => replicas.indexOf(b) !== j);
    if (dup !== undefined) throw new InvalidReplicaAssignmentError(`Partition replica lists may not contain duplicate entries: ${dup}`);
    if (i > 0 && replicas.length !== out[0].length) throw new InvalidReplicaAssignmentError(`Partition ${i} has different replication factor: [${replicas.join(', ')}]`);
  });
  return out;
}

export function parseTopicConfigs(items: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of items ?? []) {
    const parts = item.split(/\s*=\s*/);
    if (parts.length !== 2) throw new InvalidConfigError('requirement failed: Invalid topic config: all configs to be added must be in the format "key=val".');
    out[parts[0]] = parts[1];
  }
  return out;
}

function notFound(name: string): UnknownTopicOrPartitionError {
  return new UnknownTopicOrPartitionError(`Topic '${name}' does not exist as expected`);
}

async function matchingTopics(admin: Admin, args: ParsedArgs): Promise<string[]> {
  const all = await admin.listTopics({ includeInternal: !args['exclude-internal'] });
  if (typeof args.topic !== 'string') return all;
  const re = topicPattern(args.topic);
  return all.filter((n) => re.test(n));
}

async function create(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<void> {
  const name = String(args.topic);
  if (name.includes('.') || name.includes('_')) await write(io.stdout, `${COLLISION_WARNING}\n`);
  const configs = parseTopicConfigs(args.config as string[] | undefined);
  const rf = args['replication-factor'] as number | undefined;
  const partitions = args.partitions as number | undefined;
  if (rf !== undefined && (rf < 1 || rf > 32767)) throw new InvalidReplicationFactorError('The replication factor must be between 1 and 32767 inclusive');
  if (partitions !== undefined && partitions < 1) throw new InvalidPartitionsError('The partitions must be greater than 0');
  const replicaAssignment = typeof args['replica-assignment'] === 'string' ? parseReplicaAssignment(args['replica-assignment']) : undefined;
  try {
    await admin.createTopic({ name, partitions, replicationFactor: rf, replicaAssignment, configs });
  } catch (err) {
    if (args['if-not-exists'] && err instanceof KafkitError && err.name === 'TopicExistsError') return;
    throw err;
  }
  await write(io.stdout, `Created topic ${name}.\n`);
}

async function describe(admin: Admin, args: ParsedArgs, io: CommandIO): Promise<void> {
  let topics: TopicDescription[];
  const topicId = typeof args['topic-id'] === 'string' ? args['topic-id'] : undefined;
  if (topicId && topicId !== 'AAAAAAAAAAAAAAAAAAAAAA') {
    if (args.topic) await write(io.stdout, 'Only topic id will be used when both --topic and --topic-id are specified and topicId is not Uuid.ZERO_UUID\n');
    try {
      topics = [await admin.describeTopicById(topicId)];
    } catch (err) {
      if (args['if-exists'] && err instanceof UnknownTopicIdError) return;
      throw err;
    }
  } else {
    const names = await matchingTopics(admin, args);
    if (names.length === 0 && typeof args.topic === 'string') {
      if (args['if-exists']) return;
      throw notFound(String(args.topic));
    }
    topics = names.length > 0 ? await admin.describeTopics(names) : [];
  }
  const reports = REPORTS.filter((r) => args[r]);
  const liveBrokers = new Set((await admin.describeCluster()).brokers.map((b) => b.id));
  let out = '';
  const json: unknown[] = [];
  for (const t of topics) {
    const configs = await admin.describeTopicConfigs(t.name);
    const minIsr = Number(configs.find((c) => c.name === 'min.insync.replicas')?.value ?? 1);
    const keep = (p: PartitionDescription) => {
      if (reports.length === 0) return true;
      const unavailable = p.leader === null || !liveBrokers.has(p.leader);
      return reports.some((r) =>
        r === 'under-replicated-partitions' ? p.replicas.length - p.isr.length > 0
        : r === 'unavailable-partitions' ? unavailable
        : r === 'under-min-isr-partitions' ? p.leader === null || p.isr.length < minIsr
        : p.isr.length === minIsr,
      );
    };
    const overrides = configs.filter((c) => !c.isDefault).map((c): [string, string | null] => [c.name, c.isSensitive ? null : c.value]);
    if (args['topics-with-overrides'] && overrides.length === 0) continue;
    const shown = args['topics-with-overrides'] ? [] : [...t.partitions].sort((a, b) => a.partition - b.partition).filter((p) => keep(p));
    if (args.output === 'json') {
      json.push({ topic: t.name, topicId: t.topicId || null, partitionCount: t.partitions.length, replicationFactor: t.partitions[0]?.replicas.length ?? 0, configs: Object.fromEntries(overrides), partitions: shown });
      continue;
    }
    if (args['topics-with-overrides']) {
      out += formatTopicSummary(t, overrides);
      continue;
    }
    if (reports.length === 0) out += formatTopicSummary(t, overrides);
    for (const p of shown) out += formatPartitionLine(t.name, p);
  }
  await write(io.stdout, args.output === 'json' ? `${JSON.stringify(json)}\n` : out);
}

async function alterOrDelete(admin: Admin, args: ParsedArgs, action: 'alter' | 'delete'): Promise<void> {
  const names = await matchingTopics(admin, { ...args, 'exclude-internal': false });
  if (names.length === 0) {
    if (args['if-exists']) return;
    throw notFound(String(args.topic));
  }
  if (action === 'delete') {
    await admin.deleteTopics(names);
    return;
  }
  const total = args.partitions as number;
  const assignment = typeof args['replica-assignment'] === 'string' ? parseReplicaAssignment(args['replica-assignment']) : undefined;
  for (const t of await admin.describeTopics(names)) {
    await admin.createPartitions(t.name, total, assignment ? assignment.slice(t.partitions.length) : undefined);
  }
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  const { action, warnings } = validate(args, io);
  for (const w of warnings) await write(io.stderr, `${w}\n`);
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    switch (action) {
      case 'create':
        await create(admin, args, io);
        break;
      case 'list': {
        const names = await matchingTopics(admin, args);
        await write(io.stdout, args.output === 'json' ? `${JSON.stringify(names)}\n` : formatTopicList(names));
        break;
      }
      case 'describe':
        await describe(admin, args, io);
        break;
      default:
        await alterOrDelete(admin, args, action);
    }
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // Kafka prints this on stdout; kafkit keeps stdout for data and prints it on stderr.
    await write(io.stderr, formatTopicError(toKafkitError(err).message));
    if (io.env.KAFKIT_DEBUG && err instanceof Error) await write(io.stderr, `${err.stack}\n`);
    return 1;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
