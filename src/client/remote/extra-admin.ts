// Calls kafkajs lacks: topic ids (it speaks Metadata v6, which has none), OffsetDelete, configs with
// synonyms, log dirs, ApiVersions per broker, ElectLeaders and ListOffsets v7+. @platformatic/kafka's Admin gives the
// connections (TLS, SASL), metadata, ApiVersions and log dirs, its Consumer ListOffsets v7+; the rest are kafkit's own codecs
// (src/protocol, the server's) sent over those connections. It is pinned at 1.22.0: every later
// release depends on two packages that declare Node >= 22.19 (EBADENGINE on Node 20 and early 22),
// and 1.22's Admin lacks OffsetDelete and the config calls, hence the codecs. Imported lazily
// (~0.7 s), only by the commands that need it.
import type { KafkaConfig } from 'kafkajs';
import { errorForCode } from '../../errors.js';
import type { ApiVersionRange, BrokerLogDirs, ConfigChange, ConfigSource, DescribedConfig, ElectionType, ItemResult, ListedOffset, TopicPartition } from '../types.js';
import { ElectLeaders } from '../../protocol/messages/elect-leaders.js';
import { OffsetDelete } from '../../protocol/messages/offset-delete.js';
import { DescribeConfigs } from '../../protocol/messages/describe-configs.js';
import { IncrementalAlterConfigs } from '../../protocol/messages/incremental-alter-configs.js';
import { FindCoordinator } from '../../protocol/messages/find-coordinator.js';
import { DescribeGroups } from '../../protocol/messages/describe-groups.js';
import { decode, encode, type ApiSpec } from '../../protocol/schema.js';
import { Reader } from '../../protocol/reader.js';
import { DEFAULT_ELECTION_MESSAGES } from '../../engine/cluster/election-errors.js';

export interface ExtraAdmin {
  /** Topic name -> Kafka's 22-character base64 id, for the topics the cluster knows. */
  topicIds(names?: string[]): Promise<Map<string, string>>;
  /** OffsetDelete for one group: the group's error code, and each partition's (0 = deleted). */
  deleteOffsets(groupId: string, partitions: TopicPartition[]): Promise<{ errorCode: number; partitions: Map<string, number> }>;
  /** DescribeConfigs with synonyms, for one resource (Kafka's ConfigResource.Type number). */
  describeConfigs(resourceType: number, name: string): Promise<DescribedConfig[]>;
  incrementalAlterConfigs(resourceType: number, name: string, changes: ConfigChange[]): Promise<void>;
  /** DescribeLogDirs on every broker for these partitions. */
  describeLogDirs(topics: Array<{ name: string; partitions: number[] }>): Promise<BrokerLogDirs[]>;
  /** ElectLeaders (v2), which no client library offers: our own codec over the library's connection (so TLS and SASL apply). */
  electLeaders(type: ElectionType, partitions?: TopicPartition[]): Promise<ItemResult<TopicPartition>[]>;
  /** ListOffsets with one of Kafka's special timestamps of v7+ (-3, -4, -5), which kafkajs cannot send (it speaks ListOffsets up to v3). */
  specialOffsets(partitions: TopicPartition[], spec: SpecialOffset): Promise<ListedOffset[]>;
  /** Member id -> group.instance.id (null: dynamic), from DescribeGroups v4+ (kafkajs asks v2, which has no such field). */
  groupInstanceIds(groupId: string): Promise<Map<string, string | null>>;
  close(): Promise<void>;
}

const SOURCES: ConfigSource[] = ['UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG', 'UNKNOWN', 'UNKNOWN', 'DYNAMIC_GROUP_CONFIG'];
const sourceName = (n: number): ConfigSource => SOURCES[n] ?? 'UNKNOWN';

/** Kafka prints Uuids as URL-safe base64 of their 16 bytes; the library gives them dashed hex. */
export function uuidToBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

/** The broker's own error inside the library's nested errors, as a KafkitError with the broker's text. */
export function brokerError(err: unknown): unknown {
  const e = err as { apiCode?: number; serverErrorMessage?: string | null; message?: string; errors?: unknown[] } | undefined;
  if (e && typeof e.apiCode === 'number' && e.apiCode !== 0) return errorForCode(e.apiCode, e.serverErrorMessage || e.message);
  for (const inner of e?.errors ?? []) {
    const found = brokerError(inner);
    if (found !== inner) return found;
  }
  return err;
}

