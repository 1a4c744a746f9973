// librdkafka (through node-rdkafka) for the remote producer: loading the native binding, Kafka's
// client properties turned into librdkafka's, and its errors mapped onto kafkit's typed errors.
// Secrets go into the config object only: never into messages or logs.
import type { Properties } from '../types.js';
import type * as Rdkafka from 'node-rdkafka';
import { KafkaStorageError, KafkitError, NotEnoughReplicasError, RecordTooLargeError, RequestTimedOutError, UnknownServerError, UnknownTopicOrPartitionError, errorForCode } from '../../errors.js';
import { brokerStorageError } from './errors.js';
import { securitySettings } from './connection-config.js';
import { unreachable } from './probe.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import { batchTooLarge } from './record-size.js';

export type RdkafkaModule = typeof Rdkafka;

/**
 * node-rdkafka is an optional peer dependency: absent unless installed (its librdkafka compiles for
 * minutes), or built for another Node (its addon is tied to one Node ABI). Without it the remote
 * producer runs on kafkajs. KAFKIT_NO_RDKAFKA=1 asks for kafkajs while it is installed (tests, comparisons).
 */
export async function tryLoadRdkafka(): Promise<RdkafkaModule | undefined> {
  if (process.env.KAFKIT_NO_RDKAFKA) return undefined;
  try {
    const mod = (await import('node-rdkafka')) as RdkafkaModule & { default?: RdkafkaModule };
    return mod.default ?? mod;
  } catch (err) {
    if (process.env.KAFKIT_DEBUG) process.stderr.write(`node-rdkafka not loaded, the producer uses kafkajs: ${(err as Error).message}\n`);
    return undefined;
  }
}

/**
 * Java producer properties that librdkafka knows under the same name or another one, for its global
 * config and for its topic config (node-rdkafka replaces the global config's topic defaults, so
 * topic-level ones must go there). Anything else is left out, as Java's clients ignore (and only
 * log) properties they do not use.
 */
const PRODUCER_PROPERTIES: Record<string, string> = {
  'enable.idempotence': 'enable.idempotence',
  'max.in.flight.requests.per.connection': 'max.in.flight.requests.per.connection',
  retries: 'retries',
  'retry.backoff.ms': 'retry.backoff.ms',
  'max.request.size': 'message.max.bytes',
  'transactional.id': 'transactional.id',
  'socket.connection.setup.timeout.ms': 'socket.connection.setup.timeout.ms',
  'metadata.max.age.ms': 'metadata.max.age.ms',
};
const PRODUCER_TOPIC_PROPERTIES: Record<string, string> = {
  'request.timeout.ms': 'request.timeout.ms',
  'delivery.timeout.ms': 'message.timeout.ms',
  'compression.level': 'compression.level',
};

/** Connection properties (security.protocol, sasl.*, ssl.*) in librdkafka's names. */
export function connectionProperties(bootstrap: string, props: Properties): Record<string, string | number | boolean> {
  const security = securitySettings(props);
  const config: Record<string, string | number | boolean> = {
    'bootstrap.servers': bootstrap,
    'client.id': props['client.id'] ?? 'kafkit',
    'security.protocol': security.protocol.toLowerCase(),
  };
  if (security.ssl) {
    const { caLocation, certificateLocation, keyLocation, keyPassword, hostnameCheck } = security.ssl;
    Object.assign(config, {
      ...(caLocation ? { 'ssl.ca.location': caLocation } : {}),
      ...(certificateLocation ? { 'ssl.certificate.location': certificateLocation } : {}),
      ...(keyLocation ? { 'ssl.key.location': keyLocation } : {}),
      ...(keyPassword ? { 'ssl.key.password': keyPassword } : {}),
      'ssl.endpoint.identification.algorithm': hostnameCheck ? 'https' : 'none',
    });
  }
  if (security.sasl) {
    Object.assign(config, { 'sasl.mechanisms': security.sasl.mechanism, 'sasl.username': security.sasl.username, 'sasl.password': security.sasl.password });
  }
  return config;
}

