// kafka-log-dirs: replica sizes and lag per broker log dir, as Kafka 4.1's LogDirsCommand prints them.
import { UsageError } from '../errors.js';
import { formatLogDirsJson } from '../format/log-dirs.js';
import { readPropertiesFile } from '../config/properties.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';

export const tool: ToolSpec = {
  name: 'kafka-log-dirs',
  description: 'This tool helps to query log directory usage on the specified brokers.',
  options: {
    ...connectionOptions,
    'command-config': { type: 'string', arg: 'Admin client property file', describe: 'Property file containing configs to be passed to Admin Client.' },
    describe: { type: 'boolean', describe: 'Describe the specified log directories on the specified brokers.' },
    'topic-list': {
      type: 'string',
      arg: 'Topic list',
      describe: 'The list of topics to be queried in the form "topic1,topic2,topic3". All topics will be queried if no topic list is specified',
      defaultDescription: '',
    },
    'broker-list': {
      type: 'string',
      arg: 'Broker list',
      describe: 'The list of brokers to be queried in the form "0,1,2". All brokers in the cluster will be queried if no broker list is specified',
      defaultDescription: '',
    },
  },
};

const splitList = (v: unknown) => (typeof v === 'string' ? v.split(',').filter((x) => x !== '') : []);

/** `--broker-list 1,2`: Kafka parses each with Integer.valueOf. */
export function parseBrokerList(v: unknown): number[] {
  return [
    ...new Set(
      splitList(v).map((s) => {
        if (!/^[+-]?\d+$/.test(s)) throw new UsageError(`For input string: "${s}"`);
        return Number(s);
      }),
    ),
  ];
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  if (!args.describe) throw new UsageError('Missing required argument "[describe]"');
  const topics = new Set(splitList(args['topic-list']));
  const asked = parseBrokerList(args['broker-list']);
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    const cluster = (await admin.describeCluster()).brokers.map((b) => b.id).sort((a, b) => a - b);
    const missing = asked.filter((b) => !cluster.includes(b)).sort((a, b) => a - b);
    if (missing.length > 0) {
      await write(io.stderr, `ERROR: The given brokers do not exist from --broker-list: ${missing.join(',')}. Current existent brokers: ${cluster.join(',')}\n`);
      return 1;
    }
    const brokers = asked.length > 0 ? asked.sort((a, b) => a - b) : cluster;
    await write(io.stdout, 'Querying brokers for log directories information\n');
    const described = await admin.describeLogDirs(brokers, topics.size > 0 ? [...topics] : undefined);
    await write(io.stdout, `Received log directory information from brokers ${brokers.join(',')}\n${formatLogDirsJson(described, topics)}\n`);
    return 0;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