const withBrokerErrors = async <T>(fn: () => Promise<T>): Promise<T> => {
  try {
    return await fn();
  } catch (err) {
    throw brokerError(err);
  }
};

function adminOptions(config: KafkaConfig, brokers: string[]) {
  const sasl = config.sasl as { mechanism: string; username: string; password: string } | undefined;
  return {
    clientId: config.clientId ?? 'kafkit',
    bootstrapBrokers: brokers,
    connectTimeout: config.connectionTimeout,
    timeout: config.requestTimeout,
    retries: 1,
    ...(config.ssl && typeof config.ssl === 'object' ? { tls: config.ssl } : config.ssl ? { tls: {} } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism.toUpperCase() as 'PLAIN', username: sasl.username, password: sasl.password } } : {}),
  };
}

/** ApiVersions of one broker: a connection to that broker alone, as Kafka's tool asks each node. */
export async function apiVersionsOf(config: KafkaConfig, hostPort: string): Promise<ApiVersionRange[]> {
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin(adminOptions(config, [hostPort]));
  try {
    const apis = await admin.listApis();
    return apis.map((a) => ({ apiKey: a.apiKey, minVersion: a.minVersion, maxVersion: a.maxVersion }));
  } finally {
    await admin.close().catch(() => undefined);
  }
}

type PlatformaticAdmin = InstanceType<typeof import('@platformatic/kafka').Admin>;
type Connection = import('@platformatic/kafka').Connection;

interface OffsetDeleteResponse {
  errorCode: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}

interface DescribeConfigsResponse {
  results: Array<{
    errorCode: number;
    errorMessage: string | null;
    configs: Array<{ name: string; value: string | null; configSource: number; isSensitive: boolean; synonyms?: Array<{ name: string; value: string | null; source: number }> }>;
  }>;
}

interface FindCoordinatorResponse {
  errorCode?: number;
  errorMessage?: string | null;
  nodeId?: number;
  host?: string;
  port?: number;
  coordinators?: Array<{ nodeId: number; host: string; port: number; errorCode: number; errorMessage: string | null }>;
}

export type SpecialOffset = 'max-timestamp' | 'earliest-local' | 'latest-tiered';
/** Kafka's ListOffsetsRequest MAX_TIMESTAMP, EARLIEST_LOCAL_TIMESTAMP and LATEST_TIERED_TIMESTAMP. */
const SPECIAL_TIMESTAMPS: Record<SpecialOffset, bigint> = { 'max-timestamp': -3n, 'earliest-local': -4n, 'latest-tiered': -5n };

// Retriable group errors: NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE.
const COORDINATOR_MOVED = new Set([14, 15, 16]);
// Config resources answered by the broker they name (Kafka's ConfigResource.Type BROKER, BROKER_LOGGER).
const BROKER_RESOURCES = new Set([4, 8]);

