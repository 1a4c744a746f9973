// The remote producer: librdkafka (node-rdkafka) when it is installed for this Node and has the
// codec asked for, else kafkajs. node-rdkafka is an accelerator that compiles for minutes at install,
// so a default install goes without it (README, "Faster remote producing").
import type { Kafka } from 'kafkajs';
import type kafkajsModule from 'kafkajs';
import type { Producer, ProducerOptions, Properties } from '../types.js';
import { tryLoadRdkafka } from './librdkafka.js';

export async function createRemoteProducer(
  kafkajs: typeof kafkajsModule,
  kafka: Kafka,
  bootstrap: string,
  connection: Properties,
  timeoutMs: number,
  options: ProducerOptions,
): Promise<Producer> {
  const rdkafka = await tryLoadRdkafka();
  // A librdkafka built without a codec's library (zstd without libzstd-dev) leaves that codec to kafkajs.
  if (rdkafka && (options.compression === 'none' || rdkafka.features.includes(options.compression))) {
    const { createRdkafkaProducer } = await import('./rdkafka-producer.js');
    return createRdkafkaProducer(rdkafka, bootstrap, connection, timeoutMs, options);
  }
  const { createKafkajsProducer } = await import('./kafkajs-producer.js');
  return createKafkajsProducer(kafkajs, kafka, bootstrap, options);
}
