// kafka-server-stop's work: a broker served by a kafka-server-start process is asked to shut down
// (SIGTERM: it moves its leadership off, fences itself and exits), and we wait for it; an embedded
// broker, which has no process, is shut down here in the same controlled way.
import { BrokerNotAvailableError } from '../../errors.js';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Cluster } from './cluster.js';
import { ownerAlive, processStartTime } from './liveness.js';

export interface StopOutcome {
  broker: number;
  /** The server process that was signalled, or null for an embedded broker stopped in-process. */
  pid: number | null;
}

/** The pids of live server processes that serve brokers of this data dir, by broker id. */
export function servingProcesses(cluster: Cluster): Map<number, number> {
  const out = new Map<number, number>();
  for (const b of cluster.brokers()) {
    const rec = cluster.brokerRecord(b.id);
    if (rec?.state === 'online' && rec.owner && ownerAlive(cluster.dataDir, b.id, rec.owner)) out.set(b.id, rec.owner.pid);
  }
  return out;
}

export async function stopBroker(cluster: Cluster, broker: number, timeoutMs = 30_000): Promise<StopOutcome> {
  if (!cluster.brokers().some((b) => b.id === broker)) {
    throw new BrokerNotAvailableError(`No broker ${broker} in this cluster (its brokers are ${cluster.brokers().map((b) => b.id).join(', ')}).`);
  }
  cluster.reconcile();
  const pid = servingProcesses(cluster).get(broker);
  if (pid === undefined) {
    cluster.stopBroker(broker);
    return { broker, pid: null };
  }
  const start = processStartTime(pid);
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  // Done when the server has fenced itself (its controlled shutdown) or is gone.
  while (Date.now() < deadline) {
    const rec = cluster.brokerRecord(broker);
    const gone = processStartTime(pid) !== start;
    if (gone || rec?.state === 'stopped') break;
    await sleep(50);
  }
  if (cluster.brokerRecord(broker)?.state !== 'stopped') cluster.reconcile();
  return { broker, pid };
}
