import { afterEach, describe, expect, it, vi } from 'vitest';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { createEmbeddedConsumer } from '../../../src/client/embedded/consumer.js';
import { createEmbeddedProducer } from '../../../src/client/embedded/producer.js';
import { ReplicaManager } from '../../../src/engine/cluster/replica-manager.js';
import { batchSizeAt } from '../../../src/engine/record/header.js';
import type { ConsumerRecord, ProducerOptions } from '../../../src/client/types.js';
import { cleanTempDirs, tempDir } from '../../helpers.js';

afterEach(() => {
  vi.useRealTimers();
  cleanTempDirs();
});

const producerOptions = (batchSize = 16384): ProducerOptions => ({ acks: -1, compression: 'none', batchSize, lingerMs: 1000, clientId: 'p', properties: {} });

async function readAll(cluster: Cluster, topic: string, partition: number): Promise<ConsumerRecord[]> {
  const consumer = createEmbeddedConsumer(cluster, {
    clientId: 'c',
    autoCommit: false,
    autoOffsetReset: 'earliest',
    isolationLevel: 'read_uncommitted',
    assignmentStrategy: 'range',
    sessionTimeoutMs: 45000,
    heartbeatIntervalMs: 3000,
    properties: {},
  });
  await consumer.assign([{ topic, partition }]);
  const out: ConsumerRecord[] = [];
  for (;;) {
    const records = await consumer.poll(0);
    if (records.length === 0) break;
    out.push(...records);
  }
  await consumer.close();
  return out;
}

describe('embedded producer', () => {
  it('calls a send() callback once per record, only when its batch is in the log, or at once with the error', async () => {
    const cluster = Cluster.open(tempDir());
    cluster.createTopic({ name: 't', partitions: 1 });
    const producer = createEmbeddedProducer(cluster, { ...producerOptions(100), properties: { 'max.request.size': '300' } });
    const acks: Array<[number, string | undefined]> = [];
    const ack = (i: number) => (error: Error | undefined) => acks.push([i, error?.constructor.name]);
    for (let i = 0; i < 3; i++) producer.send({ topic: 't', partition: 0, key: null, value: Buffer.alloc(10, i) }, ack(i));
    // Batched (linger.ms 1000), not yet appended: nothing acknowledged.
    expect(acks).toEqual([]);
    producer.send({ topic: 't', partition: 0, key: null, value: Buffer.alloc(400) }, ack(3));
    expect(acks).toEqual([[3, 'RecordTooLargeError']]);
    await producer.flush().catch(() => undefined);
    expect(acks.slice(1)).toEqual([[0, undefined], [1, undefined], [2, undefined]]);
    expect((await readAll(cluster, 't', 0)).map((r) => r.value![0])).toEqual([0, 1, 2]);
    await producer.close();
  });

  it("splits a request the topic's max.message.bytes refuses, keeping keys, values, headers and timestamps", async () => {
    const cluster = Cluster.open(tempDir());
    cluster.createTopic({ name: 't', configs: { 'max.message.bytes': '400' } });
    const producer = createEmbeddedProducer(cluster, producerOptions());
    for (let i = 0; i < 40; i++) {
      producer.send({ topic: 't', partition: 0, key: i % 3 === 0 ? null : Buffer.from(`k${i}`), value: Buffer.from(`value-${i}`), headers: [{ key: 'n', value: Buffer.from(String(i)) }], timestamp: 1_700_000_000_000 + i });
    }
    await producer.close();
    const got = await readAll(cluster, 't', 0);
    expect(got.map((r) => [r.offset, r.key?.toString() ?? null, r.value?.toString(), r.headers.map((h) => `${h.key}=${h.value}`).join(), r.timestamp])).toEqual(
      Array.from({ length: 40 }, (_, i) => [i, i % 3 === 0 ? null : `k${i}`, `value-${i}`, `n=${i}`, 1_700_000_000_000 + i]),
    );
  });

  it('sees partitions added to a topic once its metadata is a second old', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const cluster = Cluster.open(tempDir());
    cluster.createTopic({ name: 't', partitions: 1 });
    const producer = createEmbeddedProducer(cluster, producerOptions());
    producer.send({ topic: 't', key: null, value: Buffer.from('a') });
    cluster.createPartitions('t', 2);
    producer.send({ topic: 't', partition: 1, key: null, value: Buffer.from('b') });
    await expect(producer.flush()).rejects.toThrow(/Partition 1 of topic 't' does not exist/);
    vi.advanceTimersByTime(1000);
    producer.send({ topic: 't', partition: 1, key: null, value: Buffer.from('c') });
    await producer.close();
    expect((await readAll(cluster, 't', 0)).map((r) => r.value?.toString())).toEqual(['a']);
    expect((await readAll(cluster, 't', 1)).map((r) => r.value?.toString())).toEqual(['c']);
  });

  it('sendValues stores what send() stores for the same values', async () => {
    const values = Array.from({ length: 3000 }, (_, i) => (i % 500 === 7 ? null : `value-${i}-${'x'.repeat(i % 50)}`));
    const data = Buffer.from(values.map((v) => v ?? '').join(''));
    const starts = new Int32Array(values.length);
    const ends = new Int32Array(values.length);
    let at = 0;
    values.forEach((v, i) => {
      starts[i] = v === null ? -1 : at;
      at += v?.length ?? 0;
      ends[i] = at;
    });
    const logged = async (fast: boolean) => {
      const cluster = Cluster.open(tempDir());
      cluster.createTopic({ name: 't', partitions: 1 });
      const producer = createEmbeddedProducer(cluster, producerOptions(4096));
      if (fast) {
        producer.sendValues!('t', data, starts.subarray(0, 1000), ends.subarray(0, 1000), 1000);
        producer.sendValues!('t', data, starts.subarray(1000), ends.subarray(1000), 2000);
      } else {
        for (let i = 0; i < values.length; i++) producer.send({ topic: 't', key: null, value: starts[i] < 0 ? null : data.subarray(starts[i], ends[i]) });
      }
      await producer.close();
      return (await readAll(cluster, 't', 0)).map((r) => [r.offset, r.key, r.value?.toString() ?? null, r.headers.length]);
    };
    const fast = await logged(true);
    expect(fast).toEqual(values.map((v, i) => [i, null, v, 0]));
    expect(fast).toEqual(await logged(false));
  });

  it("fills each batch up to batch.size by its real size, as Kafka's accumulator does", async () => {
    const cluster = Cluster.open(tempDir());
    cluster.createTopic({ name: 't', partitions: 1 });
    const producer = createEmbeddedProducer(cluster, producerOptions(2000));
    for (let i = 0; i < 5000; i++) producer.send({ topic: 't', key: null, value: Buffer.from(`v-${i}`) });
    await producer.close();
    const replicas = new ReplicaManager(cluster);
    const data = replicas.read('t', 0, 0, 1 << 24).records;
    replicas.close();
    const sizes: number[] = [];
    for (let p = 0; p < data.length; p += sizes[sizes.length - 1]) sizes.push(batchSizeAt(data, p));
    // The next record is held against the batch at its upper-bound size (estimateRecordSize: 26
    // bytes here, 14 real), so a batch closes with less than 26 bytes of room left; before, the
    // batch's records were counted at that bound too and batches closed half full (~1000 bytes).
    expect(sizes.every((s) => s <= 2000)).toBe(true);
    expect(sizes.slice(0, -1).every((s) => s > 2000 - 26)).toBe(true);
    expect((await readAll(cluster, 't', 0)).length).toBe(5000);
  });
});

