// Independent clients against kafka-server-start: kafkajs, kafka-python and confluent-kafka
// (librdkafka), and one record read identically by every client and by the embedded consumer.
import kafkajs from 'kafkajs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerCodecs } from '../../src/client/remote/codecs.js';
import { ROOT, bin } from '../helpers.js';
import { runProcess, serverPerFile } from './server-process.js';

const { Kafka, CompressionTypes, logLevel } = kafkajs;
registerCodecs(kafkajs);

const ctx = serverPerFile();
let kafka: InstanceType<typeof Kafka>;

beforeAll(() => {
  kafka = new Kafka({ clientId: 'test', brokers: ctx.server.bootstrap.split(','), logLevel: logLevel.NOTHING, retry: { retries: 3 } });
});

const python = (script: string) => runProcess('/usr/bin/python3', [join(ROOT, 'test', 'fixtures', script), ctx.server.bootstrap], { timeoutMs: 90_000 });

describe('kafkajs', () => {
  it('admin creates, describes and deletes topics', async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      expect(await admin.createTopics({ topics: [{ topic: 'kjs', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })).toBe(true);
      const meta = await admin.fetchTopicMetadata({ topics: ['kjs'] });
      expect(meta.topics[0].partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
      expect(meta.topics[0].partitions.every((p) => p.isr.length === 3 && p.replicas.includes(p.leader))).toBe(true);
      const configs = await admin.describeConfigs({ resources: [{ type: 2, name: 'kjs', configNames: ['retention.ms'] }], includeSynonyms: false });
      expect(configs.resources[0].configEntries.map((e) => [e.configName, e.configValue])).toEqual([['retention.ms', '3600000']]);
      await admin.deleteTopics({ topics: ['kjs'] });
      expect(await admin.listTopics()).not.toContain('kjs');
      const embedded = await bin('kafka-topics', ['--list'], ctx.dataDir);
      expect(embedded.stdout.split('\n')).not.toContain('kjs');
    } finally {
      await admin.disconnect();
    }
  });

  it('produces with acks=all and every codec; the embedded consumer reads it all back', async () => {
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const codecs = [CompressionTypes.None, CompressionTypes.GZIP, CompressionTypes.Snappy, CompressionTypes.LZ4, CompressionTypes.ZSTD];
    for (const [i, compression] of codecs.entries()) {
      await producer.send({ topic: 'codecs', acks: -1, compression, messages: Array.from({ length: 50 }, (_, j) => ({ value: `c${i}-${j}` })) });
    }
    await producer.disconnect();
    const r = await bin('kafka-console-consumer', ['--topic', 'codecs', '--from-beginning', '--max-messages', '250'], ctx.dataDir);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(codecs.flatMap((_, i) => Array.from({ length: 50 }, (_, j) => `c${i}-${j}`)).sort());
  });

  it('a group of two members rebalances when one leaves, and the survivor reads everything after', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'grp', numPartitions: 4, replicationFactor: 1 }] });
    await admin.disconnect();
    const seen: Array<Set<number>> = [new Set(), new Set()];
    const consumers = [0, 1].map(() => kafka.consumer({ groupId: 'kjs-group', sessionTimeout: 6000, heartbeatInterval: 500 }));
    const assigned: Array<number[]> = [[], []];
    for (const [i, c] of consumers.entries()) {
      c.on(c.events.GROUP_JOIN, (e) => (assigned[i] = (e.payload.memberAssignment.grp ?? []).slice().sort()));
      await c.connect();
      await c.subscribe({ topic: 'grp', fromBeginning: true });
      await c.run({ eachMessage: async ({ message }) => void seen[i].add(Number(message.value)) });
    }
    const until = async (cond: () => boolean) => {
      const deadline = Date.now() + 40_000;
      while (!cond() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(cond()).toBe(true);
    };
    await until(() => assigned[0].length === 2 && assigned[1].length === 2);
    expect([...assigned[0], ...assigned[1]].sort()).toEqual([0, 1, 2, 3]);
    await consumers[1].disconnect();
    await until(() => assigned[0].length === 4);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'grp', messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: String(i) })) });
    await producer.disconnect();
    await until(() => seen[0].size === 40);
    await consumers[0].disconnect();
  });
});

