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
import { ownerAlive, ownerOf, renewLease } from '../engine/cluster/liveness.js';
import { BrokerAlreadyRunningError, UsageError } from '../errors.js';

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
  /**
   * Serve this broker only, as its own process (Kafka's node.id): it is alive while this process
   * is, and leaves by a controlled shutdown. Without it every broker is served, as embedded ones.
   */
  nodeId?: number;
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
  const replicas = new ReplicaManager(cluster, log);
  const listeners = new Map<number, Listener>();
  const nodeId = options.nodeId;
  if (nodeId !== undefined) {
    if (!cluster.brokers().some((b) => b.id === nodeId)) {
      throw new UsageError(`--node-id ${nodeId} is not a broker of the cluster in ${options.dataDir} (its brokers are ${cluster.brokers().map((b) => b.id).join(', ')}).`);
    }
    const rec = cluster.brokerRecord(nodeId);
    if (rec?.state === 'online' && rec.owner && rec.owner.pid !== process.pid && ownerAlive(options.dataDir, nodeId, rec.owner)) {
      throw new BrokerAlreadyRunningError(`Broker ${nodeId} is already served by process ${rec.owner.pid}: stop it first (kafka-server-stop --node-id ${nodeId}) or start another node id.`);
    }
  }
  const liveEndpoints = (): Listener[] => {
    const out: Listener[] = [];
    for (const id of [...cluster.liveBrokerIds()].sort((a, b) => a - b)) {
      const own = listeners.get(id);
      const endpoint = own ?? cluster.brokerRecord(id)?.endpoint;
      if (endpoint) out.push({ brokerId: id, host: endpoint.host, port: endpoint.port });
    }
    return out;
  };
  const context: ServerContext = {
    cluster,
    replicas,
    coordinator: coordinatorFor(cluster),
    admin: createEmbeddedAdmin(cluster),
    producers: new ProducerStates(),
    listeners,
    liveEndpoints,
    maxRequestBytes: options.maxRequestBytes ?? 104_857_600,
    log,
  };
  const handlers = new Map<number, ApiHandler>(allHandlers().map((h) => [h.spec.apiKey, h]));
  const sockets = new Set<Socket>();
  const servers: Server[] = [];
  try {
    for (const broker of cluster.brokers().filter((b) => nodeId === undefined || b.id === nodeId)) {
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
    if (nodeId !== undefined) {
      const l = listeners.get(nodeId)!;
      const sessionTimeoutMs = Number(cluster.settings()['broker.session.timeout.ms']);
      renewLease(options.dataDir, nodeId);
      cluster.startBroker(nodeId, ownerOf(sessionTimeoutMs), { host: l.host, port: l.port });
    }
  } catch (err) {
    for (const s of servers) s.close();
    replicas.close();
    throw err;
  }
  const own = nodeId === undefined ? undefined : listeners.get(nodeId);
  const controller = startControllerDuties(cluster, replicas, options.dataDir, nodeId, own && { host: own.host, port: own.port }, log);
  return {
    clusterId: cluster.clusterId,
    listeners: [...listeners.values()],
    async stop() {
      controller.stop();
      if (nodeId !== undefined) {
        // Controlled shutdown: leadership moves off this broker before it stops answering.
        try {
          cluster.stopBroker(nodeId);
          log(`Broker ${nodeId}: controlled shutdown done (leadership moved, fenced)`);
        } catch (err) {
          log(`Broker ${nodeId}: controlled shutdown failed: ${(err as Error).message}`);
        }
      }
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

/** The background check of a broker's own replicas: at most this many bytes re-read per interval (~8 MB/s). */
const SCRUB_INTERVAL_MS = 1000;
const SCRUB_BYTES = 8 * 1024 * 1024;

/**
 * What a KRaft controller and a broker's replica fetchers do, on a timer: fence brokers whose
 * process died, renew this broker's lease, bring its out-of-sync replicas level with their leaders
 * (they rejoin the ISR then), and move leadership back to preferred replicas
 * (auto.leader.rebalance.enable, every leader.imbalance.check.interval.seconds).
 */
function startControllerDuties(
  cluster: Cluster,
  replicas: ReplicaManager,
  dataDir: string,
  nodeId: number | undefined,
  endpoint: { host: string; port: number } | undefined,
  log: (m: string) => void,
): { stop(): void } {
  const settings = cluster.settings();
  const sessionTimeoutMs = Number(settings['broker.session.timeout.ms']);
  const rebalanceMs = Number(settings['leader.imbalance.check.interval.seconds']) * 1000;
  let lastRebalance = Date.now();
  let lastLease = 0;
  let lastScrub = Date.now();
  const tick = () => {
    try {
      const now = Date.now();
      if (nodeId !== undefined && now - lastLease >= Math.min(2000, sessionTimeoutMs / 3)) {
        renewLease(dataDir, nodeId);
        lastLease = now;
        const rec = cluster.brokerRecord(nodeId);
        // Fenced while it could not renew (SIGSTOP, a stalled disk): register again, as a Kafka
        // broker does with a new broker epoch; its replicas rejoin the ISR once caught up.
        if (rec?.state !== 'online' || rec.owner?.pid !== process.pid) {
          cluster.startBroker(nodeId, ownerOf(sessionTimeoutMs), endpoint);
          log(`Broker ${nodeId} had been fenced (its lease expired): registered again`);
        }
      }
      for (const id of cluster.reconcile()) log(`Broker ${id} fenced: its server process is gone or stopped renewing its lease`);
      replicas.releaseDeleted();
      const mine = nodeId !== undefined ? [nodeId] : [...cluster.liveBrokerIds()];
      for (const id of mine) replicas.catchUpBroker(id);
      if (now - lastScrub >= SCRUB_INTERVAL_MS) {
        lastScrub = now;
        for (const id of mine) replicas.scrubBroker(id, SCRUB_BYTES);
      }
      if (now - lastRebalance >= rebalanceMs) {
        lastRebalance = now;
        const moved = cluster.rebalanceLeaders();
        if (moved > 0) log(`Auto leader rebalance: ${moved} partition(s) back on their preferred leader`);
      }
    } catch (err) {
      log(`Controller duties: ${(err as Error).message}`);
    }
  };
  const timer = setInterval(tick, 250);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
