// kafka-delete-records (Kafka's DeleteRecordsCommand): moves partitions' log start offsets forward.
import { readPropertiesFile } from '../config/properties.js';
import { UsageError } from '../errors.js';
import { COMPLETED, EXECUTING, formatDeleteResults } from '../format/delete-records.js';
import { readOffsetJsonFile } from '../input/offset-json.js';
import { runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { clientFromArgs, connectionOptions } from './client-args.js';

export const tool: ToolSpec = {
  name: 'kafka-delete-records',
  description: 'This tool helps to delete records of the given partitions down to the specified offset.',
  options: {
    ...connectionOptions,
    'offset-json-file': {
      type: 'string',
      arg: 'Offset json file path',
      describe: 'REQUIRED: The JSON file with offset per partition. The format to use is: {"partitions": [{"topic": "foo", "partition": 1, "offset": 1}], "version":1 } An offset of -1 deletes up to the high watermark.',
    },
    'command-config': { type: 'string', arg: 'command config property file path', describe: 'A property file containing configs to be passed to Admin Client.' },
  },
};

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  if (typeof args['offset-json-file'] !== 'string') throw new UsageError('Missing required argument "[offset-json-file]"');
  const offsets = readOffsetJsonFile(args['offset-json-file']);
  const properties = typeof args['command-config'] === 'string' ? readPropertiesFile(args['command-config']) : {};
  const client = await clientFromArgs(args, io, properties);
  try {
    const admin = await client.admin();
    await write(io.stdout, EXECUTING);
    const results = await admin.deleteRecords(offsets);
    await write(io.stdout, COMPLETED + formatDeleteResults(results));
    // Kafka exits 0 even when partitions failed; so does kafkit (the lines say which).
    return 0;
  } finally {
    await client.close();
  }
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