export function producerProperties(props: Properties): { global: Record<string, string>; topic: Record<string, string> } {
  const pick = (names: Record<string, string>) => {
    const out: Record<string, string> = {};
    for (const [java, rd] of Object.entries(names)) if (props[java] !== undefined) out[rd] = props[java];
    return out;
  };
  return { global: pick(PRODUCER_PROPERTIES), topic: pick(PRODUCER_TOPIC_PROPERTIES) };
}

// librdkafka's own (negative) error codes that the tools can meet.
const ERR_TRANSPORT = -195;
const ERR_MSG_TIMED_OUT = -192;
const ERR_UNKNOWN_PARTITION = -190;
const ERR_UNKNOWN_TOPIC = -188;
export const ERR_ALL_BROKERS_DOWN = -187;
export const ERR_TIMED_OUT = -185;
export const ERR_QUEUE_FULL = -184;

// node-rdkafka hands many errors (delivery reports, events) over as text only, with code -1: the
// texts (librdkafka's rd_kafka_err2str, lowercased) of those the tools can meet.
const CODES_BY_TEXT: Record<string, number> = {
  'message size too large': 10,
  'unknown topic or partition': 3,
  'topic authorization failed': 29,
  'not enough in-sync replicas': 19,
  'disk error when trying to access log file on disk': 56,
  'message timed out': ERR_MSG_TIMED_OUT,
  'unknown topic': ERR_UNKNOWN_TOPIC,
  'unknown partition': ERR_UNKNOWN_PARTITION,
  'all broker connections are down': ERR_ALL_BROKERS_DOWN,
  'broker transport failure': ERR_TRANSPORT,
  'timed out': ERR_TIMED_OUT,
};

export function mapRdkafkaError(err: unknown, bootstrap: string, topic?: string): KafkitError {
  if (err instanceof KafkitError) return err;
  const e = err as { code?: number; message?: string };
  const message = e?.message ?? String(err);
  const code = typeof e?.code === 'number' && e.code !== -1 ? e.code : CODES_BY_TEXT[message.replace(/^(broker|local): /i, '').toLowerCase()];
  if (code === RecordTooLargeError.info.code) return batchTooLarge(bootstrap, topic);
  if ((code === UnknownTopicOrPartitionError.info.code || code === ERR_UNKNOWN_TOPIC) && topic !== undefined) return unknownTopic(topic);
  // librdkafka gives only "Not enough in-sync replicas"; a Java client prints Kafka's exception text.
  if (code === NotEnoughReplicasError.info.code) {
    return new NotEnoughReplicasError(
      `org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync replicas than required${topic ? ` (topic ${topic})` : ''}. Start the stopped brokers, or send with acks=1.`,
    );
  }
  if (code === KafkaStorageError.info.code) return brokerStorageError();
  if (code !== undefined && code > 0) return errorForCode(code, message.replace(/^Broker: /, ''));
  switch (code) {
    case ERR_TRANSPORT:
    case ERR_ALL_BROKERS_DOWN:
      return unreachable(bootstrap);
    case ERR_MSG_TIMED_OUT:
    case ERR_TIMED_OUT:
      return new RequestTimedOutError(`The cluster at ${bootstrap} did not acknowledge the records in time (delivery.timeout.ms); check that its brokers are up, or raise delivery.timeout.ms.`);
    case ERR_UNKNOWN_TOPIC:
      return new UnknownTopicOrPartitionError(`${message}: create the topic with kafka-topics --create.`);
    case ERR_UNKNOWN_PARTITION:
      return new UnknownTopicOrPartitionError(`${message}: the partition does not exist; kafka-topics --describe --topic ${topic ?? '<topic>'} lists them.`);
    default:
      return new UnknownServerError(message);
  }
}
