import { CreateTopics } from '../../protocol/messages/create-topics.js';
import { InvalidReplicaAssignmentError, TopicExistsError } from '../../errors.js';
import { validateTopicName } from '../../engine/cluster/topic-name.js';
import { validateTopicConfigs } from '../../config/topic-configs.js';
import type { ApiHandler, RequestContext } from '../context.js';
import { NONE, wireError } from '../error-code.js';
import { topicConfigEntries } from './config-resources.js';

interface CreatableTopic {
  name: string;
  numPartitions: number;
  replicationFactor: number;
  assignments: Array<{ partitionIndex: number; brokerIds: number[] }>;
  configs: Array<{ name: string; value: string | null }>;
}

async function create(ctx: RequestContext, t: CreatableTopic, validateOnly: boolean) {
  const configs: Record<string, string> = {};
  for (const c of t.configs) if (c.value !== null) configs[c.name] = c.value;
  let replicaAssignment: number[][] | undefined;
  if (t.assignments.length > 0) {
    const sorted = [...t.assignments].sort((a, b) => a.partitionIndex - b.partitionIndex);
    if (sorted.some((a, i) => a.partitionIndex !== i)) throw new InvalidReplicaAssignmentError('Replica assignments must cover partitions 0..N-1 with no gaps.');
    replicaAssignment = sorted.map((a) => a.brokerIds);
  }
  const spec = {
    name: t.name,
    partitions: t.numPartitions === -1 ? undefined : t.numPartitions,
    replicationFactor: t.replicationFactor === -1 ? undefined : t.replicationFactor,
    replicaAssignment,
    configs,
  };
  if (validateOnly) {
    validateTopicName(t.name);
    validateTopicConfigs(configs);
    if (ctx.server.cluster.topic(t.name)) throw new TopicExistsError(`Topic '${t.name}' already exists.`);
    return;
  }
  await ctx.server.admin.createTopic(spec);
}

/** v5+ answers each created topic's configs as DescribeConfigs would (KIP-525): Java's CreateTopicsResult.config reads them. */
async function topicConfigs(ctx: RequestContext, topic: string) {
  return (await topicConfigEntries(ctx, topic)).map((e) => ({ name: e.name, value: e.isSensitive ? null : e.value, readOnly: false, configSource: e.source, isSensitive: e.isSensitive }));
}

export const createTopics: ApiHandler = {
  spec: CreateTopics,
  async handle(req: { topics: CreatableTopic[]; validateOnly: boolean }, ctx) {
    const topics = [];
    for (const t of req.topics) {
      try {
        await create(ctx, t, req.validateOnly);
        const state = ctx.server.cluster.topic(t.name);
        topics.push({
          name: t.name,
          topicId: state?.topicId ?? 'AAAAAAAAAAAAAAAAAAAAAA',
          ...NONE,
          numPartitions: state?.partitions.length ?? t.numPartitions,
          replicationFactor: state?.partitions[0]?.replicas.length ?? t.replicationFactor,
          configs: req.validateOnly ? [] : await topicConfigs(ctx, t.name),
        });
      } catch (err) {
        topics.push({ name: t.name, ...wireError(err), numPartitions: -1, replicationFactor: -1, configs: null });
      }
    }
    return { throttleTimeMs: 0, topics };
  },
};