export async function openExtraAdmin(config: KafkaConfig): Promise<ExtraAdmin> {
  const lib = await import('@platformatic/kafka');
  const admin: PlatformaticAdmin = new lib.Admin(adminOptions(config, config.brokers as string[]));
  const timeoutMs = config.requestTimeout ?? 30_000;
  let versions: Promise<Map<number, { minVersion: number; maxVersion: number }>> | undefined;

  /** The highest version of `spec` that both our codec and the cluster speak. */
  async function versionOf(spec: ApiSpec): Promise<number> {
    versions ??= admin.listApis().then((apis) => new Map(apis.map((a) => [a.apiKey, a])));
    const theirs = (await versions).get(spec.apiKey);
    const version = Math.min(spec.maxVersion, theirs?.maxVersion ?? -1);
    if (!theirs || version < Math.max(spec.minVersion, theirs.minVersion)) throw errorForCode(35, `The cluster does not support ${spec.name} in a version kafkit speaks`);
    return version;
  }

  const bootstrapConnection = () =>
    new Promise<Connection>((resolve, reject) => admin[lib.kGetBootstrapConnection]((err: Error | null, c?: Connection) => (err ? reject(err) : resolve(c!))));

  async function brokerConnection(nodeId: number): Promise<Connection> {
    const md = await admin.metadata({ topics: [], forceUpdate: true });
    const broker = md.brokers.get(nodeId);
    if (!broker) throw errorForCode(3, `Broker ${nodeId} is not in the cluster's metadata`);
    return new Promise<Connection>((resolve, reject) => admin[lib.kGetConnection](broker, (err: Error | null, c?: Connection) => (err ? reject(err) : resolve(c!))));
  }

  async function request<T>(connection: Connection, spec: ApiSpec, body: object): Promise<T> {
    return sendOver<T>(lib, connection, spec, await versionOf(spec), body);
  }

  async function coordinatorOf(groupId: string): Promise<Connection> {
    const version = await versionOf(FindCoordinator);
    const r = await sendOver<FindCoordinatorResponse>(lib, await bootstrapConnection(), FindCoordinator, version, version >= 4 ? { keyType: 0, coordinatorKeys: [groupId] } : { key: groupId, keyType: 0 });
    const c = version >= 4 ? r.coordinators![0] : { nodeId: r.nodeId!, errorCode: r.errorCode!, errorMessage: r.errorMessage ?? null };
    if (c.errorCode !== 0) throw errorForCode(c.errorCode, c.errorMessage ?? undefined);
    return brokerConnection(c.nodeId);
  }

  const configConnection = (resourceType: number, name: string) =>
    BROKER_RESOURCES.has(resourceType) && /^\d+$/.test(name) ? brokerConnection(Number(name)) : bootstrapConnection();

  return {
    async topicIds(names) {
      const md = await admin.metadata({ topics: names ?? (await admin.listTopics({ includeInternals: true })) });
      return new Map([...md.topics].map(([name, t]) => [name, uuidToBase64(t.id)]));
    },
    async deleteOffsets(groupId, partitions) {
      const byTopic = new Map<string, number[]>();
      for (const p of partitions) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
      const body = { groupId, topics: [...byTopic].map(([name, ps]) => ({ name, partitions: ps.map((partitionIndex) => ({ partitionIndex })) })) };
      let response: OffsetDeleteResponse;
      for (let attempt = 1; ; attempt++) {
        response = await request<OffsetDeleteResponse>(await coordinatorOf(groupId), OffsetDelete, body);
        if (!COORDINATOR_MOVED.has(response.errorCode) || attempt === 5) break;
        await new Promise((r) => setTimeout(r, 200 * attempt));
      }
      const codes = new Map<string, number>();
      for (const t of response.topics) for (const p of t.partitions) codes.set(`${t.name}\0${p.partitionIndex}`, p.errorCode);
      return { errorCode: response.errorCode, partitions: codes };
    },
    async describeConfigs(resourceType, name) {
      const r = await request<DescribeConfigsResponse>(await configConnection(resourceType, name), DescribeConfigs, {
        resources: [{ resourceType, resourceName: name, configurationKeys: null }],
        includeSynonyms: true,
        includeDocumentation: false,
      });
      const result = r.results[0];
      if (result.errorCode !== 0) throw errorForCode(result.errorCode, result.errorMessage ?? undefined);
      return result.configs
        .map((c) => ({
          name: c.name,
          value: c.value ?? null,
          source: sourceName(c.configSource),
          isSensitive: c.isSensitive,
          synonyms: (c.synonyms ?? []).map((x) => ({ name: x.name, value: x.value ?? null, source: sourceName(x.source) })),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async incrementalAlterConfigs(resourceType, name, changes) {
      const configs = changes.map((c) => (c.op === 'set' ? { name: c.name, configOperation: 0, value: c.value } : { name: c.name, configOperation: 1, value: null }));
      const r = await request<{ responses: Array<{ errorCode: number; errorMessage: string | null }> }>(await configConnection(resourceType, name), IncrementalAlterConfigs, {
        resources: [{ resourceType, resourceName: name, configs }],
        validateOnly: false,
      });
      const result = r.responses[0];
      if (result.errorCode !== 0) throw errorForCode(result.errorCode, result.errorMessage ?? undefined);
    },
    async describeLogDirs(topics) {
      const brokers = await withBrokerErrors(() => admin.describeLogDirs({ topics }));
      return brokers.map((b) => ({
        broker: b.broker,
        logDirs: b.results.map((d) => ({
          path: d.logDir,
          // The library fails the call on a dir error, so a dir it returns is readable.
          error: null,
          replicas: d.topics.flatMap((t) =>
            t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, size: Number(p.partitionSize), offsetLag: Number(p.offsetLag), isFuture: p.isFutureKey })),
          ),
        })),
      }));
    },
    async groupInstanceIds(groupId) {
      const version = await versionOf(DescribeGroups);
      if (version < 4) return new Map();
      const r = await sendOver<{ groups: Array<{ members: Array<{ memberId: string; groupInstanceId: string | null }> }> }>(lib, await coordinatorOf(groupId), DescribeGroups, version, {
        groups: [groupId],
        includeAuthorizedOperations: false,
      });
      return new Map((r.groups[0]?.members ?? []).map((m) => [m.memberId, m.groupInstanceId]));
    },
    async specialOffsets(partitions, spec) {
      // The library's consumer lists offsets by any timestamp (ListOffsets v8+, to each leader);
      // listing joins no group, so the group id is only there because its options require one.
      const consumer = new lib.Consumer({ ...adminOptions(config, config.brokers as string[]), groupId: 'kafkit-list-offsets' });
      try {
        const topics = [...new Set(partitions.map((p) => p.topic))];
        const wanted: Record<string, number[]> = {};
        for (const p of partitions) (wanted[p.topic] ??= []).push(p.partition);
        const found = await withBrokerErrors(() => consumer.listOffsetsWithTimestamps({ topics, partitions: wanted, timestamp: SPECIAL_TIMESTAMPS[spec] }));
        return partitions.map((p) => {
          const hit = found.get(p.topic)?.get(p.partition);
          return { ...p, offset: hit ? Number(hit.offset) : -1, timestamp: hit ? Number(hit.timestamp) : -1 };
        });
      } finally {
        await consumer.close().catch(() => undefined);
      }
    },
    async electLeaders(type, partitions) {
      return electLeadersOver(lib, await bootstrapConnection(), type, partitions, timeoutMs);
    },
    close: () => admin.close(),
  };
}

/** One request in kafkit's own codec over one of the library's connections (so TLS and SASL apply). */
function sendOver<T>(lib: typeof import('@platformatic/kafka'), connection: Connection, spec: ApiSpec, version: number, body: object): Promise<T> {
  const payload = encode(spec.request, version, body).toBuffer();
  return withBrokerErrors(
    () =>
      new Promise<T>((resolve, reject) =>
        connection.send(
          spec.apiKey,
          version,
          () => lib.Writer.create().append(payload),
          (_id, _key, _version, reader) => {
            const bytes = reader.buffer.slice(reader.position);
            return decode<T>(spec.response, version, new Reader(bytes, 0, bytes.length));
          },
          version >= spec.request.flexibleFrom,
          version >= spec.response.flexibleFrom,
          (err, r) => (err ? reject(err) : resolve(r as T)),
        ),
      ),
  );
}

interface ElectLeadersResponse {
  errorCode: number;
  replicaElectionResults: Array<{ topic: string; partitionResult: Array<{ partitionId: number; errorCode: number; errorMessage: string | null }> }>;
}

const ELECT_LEADERS_VERSION = 2;

async function electLeadersOver(
  lib: typeof import('@platformatic/kafka'),
  connection: Connection,
  type: ElectionType,
  partitions: TopicPartition[] | undefined,
  timeoutMs: number,
): Promise<ItemResult<TopicPartition>[]> {
  const byTopic = new Map<string, number[]>();
  for (const p of partitions ?? []) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
  const response = await sendOver<ElectLeadersResponse>(lib, connection, ElectLeaders, ELECT_LEADERS_VERSION, {
    electionType: type === 'PREFERRED' ? 0 : 1,
    topicPartitions: partitions ? [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })) : null,
    timeoutMs,
  });
  if (response.errorCode !== 0) throw errorForCode(response.errorCode);
  return response.replicaElectionResults.flatMap((t) =>
    t.partitionResult.map((p) => ({
      item: { topic: t.topic, partition: p.partitionId },
      error: p.errorCode === 0 ? undefined : errorForCode(p.errorCode, p.errorMessage ?? DEFAULT_ELECTION_MESSAGES[p.errorCode]),
    })),
  );
}
