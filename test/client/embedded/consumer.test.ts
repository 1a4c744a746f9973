import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { createEmbeddedConsumer } from '../../../src/client/embedded/consumer.js';
import { createEmbeddedProducer } from '../../../src/client/embedded/producer.js';
import type { ConsumerOptions, ConsumerRecord } from '../../../src/client/types.js';
import { cleanTempDirs, tempDir } from '../../helpers.js';
import { OutputBuffer } from '../../../src/format/output-buffer.js';

afterEach(cleanTempDirs);

const consumerOptions = (properties: Record<string, string> = {}): ConsumerOptions => ({
  groupId: 'g',
  clientId: 'c',
  autoCommit: false,
  autoOffsetReset: 'earliest',
  isolationLevel: 'read_uncommitted',
  assignmentStrategy: 'range',
  sessionTimeoutMs: 45000,
  heartbeatIntervalMs: 3000,
  properties,
});

/** `count` records `v<i>` into each partition, in batches of about 100 records. */
async function fill(cluster: Cluster, partitions: number, count: number) {
  cluster.createTopic({ name: 't', partitions });
  const producer = createEmbeddedProducer(cluster, { acks: -1, compression: 'none', batchSize: 2000, lingerMs: 1000, clientId: 'p', properties: {} });
  for (let p = 0; p < partitions; p++) {
    for (let i = 0; i < count; i++) producer.send({ topic: 't', partition: p, key: null, value: Buffer.from(`v${i}`), headers: i % 7 === 0 ? [{ key: 'h', value: Buffer.from(String(i)) }] : undefined });
  }
  await producer.close();
}

const text = (records: ConsumerRecord[]) => records.map((r) => `${r.partition}:${r.offset}:${r.value?.toString()}:${r.headers.map((h) => `${h.key}=${h.value}`).join(',')}`);

describe('embedded consumer', () => {
  it('hands out every record once, max.poll.records at a time, across batches and partitions', async () => {
    const cluster = Cluster.open(tempDir());
    await fill(cluster, 2, 1000);
    const consumer = createEmbeddedConsumer(cluster, consumerOptions({ 'max.poll.records': '37' }));
    await consumer.assign([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    const got: ConsumerRecord[] = [];
    for (let polls = 0; polls < 200 && got.length < 2000; polls++) {
      const records = await consumer.poll(100);
      expect(records.length).toBeLessThanOrEqual(37);
      got.push(...records);
    }
    const want = [0, 1].flatMap((p) => Array.from({ length: 1000 }, (_, i) => `${p}:${i}:v${i}:${i % 7 === 0 ? `h=${i}` : ''}`));
    expect(text(got).sort()).toEqual(want.sort());
    expect(await consumer.poll(0)).toEqual([]);
    await consumer.close();
  });

  it('commits the position after the last record handed out, not the last one fetched', async () => {
    const cluster = Cluster.open(tempDir());
    await fill(cluster, 1, 500);
    const consumer = createEmbeddedConsumer(cluster, consumerOptions({ 'max.poll.records': '120' }));
    await consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    await consumer.commit();
    const again = createEmbeddedConsumer(cluster, consumerOptions({ 'max.poll.records': '5' }));
    await again.assign([{ topic: 't', partition: 0 }]);
    expect((await again.poll(100)).map((r) => r.offset)).toEqual([120, 121, 122, 123, 124]);
    await again.close();
    await consumer.close();
  });

  it('pollValues prints every value once, at most `max` a call, and commits exactly what it printed', async () => {
    const cluster = Cluster.open(tempDir());
    await fill(cluster, 2, 1000);
    const consumer = createEmbeddedConsumer(cluster, consumerOptions());
    await consumer.assign([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    const out = new OutputBuffer(64);
    const lines = { separator: Buffer.from('\n'), nullLiteral: Buffer.from('null') };
    let printed = 0;
    for (let polls = 0; polls < 200 && printed < 1333; polls++) {
      const n = await consumer.pollValues!(100, Math.min(77, 1333 - printed), lines, out);
      expect(n).toBeLessThanOrEqual(77);
      printed += n;
    }
    const text = out.take().toString();
    expect(text.split('\n').length - 1).toBe(1333);
    await consumer.commit();
    // The rest, from the committed positions: together every value of both partitions exactly once.
    const rest = createEmbeddedConsumer(cluster, consumerOptions());
    await rest.assign([{ topic: 't', partition: 0 }, { topic: 't', partition: 1 }]);
    const more = new OutputBuffer(64);
    let left = 0;
    for (let polls = 0; polls < 200 && left < 2000 - 1333; polls++) left += await rest.pollValues!(100, 10_000, lines, more);
    expect(left).toBe(2000 - 1333);
    expect(await rest.pollValues!(0, 10, lines, more)).toBe(0);
    const all = (text + more.take().toString()).split('\n').slice(0, -1);
    const want = [0, 1].flatMap(() => Array.from({ length: 1000 }, (_, i) => `v${i}`));
    expect(all.sort()).toEqual(want.sort());
    await rest.close();
    await consumer.close();
  });

  it('drops fetched and decoded records of a partition on seek', async () => {
    const cluster = Cluster.open(tempDir());
    await fill(cluster, 1, 600);
    const consumer = createEmbeddedConsumer(cluster, consumerOptions({ 'max.poll.records': '10' }));
    await consumer.assign([{ topic: 't', partition: 0 }]);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await consumer.seek({ topic: 't', partition: 0 }, 450);
    expect((await consumer.poll(100)).map((r) => r.offset)).toEqual([450, 451, 452, 453, 454, 455, 456, 457, 458, 459]);
    await consumer.seek({ topic: 't', partition: 0 }, 5);
    expect((await consumer.poll(100))[0].offset).toBe(5);
    await consumer.close();
  });
});
