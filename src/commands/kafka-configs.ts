// kafka-configs: describe and alter the configs of topics, brokers and groups (Kafka 4.1's ConfigCommand).
import type { Admin, ConfigChange, ConfigResource, DescribedConfig } from '../client/types.js';
import { KafkitError, UsageError, toKafkitError } from '../errors.js';
import { readPropertiesFile } from '../config/properties.js';
import { formatAlterDone, formatConfigLine, formatConfigsHeading, formatNoSuchEntity } from '../format/configs.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';

/** Kafka's BROKER_SUPPORTED_CONFIG_TYPES, in its order (for its error text). */
const KAFKA_TYPES = ['broker-loggers', 'topics', 'clients', 'users', 'brokers', 'ips', 'client-metrics', 'groups'];
const SUPPORTED = new Set(['topics', 'brokers', 'groups']);
const RESOURCE_TYPE: Record<string, ConfigResource['type']> = { topics: 'topic', brokers: 'broker', groups: 'group' };
const DYNAMIC_SOURCE = { topic: 'DYNAMIC_TOPIC_CONFIG', group: 'DYNAMIC_GROUP_CONFIG' } as const;

export const tool: ToolSpec = {
  name: 'kafka-configs',
  description: 'This tool helps to manipulate and describe entity config for a topic, client, user, broker, ip, client-metrics or group',
  options: {
    ...connectionOptions,
    'command-config': {
      type: 'string',
      arg: 'command config property file',
      describe: 'Property file containing configs to be passed to Admin Client. This is used only with --bootstrap-server option for describing and altering broker configs.',
    },
    alter: { type: 'boolean', describe: 'Alter the configuration for the entity.' },
    describe: { type: 'boolean', describe: 'List configs for the given entity.' },
    all: { type: 'boolean', describe: 'List all configs for the given entity, including static configs if available.' },
    'entity-type': { type: 'string', arg: 'String', repeatable: true, describe: 'Type of entity (topics/clients/users/brokers/broker-loggers/ips/client-metrics/groups). kafkit supports topics, brokers and groups.' },
    'entity-name': { type: 'string', arg: 'String', repeatable: true, describe: 'Name of entity (topic name/client id/user principal name/broker id/ip/client metrics/group id)' },
    'entity-default': { type: 'boolean', describe: 'Default entity name for clients/users/brokers/ips (applies to corresponding entity type)' },
    'add-config': {
      type: 'string',
      arg: 'String',
      describe: "Key Value pairs of configs to add. Square brackets can be used to group values which contain commas: 'k1=v1,k2=[v1,v2,v2],k3=v3'.",
    },
    'add-config-file': { type: 'string', arg: 'String', describe: 'Path to a properties file with configs to add. See add-config for a list of valid configurations.' },
    'delete-config': { type: 'string', arg: 'String', repeatable: true, describe: "config keys to remove 'k1,k2'" },
    topic: { type: 'string', arg: 'String', describe: "The topic's name." },
    broker: { type: 'string', arg: 'String', describe: "The broker's ID." },
    'broker-defaults': { type: 'boolean', describe: 'The config defaults for all brokers.' },
    group: { type: 'string', arg: 'String', describe: "The group's ID." },
  },
};

const ENTITY_FLAGS: Array<[string, string]> = [['topic', 'topics'], ['broker', 'brokers'], ['group', 'groups']];

export interface ConfigTarget {
  action: 'describe' | 'alter';
  entityType: string;
  /** undefined: every entity of the type (describe only); '' the default entity. */
  entityName: string | undefined;
}

const invalidWith = (a: string, b: string) => new UsageError(`Option "[${a}]" can't be used with option "[${b}]"`);

