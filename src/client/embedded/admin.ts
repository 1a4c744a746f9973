// Admin over the local cluster. Metadata calls touch only cluster.json/metadata.json; calls that
// need the logs load the data plane lazily, so `kafka-topics --list` stays fast.
import type { Admin, ConfigEntry, DeletedRecords, IsolationLevel, ItemResult, ListedOffset, NewTopic, OffsetSpec, TopicDescription, TopicPartition, TopicPartitionOffset } from '../types.js';
import { Cluster, unknownTopic, type TopicState } from '../../engine/cluster/cluster.js';
import { TOPIC_CONFIGS, effectiveTopicConfig } from '../../config/topic-configs.js';
import { BrokerNotAvailableError, OffsetOutOfRangeError, UnknownTopicIdError } from '../../errors.js';
import { describeBrokerEntity, describeGroupEntity, describeTopicEntity, validateGroupConfig } from '../../config/entity-configs.js';

/** A broker config resource names an existing broker id, or '' for the cluster-wide defaults. */
function checkBroker(cluster: Cluster, name: string): void {
  if (name !== '' && !cluster.brokers().some((b) => String(b.id) === name)) throw new BrokerNotAvailableError(`Broker ${name} is not in the cluster (brokers: ${cluster.brokers().map((b) => b.id).join(',')}).`);
}

export const EMBEDDED_HOST = '127.0.0.1';
export const EMBEDDED_BASE_PORT = 9092;

function describe(t: TopicState): TopicDescription {
  return {
    name: t.name,
    topicId: t.topicId,
    internal: t.internal,
    partitions: t.partitions.map((p) => ({ partition: p.partition, leader: p.leader, replicas: p.replicas, isr: p.isr, elr: [], lastKnownElr: [] })),
  };
}