describe('Python clients', () => {
  it('kafka-python: admin, producer, group consumer with commit, list and describe groups', async () => {
    const r = await python('kafka-python-client.py');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe("topics ['py1']\nconfigs ok\nconsumed 10\ngroups [('pyg', 'consumer')]\ndescribe [('pyg', 'Stable')]\n");
  });

  it('confluent-kafka (librdkafka): admin, idempotent producer, consumer with commit, list groups', async () => {
    const r = await python('confluent-kafka-client.py');
    expect(r.stdout).toBe("created cf1\nretention.ms 604800000\nunflushed 0\nconsumed 100\ncommitted 100\ngroups [('cfg', 'Stable', 1)]\n");
  });
});

describe('one record, every reader', () => {
  it('key, value, headers and timestamp survive kcat -> server -> kafkajs, confluent-kafka and the embedded consumer', async () => {
    const ts = 1_700_000_000_123;
    const p = await runProcess('kcat', ['-b', ctx.server.bootstrap, '-P', '-t', 'same', '-K', '|', '-H', 'h1=v1', '-H', 'h2=v2'], { input: 'the-key|the-value\n' });
    expect(p.code).toBe(0);
    // kcat stamps its own CreateTime; read it back from kcat to compare every other reader with it.
    const k = await runProcess('kcat', ['-b', ctx.server.bootstrap, '-C', '-t', 'same', '-e', '-q', '-f', '%k|%s|%h|%T\n']);
    const [key, value, headers, timestamp] = k.stdout.trim().split('|');
    expect([key, value, headers]).toEqual(['the-key', 'the-value', 'h1=v1,h2=v2']);
    expect(Number(timestamp)).toBeGreaterThan(ts);

    const embedded = await bin(
      'kafka-console-consumer',
      ['--topic', 'same', '--from-beginning', '--max-messages', '1', '--property', 'print.key=true', '--property', 'print.headers=true', '--property', 'print.timestamp=true'],
      ctx.dataDir,
    );
    expect(embedded.stdout).toBe(`CreateTime:${timestamp}\th1:v1,h2:v2\tthe-key\tthe-value\n`);

    const consumer = kafka.consumer({ groupId: 'same-reader' });
    await consumer.connect();
    await consumer.subscribe({ topic: 'same', fromBeginning: true });
    const got = await new Promise<kafkajs.KafkaMessage>((resolve) => void consumer.run({ eachMessage: async ({ message }) => resolve(message) }));
    await consumer.disconnect();
    expect(got.key?.toString()).toBe('the-key');
    expect(got.value?.toString()).toBe('the-value');
    expect(got.timestamp).toBe(timestamp);
    expect(Object.fromEntries(Object.entries(got.headers ?? {}).map(([hk, hv]) => [hk, String(hv)]))).toEqual({ h1: 'v1', h2: 'v2' });

    const script = [
      'import sys',
      'from confluent_kafka import Consumer',
      "c = Consumer({'bootstrap.servers': sys.argv[1], 'group.id': 'same-cf', 'auto.offset.reset': 'earliest'})",
      "c.subscribe(['same'])",
      'm = None',
      'for _ in range(20):',
      '    m = c.poll(1)',
      '    if m is not None and not m.error(): break',
      "print(m.key().decode(), m.value().decode(), ','.join(k + '=' + v.decode() for k, v in m.headers()), m.timestamp()[1])",
      'c.close()',
    ].join('\n');
    const cf = await runProcess('/usr/bin/python3', ['-c', script, ctx.server.bootstrap], { timeoutMs: 60_000 });
    expect(cf.stdout).toBe(`the-key the-value h1=v1,h2=v2 ${timestamp}\n`);
  });
});
