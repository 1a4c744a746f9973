// Turning the connection options every tool shares into a client.
import { connect } from '../client/connect.js';
import type { KafkaClient, Properties } from '../client/types.js';
import { UsageError } from '../errors.js';
import type { CommandIO, OptionSpec, ParsedArgs } from './cli.js';

export const connectionOptions: Record<string, OptionSpec> = {
  'bootstrap-server': {
    type: 'string',
    arg: 'host:port',
    describe:
      'The Kafka server(s) to connect to, comma-separated. Without it, kafkit uses its embedded engine with data in $KAFKIT_DATA_DIR, else ./.kafkit.',
  },
};

/** Validates a bootstrap list as Kafka does: every entry must be host:port. */
export function validateBootstrap(value: string): string {
  const entries = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const valid = entries.length > 0 && entries.every((e) => /^(\[[0-9a-fA-F:.]+\]|[^:\s]+):\d{1,5}$/.test(e));
  if (!valid) throw new UsageError('Please provide valid host:port like host1:9091,host2:9092');
  return entries.join(',');
}

export function dataDirOf(io: CommandIO): string {
  return io.env.KAFKIT_DATA_DIR || './.kafkit';
}

export async function clientFromArgs(
  args: ParsedArgs,
  io: CommandIO,
  properties: Properties = {},
  timeoutMs?: number,
): Promise<KafkaClient> {
  const bootstrap = args['bootstrap-server'];
  return connect({
    bootstrapServer: typeof bootstrap === 'string' ? validateBootstrap(bootstrap) : undefined,
    dataDir: dataDirOf(io),
    properties,
    timeoutMs,
  });
}

/**
 * Kafka's auto-create turns a typo'd topic name into a new topic without a word. On a terminal the
 * producer and consumer say when it happens (one stderr line); scripts see Kafka's silence.
 */
export function topicCreatedNotice(io: CommandIO): ((topic: string) => void) | undefined {
  if (!(io.stderr as { isTTY?: boolean }).isTTY) return undefined;
  return (topic) => void io.stderr.write(`Created topic '${topic}' (auto.create.topics.enable=true)\n`);
}
