// kafkajs lacks two calls the tools need: topic ids (it speaks Metadata v6, which has none) and
// OffsetDelete (kafka-consumer-groups --delete-offsets). For those two only, @platformatic/kafka's
// Admin is used, on the same connection settings. It is imported lazily (~0.7 s) and only by the
// commands that need it: --describe, --topic-id and --delete-offsets with --bootstrap-server.
import type { KafkaConfig } from 'kafkajs';
import { errorForCode } from '../../errors.js';
import type { ApiVersionRange, BrokerLogDirs, ConfigChange, ConfigSource, DescribedConfig, ElectionType, ItemResult, TopicPartition } from '../types.js';
import { ElectLeaders } from '../../protocol/messages/elect-leaders.js';
import { decode, encode } from '../../protocol/schema.js';
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
  close(): Promise<void>;
}

const SOURCES: ConfigSource[] = ['UNKNOWN', 'DYNAMIC_TOPIC_CONFIG', 'DYNAMIC_BROKER_CONFIG', 'DYNAMIC_DEFAULT_BROKER_CONFIG', 'STATIC_BROKER_CONFIG', 'DEFAULT_CONFIG', 'UNKNOWN', 'UNKNOWN', 'DYNAMIC_GROUP_CONFIG'];
const sourceName = (n: number): ConfigSource => SOURCES[n] ?? 'UNKNOWN';

/** Kafka prints Uuids as URL-safe base64 of their 16 bytes; the library gives them dashed hex. */
export function uuidToBase64(uuid: string): string {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex').toString('base64url');
}

interface OffsetDeleteResponse {
  errorCode: number;
  topics: Array<{ name: string; partitions: Array<{ partitionIndex: number; errorCode: number }> }>;
}

function findResponse(err: unknown): OffsetDeleteResponse | undefined {
  const e = err as { response?: OffsetDeleteResponse; errors?: unknown[] } | undefined;
  if (e?.response && Array.isArray(e.response.topics)) return e.response;
  for (const inner of e?.errors ?? []) {
    const found = findResponse(inner);
    if (found) return found;
  }
  return undefined;
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

export async function openExtraAdmin(config: KafkaConfig): Promise<ExtraAdmin> {
  const { Admin } = await import('@platformatic/kafka');
  const admin = new Admin(adminOptions(config, config.brokers as string[]));
  return {
    async topicIds(names) {
      const md = await admin.metadata({ topics: names ?? (await admin.listTopics({ includeInternals: true })) });
      return new Map([...md.topics].map(([name, t]) => [name, uuidToBase64(t.id)]));
    },
    async deleteOffsets(groupId, partitions) {
      const byTopic = new Map<string, number[]>();
      for (const p of partitions) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
      const codes = new Map<string, number>();
      try {
        await admin.deleteConsumerGroupOffsets({ groupId, topics: [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes })) });
        return { errorCode: 0, partitions: codes };
      } catch (err) {
        // The library wraps the broker's answer in nested errors; the response inside has the codes.
        const response = findResponse(err);
        if (!response) throw err;
        for (const t of response.topics) for (const p of t.partitions) codes.set(`${t.name}\0${p.partitionIndex}`, p.errorCode);
        return { errorCode: response.errorCode, partitions: codes };
      }
    },
    async describeConfigs(resourceType, name) {
      const [r] = await withBrokerErrors(() => admin.describeConfigs({ resources: [{ resourceType: resourceType as 2, resourceName: name }], includeSynonyms: true }));
      return r.configs
        .map((c) => ({
          name: c.name,
          value: c.value ?? null,
          source: sourceName(c.configSource),
          isSensitive: c.isSensitive,
          synonyms: c.synonyms.map((x) => ({ name: x.name, value: x.value ?? null, source: sourceName(x.source) })),
        }))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    },
    async incrementalAlterConfigs(resourceType, name, changes) {
      const configs = changes.map((c) => (c.op === 'set' ? { name: c.name, configOperation: 0 as const, value: c.value } : { name: c.name, configOperation: 1 as const }));
      await withBrokerErrors(() => admin.incrementalAlterConfigs({ resources: [{ resourceType: resourceType as 2, resourceName: name, configs }] }));
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
    async electLeaders(type, partitions) {
      const lib = await import('@platformatic/kafka');
      const connection = await new Promise<import('@platformatic/kafka').Connection>((resolve, reject) =>
        admin[lib.kGetBootstrapConnection]((err: Error | null, c?: import('@platformatic/kafka').Connection) => (err ? reject(err) : resolve(c!))),
      );
      return electLeadersOver(connection, type, partitions, config.requestTimeout ?? 30_000);
    },
    close: () => admin.close(),
  };
}

interface ElectLeadersResponse {
  errorCode: number;
  replicaElectionResults: Array<{ topic: string; partitionResult: Array<{ partitionId: number; errorCode: number; errorMessage: string | null }> }>;
}

const ELECT_LEADERS_VERSION = 2;

async function electLeadersOver(
  connection: import('@platformatic/kafka').Connection,
  type: ElectionType,
  partitions: TopicPartition[] | undefined,
  timeoutMs: number,
): Promise<ItemResult<TopicPartition>[]> {
  const { Writer } = await import('@platformatic/kafka');
  const byTopic = new Map<string, number[]>();
  for (const p of partitions ?? []) (byTopic.get(p.topic) ?? byTopic.set(p.topic, []).get(p.topic)!).push(p.partition);
  const body = encode(ElectLeaders.request, ELECT_LEADERS_VERSION, {
    electionType: type === 'PREFERRED' ? 0 : 1,
    topicPartitions: partitions ? [...byTopic].map(([topic, ps]) => ({ topic, partitions: ps })) : null,
    timeoutMs,
  }).toBuffer();
  const response = await new Promise<ElectLeadersResponse>((resolve, reject) =>
    connection.send(
      ElectLeaders.apiKey,
      ELECT_LEADERS_VERSION,
      () => Writer.create().append(body),
      (_id, _key, _version, reader) => {
        const bytes = reader.buffer.slice(reader.position);
        return decode<ElectLeadersResponse>(ElectLeaders.response, ELECT_LEADERS_VERSION, new Reader(bytes, 0, bytes.length));
      },
      true,
      true,
      (err, r) => (err ? reject(err) : resolve(r!)),
    ),
  );
  if (response.errorCode !== 0) throw errorForCode(response.errorCode);
  return response.replicaElectionResults.flatMap((t) =>
    t.partitionResult.map((p) => ({
      item: { topic: t.topic, partition: p.partitionId },
      error: p.errorCode === 0 ? undefined : errorForCode(p.errorCode, p.errorMessage ?? DEFAULT_ELECTION_MESSAGES[p.errorCode]),
    })),
  );
}
