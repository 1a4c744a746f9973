import { Fetch } from '../../protocol/messages/fetch.js';
import { FencedLeaderEpochError, NotLeaderOrFollowerError, OffsetOutOfRangeError } from '../../errors.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { wireError } from '../error-code.js';
import { ledPartition } from '../partitions.js';

interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  isolationLevel: number;
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; currentLeaderEpoch: number; fetchOffset: number; lastFetchedEpoch: number; partitionMaxBytes: number }>;
  }>;
}

type FetchPartition = FetchRequest['topics'][number]['partitions'][number];

interface PartitionResult {
  partitionIndex: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  /** null for read_uncommitted; for read_committed the aborted transactions in range: none, as there are no transactions. */
  abortedTransactions: null | never[];
  preferredReadReplica: number;
  records: Buffer | null;
  divergingEpoch?: { epoch: number; endOffset: number };
  currentLeader?: { leaderId: number; leaderEpoch: number };
}

const EMPTY = Buffer.alloc(0);

function readPartition(ctx: RequestContext, topic: string, asked: FetchPartition, maxBytes: number, readCommitted: boolean): PartitionResult {
  const { replicas } = ctx.server;
  const { partition, fetchOffset: offset } = asked;
  const base = { partitionIndex: partition, abortedTransactions: null, preferredReadReplica: -1 };
  try {
    ledPartition(ctx, topic, partition, asked.currentLeaderEpoch);
    const diverging = divergingEpoch(ctx, topic, asked);
    if (diverging) {
      const logStart = replicas.logStartOffset(topic, partition);
      // Below the log start it is out of range whether or not the logs diverged, as in Kafka.
      if (offset < logStart) throw new OffsetOutOfRangeError(`Fetch offset ${offset} is below the log start offset ${logStart} of ${topic}-${partition}.`);
      const hwm = replicas.highWatermark(topic, partition);
      return { ...base, errorCode: 0, highWatermark: hwm, lastStableOffset: hwm, logStartOffset: logStart, records: EMPTY, divergingEpoch: diverging };
    }
    // One read gives the records, the high watermark and the log start; it refuses an offset below
    // the log start itself. An offset past the high watermark is out of range too.
    const r = replicas.read(topic, partition, offset, Math.max(maxBytes, 0));
    if (offset > r.highWatermark) {
      throw new OffsetOutOfRangeError(`Fetch offset ${offset} is out of range for ${topic}-${partition} (${r.logStartOffset}..${r.highWatermark}).`);
    }
    return { ...base, errorCode: 0, highWatermark: r.highWatermark, lastStableOffset: r.highWatermark, logStartOffset: r.logStartOffset, records: maxBytes > 0 ? r.records : EMPTY, abortedTransactions: readCommitted ? [] : null };
  } catch (err) {
    const failed = { ...base, errorCode: wireError(err).errorCode, highWatermark: -1, lastStableOffset: -1, logStartOffset: -1, records: EMPTY };
    return err instanceof NotLeaderOrFollowerError || err instanceof FencedLeaderEpochError ? { ...failed, currentLeader: currentLeader(ctx, topic, partition) } : failed;
  }
}

function currentLeader(ctx: RequestContext, topic: string, partition: number): PartitionResult['currentLeader'] {
  // Not a check: the failed fetch just tells the client where the partition's leader is now.
  const p = ctx.server.cluster.topic(topic)?.partitions[partition];
  return { leaderId: p?.leader ?? -1, leaderEpoch: p?.leaderEpoch ?? -1 };
}

/**
 * Kafka's check of a v12+ fetcher's last fetched epoch: if the leader's log ends that epoch before
 * the fetch offset (or never had it), the fetcher's log diverged, and it is told where to truncate
 * to instead of being given records. An epoch the leader cannot place is let through.
 */
function divergingEpoch(ctx: RequestContext, topic: string, asked: FetchPartition): PartitionResult['divergingEpoch'] {
  if (ctx.apiVersion < 12 || asked.lastFetchedEpoch < 0) return undefined;
  const r = ctx.server.replicas.endOffsetForEpoch(topic, asked.partition, asked.lastFetchedEpoch);
  if (r.epoch < 0 || r.endOffset < 0) return undefined;
  return r.epoch < asked.lastFetchedEpoch || r.endOffset < asked.fetchOffset ? { epoch: r.epoch, endOffset: r.endOffset } : undefined;
}

function readAll(ctx: RequestContext, req: FetchRequest) {
  let budget = req.maxBytes;
  let bytes = 0;
  const responses = req.topics.map((t) => ({
    topic: t.topic,
    partitions: t.partitions.map((p) => {
      // Once the response's byte budget is spent, the remaining partitions come back empty; the
      // first non-empty partition is served whole even if larger ("at least one batch").
      const limit = bytes === 0 ? p.partitionMaxBytes : Math.min(p.partitionMaxBytes, budget);
      const r = readPartition(ctx, t.topic, p, limit, req.isolationLevel === 1);
      const n = r.records?.length ?? 0;
      bytes += n;
      budget -= n;
      return r;
    }),
  }));
  return { responses, bytes };
}

export const fetch: ApiHandler = {
  spec: Fetch,
  async handle(req: FetchRequest, ctx) {
    const deadline = Date.now() + Math.max(0, req.maxWaitMs);
    let result = readAll(ctx, req);
    // Long poll: wait for new data until min.bytes are there or max.wait.ms is up.
    while (result.bytes < Math.max(1, req.minBytes) && Date.now() < deadline && !ctx.signal.aborted) {
      const watched = result.responses.flatMap((t) =>
        t.partitions.filter((p) => p.errorCode === 0).map((p) => ({ topic: t.topic, partition: p.partitionIndex, known: p.highWatermark })),
      );
      if (watched.length === 0) break;
      await ctx.server.replicas.waitForData(watched, deadline - Date.now(), ctx.signal);
      result = readAll(ctx, req);
      if (result.bytes > 0 && result.bytes >= req.minBytes) break;
    }
    return { throttleTimeMs: 0, errorCode: 0, sessionId: 0, responses: result.responses };
  },
};
