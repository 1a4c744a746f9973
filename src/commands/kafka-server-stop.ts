// kafka-server-stop: Kafka's script signals the broker processes of this machine; ours stops the
// brokers of the data dir. A served broker's process gets SIGTERM and does a controlled shutdown
// (leadership moves off, then it is fenced), and we wait until it has; an embedded broker is
// stopped in-process the same way, which is how a failure is simulated without servers.
import { Cluster } from '../engine/cluster/cluster.js';
import { servingProcesses, stopBroker } from '../engine/cluster/broker-control.js';
import { UsageError } from '../errors.js';
import { parseNumberOption, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { dataDirOf } from './client-args.js';

export const tool: ToolSpec = {
  name: 'kafka-server-stop',
  description:
    "USAGE: kafka-server-stop [--node-id N]\nStops the brokers of kafkit's data dir: with --node-id, that broker (its kafka-server-start process shuts down cleanly, or an embedded broker is stopped); without it, every kafka-server-start process serving the data dir.",
  runsWithoutArguments: true,
  options: {
    'node-id': { type: 'string', arg: 'id', describe: 'The broker to stop.' },
    'data-dir': { type: 'string', arg: 'path', describe: 'The data dir whose brokers to stop.', defaultDescription: '$KAFKIT_DATA_DIR, else ./.kafkit' },
  },
};

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  const dataDir = typeof args['data-dir'] === 'string' ? args['data-dir'] : dataDirOf(io);
  const cluster = Cluster.open(dataDir);
  if (typeof args['node-id'] === 'string') {
    const id = parseNumberOption('node-id', args['node-id']);
    const out = await stopBroker(cluster, id);
    await write(io.stderr, out.pid === null ? `Stopped broker ${id} (embedded).\n` : `Stopped broker ${id} (process ${out.pid}).\n`);
    return 0;
  }
  const served = servingProcesses(cluster);
  if (served.size === 0) throw new UsageError('No kafka server to stop');
  for (const id of served.keys()) {
    const out = await stopBroker(cluster, id);
    await write(io.stderr, `Stopped broker ${id} (process ${out.pid}).\n`);
  }
  return 0;
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
