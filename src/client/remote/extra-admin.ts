// kafkajs lacks two calls the tools need: topic ids (it speaks Metadata v6, which has none) and
// OffsetDelete (kafka-consumer-groups --delete-offsets). For those two only, @platformatic/kafka's
// Admin is used, on the same connection settings. It is imported lazily (~0.7 s) and only by the
// commands that need it: --describe, --topic-id and --delete-offsets with --bootstrap-server.
import type { KafkaConfig } from 'kafkajs';
import type { TopicPartition } from '../types.js';

export interface ExtraAdmin {
  /** Topic name -> Kafka's 22-character base64 id, for the topics the cluster knows. */
  topicIds(names?: string[]): Promise<Map<string, string>>;
  /** OffsetDelete for one group: the group's error code, and each partition's (0 = deleted). */
  deleteOffsets(groupId: string, partitions: TopicPartition[]): Promise<{ errorCode: number; partitions: Map<string, number> }>;
  close(): Promise<void>;
}

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

export async function openExtraAdmin(config: KafkaConfig): Promise<ExtraAdmin> {
  const { Admin } = await import('@platformatic/kafka');
  const sasl = config.sasl as { mechanism: string; username: string; password: string } | undefined;
  const admin = new Admin({
    clientId: config.clientId ?? 'kafkit',
    bootstrapBrokers: config.brokers as string[],
    connectTimeout: config.connectionTimeout,
    timeout: config.requestTimeout,
    retries: 1,
    ...(config.ssl && typeof config.ssl === 'object' ? { tls: config.ssl } : config.ssl ? { tls: {} } : {}),
    ...(sasl ? { sasl: { mechanism: sasl.mechanism.toUpperCase() as 'PLAIN', username: sasl.username, password: sasl.password } } : {}),
  });
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
    close: () => admin.close(),
  };
}
