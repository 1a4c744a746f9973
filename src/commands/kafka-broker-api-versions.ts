// kafka-broker-api-versions: each broker's ApiVersions, as Kafka 4.1's BrokerApiVersionsCommand
// prints them. Without --bootstrap-server: what kafka-server-start serves for the local cluster.
import { formatBrokerApiVersions } from '../format/api-versions.js';
import { readPropertiesFile } from '../config/properties.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs } from './client-args.js';

export const tool: ToolSpec = {
  name: 'kafka-broker-api-versions',
  description: 'This tool helps to retrieve broker version information.',
  options: {
    'bootstrap-server': {
      type: 'string',
      arg: 'server(s) to use for bootstrapping',
      describe: "The server to connect to. kafkit: without it, the APIs kafka-server-start serves for the data dir's brokers ($KAFKIT_DATA_DIR, else ./.kafkit).",
    },
    'command-config': { type: 'string', arg: 'command config property file', describe: 'A property file containing configs to be passed to Admin Client.' },
  },
  runsWithoutArguments: true,
};

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    let text = '';
    for (const r of await admin.brokerApiVersions()) text += formatBrokerApiVersions(r);
    await write(io.stdout, text);
    return 0;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
