// DescribeLogDirs (35): the log dir of the broker that received the request, with the replicas
// asked for (every replica when topics is null), as kafka-log-dirs reads it.
import { DescribeLogDirs } from '../../protocol/messages/describe-log-dirs.js';
import { describeLogDirs as describeLocalLogDirs } from '../../engine/cluster/log-dirs.js';
import type { ApiHandler } from '../context.js';

interface DescribeLogDirsRequest {
  topics: Array<{ topic: string; partitions: number[] }> | null;
}

export const describeLogDirs: ApiHandler = {
  spec: DescribeLogDirs,
  handle(req: DescribeLogDirsRequest, ctx) {
    const wanted = req.topics ? new Map(req.topics.map((t) => [t.topic, new Set(t.partitions)])) : null;
    const [broker] = describeLocalLogDirs(ctx.server.cluster, [ctx.brokerId], wanted ? [...wanted.keys()] : undefined);
    const results = (broker?.logDirs ?? []).map((dir) => {
      const byTopic = new Map<string, Array<{ partitionIndex: number; partitionSize: number; offsetLag: number; isFutureKey: boolean }>>();
      for (const r of dir.replicas) {
        if (wanted && !wanted.get(r.topic)?.has(r.partition)) continue;
        const list = byTopic.get(r.topic) ?? byTopic.set(r.topic, []).get(r.topic)!;
        list.push({ partitionIndex: r.partition, partitionSize: r.size, offsetLag: r.offsetLag, isFutureKey: r.isFuture });
      }
      return { errorCode: 0, logDir: dir.path, topics: [...byTopic].map(([name, partitions]) => ({ name, partitions })), totalBytes: -1, usableBytes: -1 };
    });
    return { throttleTimeMs: 0, errorCode: 0, results };
  },
};
