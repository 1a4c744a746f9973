// ElectLeaders (43): kafka-leader-election's request. Any broker answers it, as a KRaft broker
// forwards it to the controller: here every broker shares the controller's metadata.
import { ElectLeaders } from '../../protocol/messages/elect-leaders.js';
import { electWithErrors } from '../../engine/cluster/election-errors.js';
import { InvalidRequestError } from '../../errors.js';
import type { ApiHandler } from '../context.js';
import { wireError } from '../error-code.js';

interface ElectLeadersRequest {
  electionType: number;
  topicPartitions: Array<{ topic: string; partitions: number[] }> | null;
}

const TYPES = ['PREFERRED', 'UNCLEAN'] as const;

export const electLeaders: ApiHandler = {
  spec: ElectLeaders,
  handle(req: ElectLeadersRequest, ctx) {
    // v0 has no election type field: it is preferred (the field's default, 0).
    const type = TYPES[req.electionType];
    if (!type) {
      return { throttleTimeMs: 0, errorCode: new InvalidRequestError('').code, replicaElectionResults: [] };
    }
    const targets = req.topicPartitions?.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
    const results = electWithErrors(ctx.server.cluster, type, targets);
    const byTopic = new Map<string, Array<{ partitionId: number; errorCode: number; errorMessage: string | null }>>();
    // Every topic asked for gets an entry, in request order, as Kafka's controller answers.
    for (const t of req.topicPartitions ?? []) byTopic.set(t.topic, []);
    for (const { result, error } of results) {
      const list = byTopic.get(result.topic) ?? byTopic.set(result.topic, []).get(result.topic)!;
      list.push({ partitionId: result.partition, ...(error ? wireError(error) : { errorCode: 0, errorMessage: null }) });
    }
    return { throttleTimeMs: 0, errorCode: 0, replicaElectionResults: [...byTopic].map(([topic, partitionResult]) => ({ topic, partitionResult })) };
  },
};
