// kafka-server-start: serves the data dir's local cluster over the Kafka protocol, one listener per
// broker, until Ctrl-C or SIGTERM. Unlike Kafka's script it needs no server.properties: a data dir
// and defaults are enough (`npx kafka-server-start` is a dev cluster).
import { UsageError } from '../errors.js';
import { startServer } from '../server/server.js';
import { parseKeyValues, parseNumberOption, runMain, write, type CommandIO, type ParsedArgs, type ToolSpec } from './cli.js';
import { dataDirOf } from './client-args.js';
import { readPropertiesFile } from '../config/properties.js';

export const tool: ToolSpec = {
  name: 'kafka-server-start',
  description:
    "USAGE: kafka-server-start [server.properties] [options]\nServes kafkit's embedded cluster over the Kafka protocol: each broker of the data dir gets its own listener.\nA server.properties file is optional: its log.dirs, listeners and the settings --override takes are used.",
  runsWithoutArguments: true,
  positional: 'server.properties',
  options: {
    'data-dir': { type: 'string', arg: 'path', describe: 'The data dir to serve.', defaultDescription: '$KAFKIT_DATA_DIR, else ./.kafkit' },
    port: { type: 'string', arg: 'port', describe: 'Port of broker 1; broker N listens on port + N - 1. 0 picks free ports.', defaultDescription: '9092' },
    brokers: { type: 'string', arg: 'count', describe: 'Number of brokers when the data dir is new (ignored for an existing one).', defaultDescription: '3' },
    host: { type: 'string', arg: 'address', describe: 'Address to listen on and advertise. Anything but loopback exposes the data dir to the network.', defaultDescription: '127.0.0.1' },
    'node-id': { type: 'string', arg: 'id', describe: 'Serve only this broker, as its own process (node.id in server.properties): it is alive while this process runs; Ctrl-C or kafka-server-stop --node-id shuts it down cleanly. Without it every broker is served.' },
    override: { type: 'string', arg: 'name=value', repeatable: true, describe: 'A broker setting for this run, e.g. auto.create.topics.enable=false or socket.request.max.bytes=1048576.' },
  },
};

const SERVER_SETTINGS = new Set(['socket.request.max.bytes']);
const CLUSTER_SETTINGS = new Set([
  'num.partitions',
  'default.replication.factor',
  'auto.create.topics.enable',
  'offsets.retention.minutes',
  'group.min.session.timeout.ms',
  'group.max.session.timeout.ms',
  'log.flush.interval.messages',
  'log.flush.interval.ms',
  'broker.session.timeout.ms',
  'unclean.leader.election.enable',
  'auto.leader.rebalance.enable',
  'leader.imbalance.check.interval.seconds',
  'leader.imbalance.per.broker.percentage',
  'max.partitions',
  'connections.max.idle.ms',
]);

/**
 * Kafka's own habit, `kafka-server-start config/server.properties`, works too: the settings this
 * server knows are applied (flags and --override win), `log.dirs` names the data dir and
 * `listeners` the host and base port; everything else in the file is listed once as ignored.
 */
function fromPropertiesFile(path: string, log: (m: string) => void): { overrides: Record<string, string>; dataDir?: string; host?: string; port?: number; nodeId?: string } {
  const props = readPropertiesFile(path);
  const overrides: Record<string, string> = {};
  const ignored: string[] = [];
  let dataDir: string | undefined;
  let host: string | undefined;
  let port: number | undefined;
  let nodeId: string | undefined;
  for (const [key, value] of Object.entries(props)) {
    if (SERVER_SETTINGS.has(key) || CLUSTER_SETTINGS.has(key)) overrides[key] = value;
    else if (key === 'log.dirs' || key === 'log.dir') dataDir ??= value.split(',')[0].trim();
    else if (key === 'node.id') nodeId ??= value.trim();
    else if (key === 'listeners') {
      const m = /^(?:[A-Z_]+:\/\/)?\[?([^\]]*?)\]?:(\d+)/.exec(value.split(',')[0].trim());
      if (!m) throw new UsageError(`Cannot read listeners=${value} in ${path}: expected e.g. PLAINTEXT://127.0.0.1:9092.`);
      host = m[1] || undefined;
      port = Number(m[2]);
    } else ignored.push(key);
  }
  if (ignored.length > 0) log(`Ignored settings from ${path} (not used by kafkit): ${ignored.sort().join(', ')}`);
  return { overrides, dataDir, host, port, nodeId };
}

