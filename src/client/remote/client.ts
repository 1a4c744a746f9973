// The remote backend: the client interface on a real Kafka cluster through kafkajs (the choice and
// its measurements are in docs/remote-backend.md). Loaded only when --bootstrap-server is given.
import type { ClientOptions, KafkaClient } from '../types.js';
import { connectionConfig } from './connection-config.js';
import { kafkajsLogCreator } from './kafkajs-log.js';
import { probeBootstrap } from './probe.js';
import { dropNegativeTimeoutWarnings } from './negative-timeouts.js';

export async function createRemoteClient(options: ClientOptions): Promise<KafkaClient> {
  const bootstrap = options.bootstrapServer!;
  dropNegativeTimeoutWarnings();
  const kafkajs = (await import('kafkajs')).default;
  const { registerCodecs } = await import('./codecs.js');
  registerCodecs(kafkajs);
  const config = connectionConfig(bootstrap, options.properties ?? {}, options.timeoutMs ?? 30_000);
  // kafkajs logs go to stderr with KAFKIT_DEBUG only: the tools report failures themselves. The
  // debug level is always on for kafkajs-log.ts to see the entry that marks a stray fetcher.
  const kafka = new kafkajs.Kafka({
    ...config,
    logLevel: kafkajs.logLevel.DEBUG,
    logCreator: kafkajsLogCreator(Boolean(process.env.KAFKIT_DEBUG)),
  });
  const closers: Array<() => Promise<void>> = [];
  let probed: Promise<void> | undefined;
  const probe = () => (probed ??= probeBootstrap(bootstrap, config.connectionTimeout ?? 10_000, config.ssl === true ? {} : config.ssl || undefined));
  return {
    kind: 'remote',
    async admin() {
      await probe();
      const { createRemoteAdmin } = await import('./admin.js');
      const { admin, connect } = createRemoteAdmin(kafkajs, kafka, bootstrap, config);
      await connect();
      closers.push(() => admin.close());
      return admin;
    },
    async producer(producerOptions) {
      await probe();
      const { createRemoteProducer } = await import('./producer.js');
      const producer = await createRemoteProducer(kafkajs, kafka, bootstrap, options.properties ?? {}, options.timeoutMs ?? 30_000, producerOptions);
      closers.push(() => producer.close());
      return producer;
    },
    async consumer(consumerOptions) {
      await probe();
      const { createRemoteConsumer } = await import('./consumer.js');
      const consumer = await createRemoteConsumer(kafka, bootstrap, consumerOptions);
      closers.push(() => consumer.close());
      return consumer;
    },
    async close() {
      for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
    },
  };
}
