import { Metadata } from '../../protocol/messages/metadata.js';
import type { TopicState } from '../../engine/cluster/cluster.js';
import { UnknownTopicOrPartitionError } from '../../errors.js';
import { INTERNAL_TOPICS } from '../../engine/cluster/topic-name.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { wireError } from '../error-code.js';

const LEADER_NOT_AVAILABLE = 5;

interface MetadataRequest {
  topics: Array<{ name: string | null }> | null;
  allowAutoTopicCreation: boolean;
}

function describe(ctx: RequestContext, t: TopicState) {
  const live = ctx.server.cluster.liveBrokerIds();
  return {
    errorCode: 0,
    name: t.name,
    topicId: t.topicId,
    isInternal: t.internal,
    partitions: t.partitions.map((p) => ({
      partitionIndex: p.partition,
      errorCode: p.leader === null ? LEADER_NOT_AVAILABLE : 0,
      leaderId: p.leader ?? -1,
      leaderEpoch: p.leaderEpoch,
      replicaNodes: p.replicas,
      isrNodes: p.isr,
      offlineReplicas: p.replicas.filter((r) => !live.has(r)),
    })),
  };
}

export const metadata: ApiHandler = {
  spec: Metadata,
  handle(req: MetadataRequest, ctx) {
    const { cluster } = ctx.server;
    cluster.reconcile();
    // v0 has no way to say "no topics": an empty list means all of them.
    const all = req.topics === null || (ctx.apiVersion === 0 && req.topics.length === 0);
    const autoCreate = req.allowAutoTopicCreation && cluster.settings()['auto.create.topics.enable'] === 'true';
    const topics = all
      ? cluster.topics().map((t) => describe(ctx, t))
      : req.topics!.map(({ name }) => {
          try {
            if (name === null) throw new UnknownTopicOrPartitionError('Topic ids are not looked up by Metadata here; ask by name.');
            // Internal topics are never made as ordinary ones: kafkit keeps groups in files, not in __consumer_offsets.
            const t = cluster.topic(name) ?? (autoCreate && !INTERNAL_TOPICS.has(name) ? cluster.ensureTopic(name) : undefined);
            if (!t) throw new UnknownTopicOrPartitionError(`Topic '${name}' does not exist.`);
            return describe(ctx, t);
          } catch (err) {
            return { errorCode: wireError(err).errorCode, name, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', isInternal: name !== null && INTERNAL_TOPICS.has(name), partitions: [] };
          }
        });
    return {
      throttleTimeMs: 0,
      brokers: ctx.server.liveEndpoints().map((l) => ({ nodeId: l.brokerId, host: l.host, port: l.port, rack: null })),
      clusterId: cluster.clusterId,
      controllerId: cluster.controllerId(),
      topics,
    };
  },
};
