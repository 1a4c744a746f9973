// The producer on a real cluster: records are gathered like Kafka's accumulator and handed to
// kafkajs in batches; partitions are chosen by Kafka's own default partitioner (src/client/partitioner.ts),
// so keyed records land where the Java client would put them.
import type { Kafka, Message } from 'kafkajs';
import type kafkajsModule from 'kafkajs';
import type { Producer, ProducerOptions, ProducerRecord } from '../types.js';
import { DefaultPartitioner } from '../partitioner.js';
import { mapRemoteError } from './errors.js';
import { UnsupportedVersionError } from '../../errors.js';

const MAX_IN_FLIGHT = 5;

export async function createRemoteProducer(kafkajs: typeof kafkajsModule, kafka: Kafka, bootstrap: string, options: ProducerOptions): Promise<Producer> {
  const partitioners = new Map<string, DefaultPartitioner>();
  const producer = kafka.producer({
    allowAutoTopicCreation: true,
    createPartitioner: () => ({ topic, partitionMetadata, message }) => {
      if (message.partition !== undefined && message.partition !== null) return message.partition;
      let p = partitioners.get(topic);
      if (!p) partitioners.set(topic, (p = new DefaultPartitioner(options.batchSize)));
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
  let pending = new Map<string, Message[]>();
  let pendingBytes = 0;
  const inFlight = new Set<Promise<void>>();
  let failure: Error | undefined;
  let timer: NodeJS.Timeout | undefined;

  function dispatch(): void {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (pending.size === 0) return;
    const topicMessages = [...pending].map(([topic, messages]) => ({ topic, messages }));
    pending = new Map();
    pendingBytes = 0;
    const p = producer
      .sendBatch({ topicMessages, acks: options.acks, compression })
      .then(
        () => undefined,
        (err) => {
          failure ??= mapRemoteError(err, bootstrap);
        },
      )
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  }

  const self: Producer = {
    send(record: ProducerRecord) {
      const headers: Record<string, Buffer | Buffer[]> = {};
      for (const h of record.headers ?? []) {
        // kafkajs sizes every header value with Buffer.byteLength, so a null one cannot be sent.
        if (h.value === null) throw new UnsupportedVersionError(`Header '${h.key}' has a null value, which the remote backend (kafkajs) cannot send; give it a value, or produce without --bootstrap-server.`);
        // kafkajs takes headers as an object: a repeated key becomes a list, or all but its last value would be lost.
        const seen = headers[h.key];
        headers[h.key] = seen === undefined ? h.value : Array.isArray(seen) ? [...seen, h.value] : [seen, h.value];
      }
      const list = pending.get(record.topic) ?? [];
      if (list.length === 0) pending.set(record.topic, list);
      list.push({ key: record.key, value: record.value, headers, partition: record.partition, timestamp: record.timestamp === undefined ? undefined : String(record.timestamp) });
      pendingBytes += (record.value?.length ?? 0) + (record.key?.length ?? 0) + 16;
      if (pendingBytes >= options.batchSize * 4) dispatch();
      else if (!timer) timer = setTimeout(dispatch, Math.max(0, options.lingerMs));
      if (inFlight.size >= MAX_IN_FLIGHT) return Promise.race(inFlight);
      return undefined;
    },
    async flush() {
      dispatch();
      await Promise.all(inFlight);
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
