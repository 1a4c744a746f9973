// DescribeLogDirs over the local cluster: each broker has one log dir (<dataDir>/broker-<id>);
// a replica's size is the bytes of its segment files and its lag is Kafka's
// max(high watermark - the replica's log end offset, 0). Reads only: no lock, no recovery.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BrokerLogDirs, ReplicaLogInfo } from '../../client/types.js';
import { PartitionLog } from '../log/partition-log.js';
import type { Cluster } from './cluster.js';
import { ReplicaManager } from './replica-manager.js';

function segmentBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const n of names) {
    if (!n.endsWith('.log')) continue;
    try {
      total += statSync(join(dir, n)).size;
    } catch {
      // deleted by retention meanwhile
    }
  }
  return total;
}

export function describeLogDirs(cluster: Cluster, brokers?: number[], topics?: string[]): BrokerLogDirs[] {
  const hwms = new ReplicaManager(cluster);
  try {
    const wanted = topics ? new Set(topics) : null;
    const ids = brokers ?? cluster.brokers().map((b) => b.id);
    const known = new Set(cluster.brokers().map((b) => b.id));
    return ids
      .filter((id) => known.has(id))
      .map((id) => {
        const replicas: ReplicaLogInfo[] = [];
        for (const t of cluster.topics()) {
          if (wanted && !wanted.has(t.name)) continue;
          for (const p of t.partitions) {
            if (!p.replicas.includes(id)) continue;
            const dir = cluster.replicaDir(id, t.name, p.partition);
            const log = PartitionLog.open(dir);
            const leo = log.logEndOffset();
            log.close();
            const hwm = hwms.highWatermark(t.name, p.partition);
            replicas.push({ topic: t.name, partition: p.partition, size: segmentBytes(dir), offsetLag: Math.max(hwm - leo, 0), isFuture: false });
          }
        }
        return { broker: id, logDirs: [{ path: resolve(cluster.dataDir, `broker-${id}`), error: null, replicas }] };
      });
  } finally {
    hwms.close();
  }
}
