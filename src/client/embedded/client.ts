// The embedded backend: the storage engine in this process, on the data dir's local cluster.
import type { ClientOptions, KafkaClient } from '../types.js';
import { Cluster } from '../../engine/cluster/cluster.js';

export function createEmbeddedClient(options: ClientOptions): KafkaClient {
  const dataDir = options.dataDir ?? (process.env.KAFKIT_DATA_DIR || './.kafkit');
  const brokers = process.env.KAFKIT_BROKERS ? Number(process.env.KAFKIT_BROKERS) : undefined;
  let cluster: Cluster | undefined;
  const open = () => (cluster ??= Cluster.open(dataDir, { brokers }));
  const closers: Array<() => Promise<void>> = [];
  return {
    kind: 'embedded',
    async admin() {
      const { createEmbeddedAdmin } = await import('./admin.js');
      const admin = createEmbeddedAdmin(open());
      closers.push(() => admin.close());
      return admin;
    },
    async producer(producerOptions) {
      const { createEmbeddedProducer } = await import('./producer.js');
      const producer = createEmbeddedProducer(open(), producerOptions);
      closers.push(() => producer.close());
      return producer;
    },
    async consumer(consumerOptions) {
      const { createEmbeddedConsumer } = await import('./consumer.js');
      const consumer = createEmbeddedConsumer(open(), consumerOptions);
      closers.push(() => consumer.close());
      return consumer;
    },
    async close() {
      for (const close of closers.splice(0).reverse()) await close();
    },
  };
}