export async function handler(args: ParsedArgs, io: CommandIO): Promise<number> {
  const log = (m: string) => void write(io.stderr, `[${new Date().toISOString()}] ${m}\n`);
  const file = typeof args['server.properties'] === 'string' ? fromPropertiesFile(args['server.properties'], log) : { overrides: {} as Record<string, string> };
  const port = args.port === undefined ? (file.port ?? 9092) : parseNumberOption('port', String(args.port));
  if (port < 0 || port > 65535) throw new UsageError(`--port must be between 0 and 65535, not ${port}.`);
  const brokers = args.brokers === undefined ? undefined : parseNumberOption('brokers', String(args.brokers));
  if (brokers !== undefined && (brokers < 1 || brokers > 100)) throw new UsageError(`--brokers must be between 1 and 100, not ${brokers}.`);
  const overrides = { ...file.overrides, ...parseKeyValues(args.override as string[] | undefined) };
  for (const key of Object.keys(overrides)) {
    if (!SERVER_SETTINGS.has(key) && !CLUSTER_SETTINGS.has(key)) {
      throw new UsageError(`Unknown --override setting '${key}'. Supported: ${[...CLUSTER_SETTINGS, ...SERVER_SETTINGS].join(', ')}.`);
    }
  }
  const maxRequestBytes = overrides['socket.request.max.bytes'] ? parseNumberOption('override socket.request.max.bytes', overrides['socket.request.max.bytes']) : undefined;
  delete overrides['socket.request.max.bytes'];
  const dataDir = typeof args['data-dir'] === 'string' ? args['data-dir'] : (file.dataDir ?? dataDirOf(io));
  const host = typeof args.host === 'string' ? args.host : (file.host ?? '127.0.0.1');
  const nodeIdText = typeof args['node-id'] === 'string' ? args['node-id'] : (file as { nodeId?: string }).nodeId;
  const nodeId = nodeIdText === undefined ? undefined : parseNumberOption('node-id', nodeIdText);
  if (nodeId !== undefined && (!Number.isInteger(nodeId) || nodeId < 1)) throw new UsageError(`--node-id must be a broker id of the cluster (1, 2, ...), not ${nodeIdText}.`);

  let server;
  try {
    server = await startServer({ dataDir, host, basePort: port, brokers, overrides, maxRequestBytes, log, nodeId });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new UsageError(`Port ${(e as { port?: number }).port ?? port} on ${host} is already in use: stop what listens there or pick another base port with --port.`);
    if (e.code === 'EADDRNOTAVAIL') throw new UsageError(`Cannot listen on ${host}: it is not an address of this machine. Use --host 127.0.0.1.`);
    throw err;
  }
  // The handlers are in place before the server says it is ready: a supervisor (or a test) that
  // signals as soon as it reads the bootstrap line must get a controlled shutdown, not a kill.
  // As the JVM does once its shutdown hooks run, a second signal (kafka-server-stop followed by
  // Ctrl-C, or a supervisor's repeated SIGTERM) must not cut the controlled shutdown short.
  const stopped = new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return log(`${signal} received: already shutting down`);
      stopping = true;
      log(`${signal} received: shutting down`);
      resolve();
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  const addresses = server.listeners.map((l) => `broker ${l.brokerId} at ${l.host}:${l.port}`).join(', ');
  log(`kafkit server started: cluster ${server.clusterId}, ${addresses}, data dir ${dataDir}`);
  log(`bootstrap servers: ${server.listeners.map((l) => `${l.host}:${l.port}`).join(',')}`);
  await stopped;
  await server.stop();
  log('kafkit server stopped cleanly');
  return 0;
}

export function main(): Promise<void> {
  return runMain(tool, handler);
}