export function createEmbeddedAdmin(cluster: Cluster): Admin {
  let replicaManager: import('../../engine/cluster/replica-manager.js').ReplicaManager | undefined;
  const replicas = async () => {
    if (!replicaManager) {
      const { ReplicaManager } = await import('../../engine/cluster/replica-manager.js');
      replicaManager = new ReplicaManager(cluster);
    }
    return replicaManager;
  };
  const groups = async () => (await import('./group-admin.js')).createGroupAdmin(cluster);

  return {
    async describeCluster() {
      // As a KRaft cluster's DescribeCluster: the brokers that are alive (unfenced) now.
      cluster.reconcile();
      const live = cluster.liveBrokerIds();
      return {
        clusterId: cluster.clusterId,
        controllerId: cluster.controllerId(),
        brokers: cluster.brokers().filter((b) => live.has(b.id)).map((b) => ({ id: b.id, host: EMBEDDED_HOST, port: EMBEDDED_BASE_PORT + b.id - 1, rack: b.rack })),
      };
    },
    async listTopics(options = {}) {
      return cluster.topics().filter((t) => options.includeInternal || !t.internal).map((t) => t.name);
    },
    async describeTopics(names?: string[]) {
      cluster.reconcile();
      if (!names) return cluster.topics().map(describe);
      return [...names].sort().map((n) => {
        const t = cluster.topic(n);
        if (!t) throw unknownTopic(n);
        return describe(t);
      });
    },
    async describeTopicById(topicId: string) {
      const t = cluster.topicById(topicId);
      if (!t) throw new UnknownTopicIdError(`TopicId '${topicId}' does not exist as expected`);
      // Kafka answers by-id lookups through the Metadata API, which carries no ELR: N/A.
      const d = describe(t);
      return { ...d, partitions: d.partitions.map((p) => ({ ...p, elr: null, lastKnownElr: null })) };
    },
    async createTopic(topic: NewTopic) {
      cluster.createTopic(topic);
    },
    async deleteTopics(names: string[]) {
      const { removeTopicOffsets } = await import('./group-admin.js');
      for (const n of names) {
        cluster.deleteTopic(n);
        removeTopicOffsets(cluster, n);
      }
    },
    async createPartitions(topic: string, totalCount: number, assignment?: number[][]) {
      cluster.createPartitions(topic, totalCount, assignment);
    },
    async describeTopicConfigs(topic: string): Promise<ConfigEntry[]> {
      const t = cluster.topic(topic);
      if (!t) throw unknownTopic(topic);
      const effective = effectiveTopicConfig(t.configs, cluster.settings());
      return Object.keys(TOPIC_CONFIGS)
        .sort()
        .map((name) => ({ name, value: effective[name], isDefault: !(name in t.configs), isSensitive: false }));
    },
    async alterTopicConfigs(topic: string, changes: Record<string, string | null>) {
      cluster.alterTopicConfigs(topic, changes);
    },
    async describeConfigs(resource) {
      if (resource.type === 'topic') {
        const t = cluster.topic(resource.name);
        if (!t) throw unknownTopic(resource.name);
        return describeTopicEntity(t.configs, cluster.entityConfigs('broker', ''));
      }
      if (resource.type === 'broker') {
        checkBroker(cluster, resource.name);
        return describeBrokerEntity(resource.name, cluster.entityConfigs('broker', resource.name), cluster.entityConfigs('broker', ''));
      }
      return describeGroupEntity(cluster.entityConfigs('group', resource.name));
    },
    async incrementalAlterConfigs(resource, changes) {
      const record: Record<string, string | null> = {};
      for (const c of changes) record[c.name] = c.op === 'set' ? c.value : null;
      if (resource.type === 'topic') return cluster.alterTopicConfigs(resource.name, record);
      if (resource.type === 'broker') checkBroker(cluster, resource.name);
      else for (const c of changes) if (c.op === 'set') validateGroupConfig(c.name, c.value);
      cluster.alterEntityConfigs(resource.type, resource.name, record);
    },
    async brokerApiVersions() {
      const { handlers } = await import('../../server/apis/index.js');
      const apiVersions = handlers().map((h) => ({ apiKey: h.spec.apiKey, minVersion: h.spec.minVersion, maxVersion: h.spec.maxVersion }));
      return (await this.describeCluster()).brokers.map((broker) => ({ broker, apiVersions }));
    },
    async describeLogDirs(brokers, topics) {
      const { describeLogDirs } = await import('../../engine/cluster/log-dirs.js');
      return describeLogDirs(cluster, brokers, topics);
    },
    async electLeaders(type, partitions) {
      const { electWithErrors } = await import('../../engine/cluster/election-errors.js');
      return electWithErrors(cluster, type, partitions).map(({ result, error }) => ({ item: { topic: result.topic, partition: result.partition }, error }));
    },
    async listOffsets(requests: Array<TopicPartition & { spec: OffsetSpec }>, _isolation?: IsolationLevel): Promise<ListedOffset[]> {
      const rm = await replicas();
      return requests.map((r) => ({ topic: r.topic, partition: r.partition, ...rm.listOffset(r.topic, r.partition, r.spec) }));
    },
    async deleteRecords(offsets: TopicPartitionOffset[]): Promise<ItemResult<DeletedRecords>[]> {
      const rm = await replicas();
      return offsets.map((o) => {
        const item = { topic: o.topic, partition: o.partition, lowWatermark: -1 };
        try {
          rm.logStartOffset(o.topic, o.partition); // throws for an unknown topic or partition
          const hwm = rm.highWatermark(o.topic, o.partition);
          // -1 means "up to the high watermark", as in Kafka.
          const offset = o.offset === -1 ? hwm : o.offset;
          if (offset < 0 || offset > hwm) throw new OffsetOutOfRangeError(`Cannot delete records of ${o.topic}-${o.partition} before ${offset}: its high watermark is ${hwm}.`);
          rm.deleteRecordsBefore(o.topic, o.partition, offset);
          return { item: { ...item, lowWatermark: rm.logStartOffset(o.topic, o.partition) } };
        } catch (err) {
          return { item, error: err as Error };
        }
      });
    },
    async listGroups() {
      return (await groups()).listGroups();
    },
    async describeGroups(ids) {
      return (await groups()).describeGroups(ids);
    },
    async fetchCommittedOffsets(groupId, partitions) {
      return (await groups()).fetchCommittedOffsets(groupId, partitions);
    },
    async alterCommittedOffsets(groupId, offsets) {
      return (await groups()).alterCommittedOffsets(groupId, offsets);
    },
    async deleteGroups(ids) {
      return (await groups()).deleteGroups(ids);
    },
    async deleteCommittedOffsets(groupId, partitions) {
      return (await groups()).deleteCommittedOffsets(groupId, partitions);
    },
    async close() {
      replicaManager?.close();
    },
  };
}
