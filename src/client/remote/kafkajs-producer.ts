// The producer on a real cluster through kafkajs, when node-rdkafka is not installed. Records are
// gathered as Kafka's accumulator does and handed to kafkajs a request at a time; partitions are
// chosen by Kafka's own default partitioner (src/client/partitioner.ts), so keyed records land where
// the Java client puts them. kafkajs encodes in JavaScript: slower than librdkafka (docs/remote-backend.md).
import type { Kafka, Message } from 'kafkajs';
import type kafkajsModule from 'kafkajs';
import type { Producer, ProducerOptions, ProducerRecord, SendCallback } from '../types.js';
import { DefaultPartitioner } from '../partitioner.js';
import { mapRemoteError } from './errors.js';
import { UnsupportedVersionError, UnknownTopicOrPartitionError } from '../../errors.js';
import { unknownTopic } from '../../engine/cluster/cluster.js';
import { RECORD_TOO_LARGE_CODE, batchTooLarge, recordSize, recordTooLarge } from './record-size.js';

/**
 * Requests are sent one after another: concurrent sendBatch calls can reach the socket out of order
 * (each awaits metadata first) and a retried one lands after later ones, which reorders a partition.
 * While one is in flight the next is gathered; the caller waits only when two are queued behind it.
 */
const MAX_QUEUED = 2;
/**
 * Without --batch-size or --timeout, a request carries up to 128 KB and waits 5 ms for more. kafkajs
 * groups a request's records by partition by copying the group's array for every record (quadratic),
 * so larger requests run slower: 64-128 KB measured fastest, 512 KB 10-25% slower, Java's 16 KB
 * (a request each) 40% slower (docs/remote-backend.md).
 */
const DEFAULT_REQUEST_BYTES = 128 * 1024;
const DEFAULT_LINGER_MS = 5;

interface Pending {
  byTopic: Map<string, Message[]>;
  callbacks: SendCallback[];
  bytes: number;
}

const emptyPending = (): Pending => ({ byTopic: new Map(), callbacks: [], bytes: 0 });

function headersOf(record: ProducerRecord): Record<string, Buffer | Buffer[]> | undefined {
  if (!record.headers || record.headers.length === 0) return undefined;
  const headers: Record<string, Buffer | Buffer[]> = {};
  for (const h of record.headers) {
    // kafkajs sizes every header value with Buffer.byteLength, so a null one cannot be sent.
    if (h.value === null) {
      throw new UnsupportedVersionError(`Header '${h.key}' has a null value, which the remote backend (kafkajs) cannot send; give it a text value, or produce without --bootstrap-server.`);
    }
    // kafkajs takes headers as an object: a repeated key becomes a list, or all but its last value would be lost.
    const seen = headers[h.key];
    headers[h.key] = seen === undefined ? h.value : Array.isArray(seen) ? [...seen, h.value] : [seen, h.value];
  }
  return headers;
}

export async function createKafkajsProducer(kafkajs: typeof kafkajsModule, kafka: Kafka, bootstrap: string, options: ProducerOptions): Promise<Producer> {
  const requestBytes = options.batchSize ?? DEFAULT_REQUEST_BYTES;
  const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
  const maxRequestSize = Number(options.properties['max.request.size'] ?? 1_048_576);
  const partitioners = new Map<string, DefaultPartitioner>();
  const producer = kafka.producer({
    allowAutoTopicCreation: true,
    createPartitioner: () => ({ topic, partitionMetadata, message }) => {
      if (message.partition !== undefined && message.partition !== null) return message.partition;
      let p = partitioners.get(topic);
      if (!p) partitioners.set(topic, (p = new DefaultPartitioner(requestBytes)));
      const key = message.key === null || message.key === undefined ? null : Buffer.from(message.key);
      return p.partition(key, partitionMetadata.length, (message.value as Buffer | null)?.length ?? 0);
    },
  });
  try {
    await producer.connect();
  } catch (err) {
    throw mapRemoteError(err, bootstrap);
  }
  const compression = {
    none: kafkajs.CompressionTypes.None,
    gzip: kafkajs.CompressionTypes.GZIP,
    snappy: kafkajs.CompressionTypes.Snappy,
    lz4: kafkajs.CompressionTypes.LZ4,
    zstd: kafkajs.CompressionTypes.ZSTD,
  }[options.compression];

  const mapError = (err: unknown, topics: string[]): Error => {
    const code = (err as { code?: number })?.code ?? (err as { errors?: Array<{ code?: number }> })?.errors?.find((e) => typeof e?.code === 'number')?.code;
    const topic = topics.length === 1 ? topics[0] : undefined;
    if (code === RECORD_TOO_LARGE_CODE) return batchTooLarge(bootstrap, topic);
    if (code === UnknownTopicOrPartitionError.info.code && topic !== undefined) return unknownTopic(topic);
    return mapRemoteError(err, bootstrap);
  };

  let pending = emptyPending();
  /** Requests dispatched and not yet answered, oldest first; each starts when the one before it ends. */
  const queue: Promise<void>[] = [];
  let failure: Error | undefined;
  let timer: NodeJS.Timeout | undefined;

  function dispatch(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.byTopic.size === 0) return;
    const { byTopic, callbacks } = pending;
    pending = emptyPending();
    const topicMessages = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const p: Promise<void> = (queue.at(-1) ?? Promise.resolve())
      .then(() => producer.sendBatch({ topicMessages, acks: options.acks, compression }))
      .then(
        () => {
          for (const cb of callbacks) cb(undefined);
        },
        (err) => {
          const error = mapError(err, [...byTopic.keys()]);
          failure ??= error;
          for (const cb of callbacks) cb(error);
        },
      )
      .finally(() => {
        queue.shift();
      });
    queue.push(p);
  }

  const self: Producer = {
    send(record, onAcknowledged) {
      const size = recordSize(record);
      if (size > maxRequestSize) throw recordTooLarge(record, maxRequestSize);
      const message: Message = { key: record.key, value: record.value, headers: headersOf(record), partition: record.partition };
      if (record.timestamp !== undefined) message.timestamp = String(record.timestamp);
      let list = pending.byTopic.get(record.topic);
      if (!list) pending.byTopic.set(record.topic, (list = []));
      list.push(message);
      if (onAcknowledged) pending.callbacks.push(onAcknowledged);
      // Each record's own framing (length, attributes, deltas) is about 16 bytes.
      pending.bytes += size + 16;
      if (pending.bytes >= requestBytes) dispatch();
      else if (!timer) timer = setTimeout(dispatch, Math.max(0, lingerMs));
      if (queue.length >= MAX_QUEUED) return queue[0];
      return undefined;
    },
    async flush() {
      dispatch();
      while (queue.length > 0) await queue.at(-1);
      if (failure) {
        const f = failure;
        failure = undefined;
        throw f;
      }
    },
    async close() {
      try {
        await self.flush();
      } finally {
        await producer.disconnect();
      }
    },
  };
  return self;
}