/** Kafka's ConfigCommandOptions.checkArgs, in its order and with its texts. */
export function validate(args: ParsedArgs): ConfigTarget {
  const actions = (['alter', 'describe'] as const).filter((a) => args[a]);
  if (actions.length !== 1) throw new UsageError('Command must include exactly one action: --describe, --alter');
  const action = actions[0];
  if (action === 'describe') for (const o of ['add-config', 'delete-config']) if (args[o] !== undefined) throw invalidWith('describe', o);

  const types = [...((args['entity-type'] as string[] | undefined) ?? []), ...ENTITY_FLAGS.filter(([f]) => args[f] !== undefined).map(([, t]) => t), ...(args['broker-defaults'] ? ['brokers'] : [])];
  const names = [
    ...((args['entity-name'] as string[] | undefined) ?? []),
    ...(args['entity-default'] ? [''] : []),
    ...ENTITY_FLAGS.filter(([f]) => args[f] !== undefined).map(([f]) => String(args[f])),
    ...(args['broker-defaults'] ? [''] : []),
  ];
  const dup = types.filter((t, i) => types.indexOf(t) !== i);
  if (dup.length > 0) throw new UsageError(`Duplicate entity type(s) specified: ${[...new Set(dup)].join(',')}`);
  for (const t of types) {
    if (!KAFKA_TYPES.includes(t)) {
      throw new UsageError(`Invalid entity type ${t}, the entity type must be one of ${KAFKA_TYPES.join(', ')} with a --bootstrap-server or --bootstrap-controller argument`);
    }
  }
  if (types.length === 0) throw new UsageError('At least one entity type must be specified');
  if (types.length > 1 && !(types.length === 2 && types.includes('users') && types.includes('clients'))) {
    throw new UsageError("Only 'users' and 'clients' entity types may be specified together");
  }
  const flagGiven = ENTITY_FLAGS.some(([f]) => args[f] !== undefined) || args['broker-defaults'];
  if ((args['entity-name'] || args['entity-type'] || args['entity-default']) && flagGiven) {
    throw new UsageError('--entity-{type,name,default} should not be used in conjunction with specific entity flags');
  }
  const entityType = types[0];
  if (!SUPPORTED.has(entityType)) {
    throw new UsageError(`kafkit's kafka-configs handles topics, brokers and groups; entity type ${entityType} is not supported.`);
  }
  const hasName = names.some((n) => n !== '');
  const hasDefault = names.some((n) => n === '');
  if (hasName && entityType === 'brokers') {
    for (const n of names) if (n !== '' && !/^[+-]?\d+$/.test(n)) throw new UsageError(`The entity name for brokers must be a valid integer broker id, but it is: ${n}`);
  }
  if (action === 'describe' && args['entity-default'] && entityType !== 'brokers') {
    throw new UsageError(`--entity-default must not be specified with --describe of ${types.join(',')}`);
  }
  if (action === 'alter') {
    if (entityType === 'brokers') {
      if (!hasName && !hasDefault) throw new UsageError('An entity-name or default entity must be specified with --alter of users, clients, brokers or ips');
    } else if (!hasName) throw new UsageError(`An entity name must be specified with --alter of ${types.join(',')}`);
    if (args['add-config'] !== undefined && args['add-config-file'] !== undefined) throw new UsageError('Only one of --add-config or --add-config-file must be specified');
    if (args['add-config'] === undefined && args['add-config-file'] === undefined && args['delete-config'] === undefined) {
      throw new UsageError('At least one of --add-config, --add-config-file, or --delete-config must be specified with --alter');
    }
    if (types.length !== names.length) throw new UsageError('An entity name must be specified for every entity type');
  }
  return { action, entityType, entityName: names[0] };
}

/**
 * `--add-config 'k1=v1,k2=[a,b]'`: split at commas outside brackets, then at the first '=' outside
 * brackets; brackets are dropped from values and both sides trimmed, as Kafka does.
 */
export function parseAddConfig(text: string): Record<string, string> {
  const outside = (s: string, sep: string) => {
    const parts: string[] = [];
    let depth = 0;
    let start = 0;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '[') depth++;
      else if (s[i] === ']') depth = Math.max(0, depth - 1);
      else if (s[i] === sep && depth === 0) {
        parts.push(s.slice(start, i));
        start = i + 1;
      }
    }
    parts.push(s.slice(start));
    return parts;
  };
  const out: Record<string, string> = {};
  for (const item of outside(text, ',')) {
    const kv = outside(item, '=');
    if (kv.length !== 2) {
      throw new UsageError('Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.');
    }
    out[kv[0].trim()] = kv[1].replace(/[[\]]/g, '').trim();
  }
  return out;
}

export function configsToAdd(args: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof args['add-config-file'] === 'string') Object.assign(out, readPropertiesFile(args['add-config-file']));
  if (typeof args['add-config'] === 'string') Object.assign(out, parseAddConfig(args['add-config']));
  for (const key of Object.keys(out)) if (!/^[$a-zA-Z0-9._-]*$/.test(key)) throw new UsageError(`Invalid character found for config key: ${key}`);
  return out;
}

