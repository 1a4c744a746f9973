// kafkajs keeps the error code of a refused CreateTopics or CreatePartitions but drops the broker's
// message, which would leave kafka-topics printing kafkajs' generic text ("Topic creation errors").
// For the refusals kafka-topics users meet, the controller's own check (src/engine/cluster/
// topic-rules.ts and friends) is run again on what the client can see; when it fails the same way,
// its text is Kafka's text. When it finds nothing (a broker rule we do not know), the error stands.
import type { Admin, NewTopic } from '../types.js';
import {
  InvalidConfigError,
  InvalidPartitionsError,
  InvalidReplicaAssignmentError,
  InvalidReplicationFactorError,
  InvalidTopicError,
  KafkitError,
} from '../../errors.js';
import { validateTopicConfigs } from '../../config/topic-configs.js';
import { assignReplicas } from '../../engine/cluster/placement.js';
import { validateTopicName } from '../../engine/cluster/topic-name.js';
import { checkNoCollision, checkPartitionIncrease, validateManualAssignment } from '../../engine/cluster/topic-rules.js';

/** The error `check` throws when it is of the same kind as `err`; else `err`. */
async function explain(err: KafkitError, check: () => unknown): Promise<KafkitError> {
  try {
    await check();
  } catch (found) {
    if (found instanceof KafkitError && found.constructor === err.constructor) return found;
  }
  return err;
}

const brokerIds = async (admin: Admin) => (await admin.describeCluster()).brokers.map((b) => b.id);

export async function explainCreateTopicError(err: KafkitError, t: NewTopic, admin: Admin): Promise<KafkitError> {
  if (err instanceof InvalidConfigError) return explain(err, () => validateTopicConfigs(t.configs ?? {}));
  if (err instanceof InvalidTopicError) {
    return explain(err, async () => {
      validateTopicName(t.name);
      checkNoCollision(t.name, await admin.listTopics({ includeInternal: true }));
    });
  }
  if (err instanceof InvalidReplicationFactorError && (t.replicationFactor ?? -1) > 0) {
    return explain(err, async () => assignReplicas(await brokerIds(admin), 1, t.replicationFactor!));
  }
  if (err instanceof InvalidReplicaAssignmentError && t.replicaAssignment) {
    return explain(err, async () => validateManualAssignment(t.replicaAssignment!, await brokerIds(admin)));
  }
  return err;
}

export async function explainCreatePartitionsError(err: KafkitError, topic: string, count: number, assignment: number[][] | undefined, admin: Admin): Promise<KafkitError> {
  if (err instanceof InvalidPartitionsError) {
    return explain(err, async () => checkPartitionIncrease(topic, (await admin.describeTopics([topic]))[0].partitions.length, count));
  }
  if (err instanceof InvalidReplicaAssignmentError && assignment) {
    return explain(err, async () => {
      const [t] = await admin.describeTopics([topic]);
      validateManualAssignment([t.partitions[0].replicas, ...assignment], await brokerIds(admin));
    });
  }
  return err;
}
