// Admin on a real cluster through kafkajs' admin client.
import type { Admin as KjsAdmin, Kafka, KafkaConfig } from 'kafkajs';
import type kafkajsModule from 'kafkajs';
import type { Admin, CommittedOffset, ConfigEntry, DeletedRecords, GroupDescription, GroupState, ItemResult, ListedOffset, TopicDescription, TopicPartition } from '../types.js';
import { KafkitError, TopicExistsError, UnknownTopicOrPartitionError, GroupIdNotFoundError, UnknownTopicIdError, errorForCode } from '../../errors.js';
import { mapRemoteError, remote } from './errors.js';
import { apiVersionsOf, openExtraAdmin, type ExtraAdmin } from './extra-admin.js';
import { explainCreatePartitionsError, explainCreateTopicError } from './broker-texts.js';

const INTERNAL = new Set(['__consumer_offsets', '__transaction_state', '__share_group_state']);
const DEFAULT_CONFIG_SOURCE = 5;
const DYNAMIC_TOPIC_CONFIG = 1;
const TOPIC = 2;
/** Kafka's ConfigResource.Type numbers. */
const RESOURCE_TYPES = { topic: 2, broker: 4, group: 32 } as const;

export function createRemoteAdmin(kafkajs: typeof kafkajsModule, kafka: Kafka, bootstrap: string, config: KafkaConfig): { admin: Admin; connect(): Promise<void> } {
  const kjs: KjsAdmin = kafka.admin();
  const call = <T>(fn: () => Promise<T>) => remote(bootstrap, fn);
  /** Like call(), with the broker's text put back where kafkajs dropped it (broker-texts.ts). */
  const explained = async <T>(explain: (err: KafkitError) => Promise<KafkitError>, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw await explain(mapRemoteError(err, bootstrap));
    }
  };
  let extra: Promise<ExtraAdmin> | undefined;
  const extraAdmin = () => (extra ??= openExtraAdmin(config));

  async function describe(names: string[]): Promise<TopicDescription[]> {
    // Topic ids are best effort: a broker older than Kafka 2.8 has none (and one that refuses
    // ApiVersions v3, such as librdkafka's mock, makes the second library fail): no TopicId then.
    const [md, ids] = await Promise.all([
      call(() => kjs.fetchTopicMetadata({ topics: names })),
      extraAdmin()
        .then((x) => x.topicIds(names))
        .catch(() => new Map<string, string>()),
    ]);
    return md.topics
      .map((t) => ({
        name: t.name,
        topicId: ids.get(t.name) ?? '',
        internal: INTERNAL.has(t.name),
        partitions: t.partitions
          .map((p) => ({ partition: p.partitionId, leader: p.leader >= 0 ? p.leader : null, replicas: p.replicas, isr: p.isr, elr: null, lastKnownElr: null }))
          .sort((a, b) => a.partition - b.partition),
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  const admin: Admin = {
    async describeCluster() {
      const c = await call(() => kjs.describeCluster());
      return { clusterId: c.clusterId, controllerId: c.controller, brokers: c.brokers.map((b) => ({ id: b.nodeId, host: b.host, port: b.port, rack: null })) };
    },
    async listTopics(options = {}) {
      const names = await call(() => kjs.listTopics());
      return names.filter((n) => options.includeInternal || !INTERNAL.has(n)).sort();
    },
    async describeTopics(names) {
      const all = names ?? (await admin.listTopics({ includeInternal: true }));
      if (names) {
        const existing = new Set(await call(() => kjs.listTopics()));
        const missing = names.find((n) => !existing.has(n));
        if (missing) throw new UnknownTopicOrPartitionError(`Topic '${missing}' does not exist as expected`);
      }
      return all.length === 0 ? [] : describe(all);
    },
    async describeTopicById(topicId: string) {
      const ids = await call(async () => (await extraAdmin()).topicIds());
      const name = [...ids].find(([, id]) => id === topicId)?.[0];
      if (!name) throw new UnknownTopicIdError(`Topic id ${topicId} does not exist.`);
      return (await describe([name]))[0];
    },
    async createTopic(t) {
      const created = await explained((err) => explainCreateTopicError(err, t, admin), () =>
        kjs.createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: t.name,
              numPartitions: t.replicaAssignment ? undefined : t.partitions ?? -1,
              replicationFactor: t.replicaAssignment ? undefined : t.replicationFactor ?? -1,
              replicaAssignment: t.replicaAssignment?.map((replicas, partition) => ({ partition, replicas })),
              configEntries: Object.entries(t.configs ?? {}).map(([name, value]) => ({ name, value })),
            },
          ],
        }),
      );
      // kafkajs reports an existing topic as `false` rather than as an error.
      if (!created) throw new TopicExistsError(`Topic '${t.name}' already exists.`);
    },
    async deleteTopics(names) {
      await call(() => kjs.deleteTopics({ topics: names }));
    },
    async createPartitions(topic, count, assignment) {
      await explained(
        (err) => explainCreatePartitionsError(err, topic, count, assignment, admin),
        () => kjs.createPartitions({ topicPartitions: [{ topic, count, assignments: assignment }] }),
      );
    },
    async describeTopicConfigs(topic): Promise<ConfigEntry[]> {
      const r = await call(() => kjs.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: topic }] }));
      return r.resources[0].configEntries
        .map((e) => {
          const source = (e as { configSource?: number }).configSource;
          return { name: e.configName, value: e.configValue, isDefault: source !== undefined ? source === DEFAULT_CONFIG_SOURCE : e.isDefault, isSensitive: e.isSensitive };
        })
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    },
    async alterTopicConfigs(topic, changes) {
      // AlterConfigs replaces a topic's whole override set: start from the current overrides.
      const r = await call(() => kjs.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC, name: topic }] }));
      const overrides: Record<string, string> = {};
      for (const e of r.resources[0].configEntries) if ((e as { configSource?: number }).configSource === DYNAMIC_TOPIC_CONFIG) overrides[e.configName] = e.configValue;
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete overrides[k];
        else overrides[k] = v;
      }
      await call(() => kjs.alterConfigs({ validateOnly: false, resources: [{ type: TOPIC, name: topic, configEntries: Object.entries(overrides).map(([name, value]) => ({ name, value })) }] }));
    },
    async describeConfigs(resource) {
      return call(async () => (await extraAdmin()).describeConfigs(RESOURCE_TYPES[resource.type], resource.name));
    },
    async incrementalAlterConfigs(resource, changes) {
      await call(async () => (await extraAdmin()).incrementalAlterConfigs(RESOURCE_TYPES[resource.type], resource.name, changes));
    },
    async brokerApiVersions() {
      const { brokers } = await admin.describeCluster();
      return Promise.all(
        brokers.map(async (broker) => {
          try {
            return { broker, apiVersions: await apiVersionsOf(config, `${broker.host}:${broker.port}`) };
          } catch (err) {
            return { broker, error: (err as Error).message };
          }
        }),
      );
    },
    async describeLogDirs(brokers, topics) {
      // The request names partitions (null "all" is not offered by the library): every partition of the topics.
      const names = topics ?? (await admin.listTopics({ includeInternal: true }));
      const md = names.length > 0 ? await call(() => kjs.fetchTopicMetadata({ topics: names })) : { topics: [] };
      const request = md.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => p.partitionId) }));
      const all = await call(async () => (await extraAdmin()).describeLogDirs(request));
      return brokers ? all.filter((b) => brokers.includes(b.broker)) : all;
    },
    async electLeaders(type, partitions) {
      return call(async () => (await extraAdmin()).electLeaders(type, partitions));
    },
    async listOffsets(requests): Promise<ListedOffset[]> {
      const byTopic = new Map<string, Awaited<ReturnType<KjsAdmin['fetchTopicOffsets']>>>();
      const out: ListedOffset[] = [];
      // The special timestamps of ListOffsets v7+, through the second library.
      const special = new Map<string, ListedOffset>();
      for (const spec of ['max-timestamp', 'earliest-local', 'latest-tiered'] as const) {
        const asked = requests.filter((r) => r.spec === spec);
        if (asked.length === 0) continue;
        for (const o of await call(async () => (await extraAdmin()).specialOffsets(asked, spec))) special.set(`${spec}\0${o.topic}\0${o.partition}`, o);
      }
      for (const r of requests) {
        if (typeof r.spec === 'string' && special.has(`${r.spec}\0${r.topic}\0${r.partition}`)) {
          out.push(special.get(`${r.spec}\0${r.topic}\0${r.partition}`)!);
          continue;
        }
        if (typeof r.spec === 'object') {
          const ts = r.spec.timestamp;
          const found = await call(() => kjs.fetchTopicOffsetsByTimestamp(r.topic, ts));
          const p = found.find((x) => x.partition === r.partition);
          if (!p) throw new UnknownTopicOrPartitionError(`Partition ${r.topic}-${r.partition} does not exist.`);
          out.push({ topic: r.topic, partition: r.partition, offset: Number(p.offset), timestamp: ts });
          continue;
        }
        if (!byTopic.has(r.topic)) byTopic.set(r.topic, await call(() => kjs.fetchTopicOffsets(r.topic)));
        const p = byTopic.get(r.topic)!.find((x) => x.partition === r.partition);
        if (!p) throw new UnknownTopicOrPartitionError(`Partition ${r.topic}-${r.partition} does not exist.`);
        out.push({ topic: r.topic, partition: r.partition, offset: Number(r.spec === 'earliest' ? p.low : p.high), timestamp: -1 });
      }
      return out;
    },
    async deleteRecords(offsets): Promise<ItemResult<DeletedRecords>[]> {
      const failures = new Map<string, Error>();
      const key = (topic: string, partition: number) => `${topic}\0${partition}`;
      const topics = [...new Set(offsets.map((o) => o.topic))];
      for (const topic of topics) {
        const partitions = offsets.filter((o) => o.topic === topic).map((o) => ({ partition: o.partition, offset: String(o.offset) }));
        try {
          // deleteTopicRecords looks leaders up in metadata it does not load itself.
          await kjs.fetchTopicMetadata({ topics: [topic] });
          await kjs.deleteTopicRecords({ topic, partitions });
        } catch (err) {
          // kafkajs reports broker refusals per partition in one error; anything else fails the topic.
          type WithPartitions = { partitions?: Array<{ partition: number; error: unknown }>; cause?: WithPartitions };
          // kafkajs' retrier wraps the error that has the partitions in one that does not.
          const perPartition = (err as WithPartitions).partitions ?? (err as WithPartitions).cause?.partitions;
          if (perPartition) for (const p of perPartition) failures.set(key(topic, p.partition), mapRemoteError(p.error, bootstrap));
          else for (const p of partitions) failures.set(key(topic, p.partition), mapRemoteError(err, bootstrap));
        }
      }
      // DeleteRecords answers with the new low watermarks, which kafkajs drops: ask for them again.
      const lows = new Map<string, number>();
      for (const topic of topics) {
        if (offsets.every((o) => o.topic !== topic || failures.has(key(topic, o.partition)))) continue;
        for (const p of await call(() => kjs.fetchTopicOffsets(topic))) lows.set(key(topic, p.partition), Number(p.low));
      }
      return offsets.map((o) => {
        const error = failures.get(key(o.topic, o.partition));
        const item = { topic: o.topic, partition: o.partition, lowWatermark: error ? -1 : lows.get(key(o.topic, o.partition)) ?? -1 };
        return error ? { item, error } : { item };
      });
    },
    async listGroups() {
      const { groups } = await call(() => kjs.listGroups());
      const ids = groups.map((g) => g.groupId);
      const described = ids.length > 0 ? await admin.describeGroups(ids) : [];
      return described.map((d) => ({ groupId: d.groupId, state: d.state, type: 'Classic' as const, protocolType: d.protocolType }));
    },
    async describeGroups(ids): Promise<GroupDescription[]> {
      const { groups } = await call(() => kjs.describeGroups(ids));
      // kafkajs asks DescribeGroups v2, which predates group.instance.id: ask v4+ ourselves where a group has members.
      const instanceIds = await Promise.all(
        groups.map((g) => (g.members.length === 0 ? new Map<string, string | null>() : call(async () => (await extraAdmin()).groupInstanceIds(g.groupId)).catch(() => new Map<string, string | null>()))),
      );
      return groups.map((g, i) => ({
        groupId: g.groupId,
        state: (g.state || 'Dead') as GroupState,
        type: 'Classic' as const,
        protocolType: g.protocolType,
        assignmentStrategy: g.protocol,
        coordinator: null,
        members: g.members.map((m) => {
          let assignment: TopicPartition[] = [];
          try {
            const decoded = kafkajs.AssignerProtocol.MemberAssignment.decode(m.memberAssignment);
            assignment = Object.entries(decoded?.assignment ?? {}).flatMap(([topic, ps]) => (ps as number[]).map((partition) => ({ topic, partition })));
          } catch {
            // not a consumer-protocol member: no readable assignment
          }
          return { memberId: m.memberId, groupInstanceId: instanceIds[i].get(m.memberId) ?? null, clientId: m.clientId, host: m.clientHost, assignment };
        }),
      }));
    },
    async fetchCommittedOffsets(groupId, partitions): Promise<CommittedOffset[]> {
      const topics = partitions ? [...new Set(partitions.map((p) => p.topic))] : undefined;
      const r = await call(() => kjs.fetchOffsets({ groupId, topics }));
      const out: CommittedOffset[] = [];
      for (const t of r) {
        for (const p of t.partitions) {
          if (Number(p.offset) < 0) continue;
          if (partitions && !partitions.some((x) => x.topic === t.topic && x.partition === p.partition)) continue;
          out.push({ topic: t.topic, partition: p.partition, offset: Number(p.offset), leaderEpoch: null, metadata: p.metadata ?? '' });
        }
      }
      return out.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
    },
    async alterCommittedOffsets(groupId, offsets) {
      const byTopic = new Map<string, Array<{ partition: number; offset: string }>>();
      for (const o of offsets) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), { partition: o.partition, offset: String(o.offset) }]);
      for (const [topic, ps] of byTopic) await call(() => kjs.setOffsets({ groupId, topic, partitions: ps }));
    },
    async deleteGroups(ids): Promise<ItemResult<string>[]> {
      try {
        await kjs.deleteGroups(ids);
        return ids.map((item) => ({ item }));
      } catch (err) {
        const groups = (err as { groups?: Array<{ groupId: string; errorCode: number; error?: Error }> }).groups;
        if (!groups) throw mapRemoteError(err, bootstrap);
        return ids.map((item) => {
          const g = groups.find((x) => x.groupId === item);
          if (!g || g.errorCode === 0) return { item };
          return { item, error: g.errorCode === 69 ? new GroupIdNotFoundError(`Group '${item}' does not exist.`) : mapRemoteError(g.error ?? { code: g.errorCode, message: `error code ${g.errorCode}` }, bootstrap) };
        });
      }
    },
    async deleteCommittedOffsets(groupId, partitions) {
      const r = await call(async () => (await extraAdmin()).deleteOffsets(groupId, partitions));
      // A group-level error (no such group, ...) is every partition's result, as the embedded admin reports it.
      if (r.errorCode !== 0) return partitions.map((item) => ({ item, error: errorForCode(r.errorCode) }));
      return partitions.map((item) => {
        const code = r.partitions.get(`${item.topic}\0${item.partition}`) ?? 0;
        return code === 0 ? { item } : { item, error: errorForCode(code, `Deleting the offset of ${item.topic}-${item.partition} failed`) };
      });
    },
    async close() {
      await kjs.disconnect();
      if (extra) await (await extra).close().catch(() => undefined);
    },
  };
  return { admin, connect: () => call(() => kjs.connect()) };
}
