// kafka-server-start's core: one TCP listener per broker of the data dir's local cluster, all
// served by this process from the same engine objects. Metadata advertises every listener, so
// clients route each partition's requests to its leader's port as they would on a real cluster.
import { createServer, type Server, type Socket } from 'node:net';
import { Cluster } from '../engine/cluster/cluster.js';
import { ReplicaManager } from '../engine/cluster/replica-manager.js';
import { createEmbeddedAdmin } from '../client/embedded/admin.js';
import { coordinatorFor } from '../client/embedded/group-admin.js';
import type { ApiHandler, Listener, ServerContext } from './context.js';
import { serveConnection } from './connection.js';
import { handlers as allHandlers } from './apis/index.js';
import { ProducerStates } from './producer-states.js';

export interface ServerOptions {
  dataDir: string;
  host: string;
  /** Broker 1 listens on basePort, broker N on basePort + N - 1. 0 picks free ports. */
  basePort: number;
  /** Broker count for a new data dir. */
  brokers?: number;
  /** Cluster settings to apply (Kafka-style --override k=v). */
  overrides?: Record<string, string>;
  maxRequestBytes?: number;
  log?: (message: string) => void;
}

export interface RunningServer {
  clusterId: string;
  listeners: Listener[];
  stop(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
  const cluster = Cluster.open(options.dataDir, { brokers: options.brokers });
  if (options.overrides && Object.keys(options.overrides).length > 0) cluster.overrideSettings(options.overrides);
  const replicas = new ReplicaManager(cluster);
  const listeners = new Map<number, Listener>();
  const context: ServerContext = {
    cluster,
    replicas,
    coordinator: coordinatorFor(cluster),
    admin: createEmbeddedAdmin(cluster),
    producers: new ProducerStates(),
    listeners,
    maxRequestBytes: options.maxRequestBytes ?? 104_857_600,
    log,
  };
  const handlers = new Map<number, ApiHandler>(allHandlers().map((h) => [h.spec.apiKey, h]));
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  try {
    for (const broker of cluster.brokers()) {
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        serveConnection(socket, context, broker.id, handlers);
      });
      const port = options.basePort === 0 ? 0 : options.basePort + broker.id - 1;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, options.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      servers.push(server);
      const address = server.address();
      listeners.set(broker.id, { brokerId: broker.id, host: options.host, port: typeof address === 'object' && address ? address.port : port });
    }
  } catch (err) {
    for (const s of servers) s.close();
    replicas.close();
    throw err;
  }
  return {
    clusterId: cluster.clusterId,
    listeners: [...listeners.values()],
    async stop() {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((resolve) => {
              s.close(() => resolve());
              for (const socket of sockets) socket.destroy();
            }),
        ),
      );
      await context.admin.close();
      replicas.close();
    },
  };
}