export function configsToDelete(args: ParsedArgs): string[] {
  return ((args['delete-config'] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((s) => s.trim());
}

function resourceOf(entityType: string, name: string): ConfigResource {
  return { type: RESOURCE_TYPE[entityType], name };
}

/** Kafka's getResourceConfig: the entity's dynamic configs, or all of them with --all. */
async function resourceConfig(admin: Admin, r: ConfigResource, all: boolean): Promise<DescribedConfig[]> {
  const entries = await admin.describeConfigs(r);
  if (all) return entries;
  const dynamic = r.type === 'broker' ? (r.name === '' ? 'DYNAMIC_DEFAULT_BROKER_CONFIG' : 'DYNAMIC_BROKER_CONFIG') : DYNAMIC_SOURCE[r.type];
  return entries.filter((e) => e.source === dynamic);
}

async function exists(admin: Admin, entityType: string, name: string): Promise<boolean> {
  if (entityType === 'topics') return (await admin.listTopics({ includeInternal: true })).includes(name);
  if (entityType === 'brokers') return name === '' || (await admin.describeCluster()).brokers.some((b) => String(b.id) === name);
  if ((await admin.listGroups()).some((g) => g.groupId === name)) return true;
  return (await admin.describeConfigs(resourceOf('groups', name))).some((e) => e.source === 'DYNAMIC_GROUP_CONFIG');
}

async function entitiesOf(admin: Admin, entityType: string): Promise<string[]> {
  if (entityType === 'topics') return admin.listTopics({ includeInternal: true });
  if (entityType === 'brokers') return [...(await admin.describeCluster()).brokers.map((b) => String(b.id)), ''];
  return (await admin.listGroups()).map((g) => g.groupId).sort();
}

async function describe(admin: Admin, target: ConfigTarget, all: boolean, io: CommandIO): Promise<void> {
  const { entityType, entityName } = target;
  if (!all && entityName !== undefined && !(await exists(admin, entityType, entityName))) {
    await write(io.stdout, formatNoSuchEntity(entityType, entityName));
    return;
  }
  const entities = entityName !== undefined ? [entityName] : await entitiesOf(admin, entityType);
  for (const entity of entities) {
    let text = formatConfigsHeading(entityType, entity, all);
    for (const e of await resourceConfig(admin, resourceOf(entityType, entity), all)) text += formatConfigLine(e);
    await write(io.stdout, text);
  }
}

async function alter(admin: Admin, target: ConfigTarget, args: ParsedArgs, io: CommandIO): Promise<void> {
  const name = target.entityName ?? '';
  const adds = configsToAdd(args);
  const deletes = configsToDelete(args);
  const resource = resourceOf(target.entityType, name);
  const current = new Set((await resourceConfig(admin, resource, false)).map((e) => e.name));
  const missing = deletes.filter((d) => !current.has(d));
  if (missing.length > 0) throw new InvalidConfigurationError(`Invalid config(s): ${missing.join(',')}`);
  const changes: ConfigChange[] = [...deletes.map((n) => ({ name: n, op: 'delete' as const })), ...Object.entries(adds).map(([n, value]) => ({ name: n, op: 'set' as const, value }))];
  await admin.incrementalAlterConfigs(resource, changes);
  await write(io.stdout, formatAlterDone(target.entityType, name));
}

/** Kafka prints the message of an InvalidConfigurationException thrown by the tool itself, alone. */
class InvalidConfigurationError extends UsageError {}

/** Kafka's Java exception class for an error the admin client returned (the second line of its report). */
const JAVA_EXCEPTIONS: Record<string, string> = {
  INVALID_CONFIG: 'org.apache.kafka.common.errors.InvalidConfigurationException',
  UNKNOWN_TOPIC_OR_PARTITION: 'org.apache.kafka.common.errors.UnknownTopicOrPartitionException',
  INVALID_REQUEST: 'org.apache.kafka.common.errors.InvalidRequestException',
  BROKER_NOT_AVAILABLE: 'org.apache.kafka.common.errors.BrokerNotAvailableException',
  INVALID_TOPIC_EXCEPTION: 'org.apache.kafka.common.errors.InvalidTopicException',
  KAFKA_STORAGE_ERROR: 'org.apache.kafka.common.errors.KafkaStorageException',
};

/** The words a user typed, for Kafka's "Error while executing config command with args '...'" line. */
function argsText(args: ParsedArgs): string {
  const words: string[] = [];
  for (const [k, v] of Object.entries(args)) {
    if (v === true) words.push(`--${k}`);
    else if (Array.isArray(v)) for (const x of v) words.push(`--${k}`, x);
    else if (v !== undefined && v !== false) words.push(`--${k}`, String(v));
  }
  return words.join(' ');
}

export async function handler(args: ParsedArgs, io: CommandIO, argv?: string[]): Promise<number> {
  const target = validate(args);
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    if (target.action === 'describe') await describe(admin, target, Boolean(args.all), io);
    else await alter(admin, target, args, io);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const e = toKafkitError(err);
    // As Kafka's catch-all: the command line, then the admin client's exception (its stack trace dropped).
    const java = JAVA_EXCEPTIONS[e.kafkaName];
    const cause = java ? `java.util.concurrent.ExecutionException: ${java}: ${e.message}` : `Error: ${e.message}`;
    await write(io.stderr, `Error while executing config command with args '${argv ? argv.join(' ') : argsText(args)}'\n${cause}\n`);
    if (io.env.KAFKIT_DEBUG && err instanceof Error) await write(io.stderr, `${err.stack}\n`);
    return e instanceof KafkitError ? e.exitCode : 1;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  const argv = process.argv.slice(2);
  return runMain(tool, (args, io) => handler(args, io, argv), argv);
}
