import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { RECOVERY_POINT_FILE, readCheckpoint } from '../../../src/engine/log/checkpoint.js';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { Cluster } from '../../../src/engine/cluster/cluster.js';
import { ReplicaManager } from '../../../src/engine/cluster/replica-manager.js';
import { decodeRecordSet, encodeBatch } from '../../../src/engine/record/batch.js';
import { InvalidTopicError, NotEnoughReplicasError, TopicExistsError } from '../../../src/errors.js';
import { ROOT, cleanTempDirs, tempDir } from '../../helpers.js';

afterEach(cleanTempDirs);

const batch = (...values: string[]) => encodeBatch(values.map((v) => ({ key: null, value: Buffer.from(v) })));

describe('Cluster', () => {
  it('starts as 3 brokers with ids 1..3 and Kafka-style 22-character topic ids', () => {
    const c = Cluster.open(tempDir());
    expect(c.brokers().map((b) => [b.id, b.state])).toEqual([[1, 'online'], [2, 'online'], [3, 'online']]);
    const t = c.createTopic({ name: 'orders', partitions: 3, replicationFactor: 3 });
    expect(t.topicId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // leader = first replica, ISR = every replica while all brokers are up
    for (const p of t.partitions) expect([p.leader, p.isr, p.leaderEpoch]).toEqual([p.replicas[0], p.replicas, 0]);
    expect(t.partitions.map((p) => p.replicas.length)).toEqual([3, 3, 3]);
  });

  it('enforces topic names, existence and the ./_ collision rule with Kafka texts', () => {
    const c = Cluster.open(tempDir());
    c.createTopic({ name: 'a.b' });
    expect(() => c.createTopic({ name: 'a.b' })).toThrow(TopicExistsError);
    expect(() => c.createTopic({ name: 'a_b' })).toThrow("Topic 'a_b' collides with existing topic: a.b");
    expect(() => c.createTopic({ name: 'bad name' })).toThrow(InvalidTopicError);
    expect(() => c.createTopic({ name: 'bad name' })).toThrow("Topic name is invalid: 'bad name' contains one or more characters other than ASCII alphanumerics, '.', '_' and '-'");
    expect(() => c.createTopic({ name: '..' })).toThrow("Topic name is invalid: '..' is not allowed");
    expect(() => c.createTopic({ name: 'x'.repeat(250) })).toThrow('is longer than the max allowed length 249');
  });

  it('log.flush.interval.messages=1 in the cluster settings fsyncs every replica before an append returns', () => {
    const dir = tempDir();
    Cluster.open(dir);
    const path = join(dir, 'cluster.json');
    const file = JSON.parse(readFileSync(path, 'utf8'));
    file.settings['log.flush.interval.messages'] = '1';
    writeFileSync(path, JSON.stringify(file));
    const c = Cluster.open(dir);
    const t = c.createTopic({ name: 'durable', partitions: 1, replicationFactor: 3 });
    expect(c.topicConfig('durable')['flush.messages']).toBe('1');
    const replicas = new ReplicaManager(c);
    replicas.append('durable', 0, batch('a', 'b'), -1);
    replicas.append('durable', 0, batch('c'), -1);
    // The recovery point (everything below it is on disk) is the log end on every replica, with no close().
    for (const b of t.partitions[0].replicas) expect(readCheckpoint(join(dir, `broker-${b}`, 'durable-0'), RECOVERY_POINT_FILE)).toBe(3);
    // A topic override still wins over the cluster default.
    c.createTopic({ name: 'lazy', partitions: 1, replicationFactor: 1, configs: { 'flush.messages': '1000' } });
    expect(c.topicConfig('lazy')['flush.messages']).toBe('1000');
    replicas.close();
  });

  it('writes every batch to every in-sync replica, byte for byte, and reads up to the high watermark', () => {
    const dir = tempDir();
    const c = Cluster.open(dir);
    const t = c.createTopic({ name: 't', partitions: 1, replicationFactor: 3 });
    const rm = new ReplicaManager(c);
    rm.append('t', 0, batch('a', 'b'), -1);
    rm.append('t', 0, batch('c'), 1);
    const files = t.partitions[0].replicas.map((b) => readFileSync(join(dir, `broker-${b}`, 't-0', '00000000000000000000.log')));
    expect(files[0].length).toBeGreaterThan(0);
    expect(files[1].equals(files[0])).toBe(true);
    expect(files[2].equals(files[0])).toBe(true);
    expect(rm.highWatermark('t', 0)).toBe(3);
    expect([...decodeRecordSet(rm.read('t', 0, 0, 1 << 20).records)].map((r) => String(r.value))).toEqual(['a', 'b', 'c']);
    expect(rm.listOffset('t', 0, 'latest').offset).toBe(3);
    expect(rm.listOffset('t', 0, 'earliest').offset).toBe(0);
  });

  it('refuses acks=all when the ISR is smaller than min.insync.replicas', () => {
    const c = Cluster.open(tempDir());
    c.createTopic({ name: 't', partitions: 1, replicationFactor: 2, configs: { 'min.insync.replicas': '3' } });
    const rm = new ReplicaManager(c);
    expect(() => rm.append('t', 0, batch('x'), -1)).toThrow(NotEnoughReplicasError);
    expect(() => rm.append('t', 0, batch('x'), -1)).toThrow(/Messages are rejected since there are fewer in-sync replicas than required \(partition t-0: ISR \[\d, \d\], min.insync.replicas=3\)/);
    expect(rm.append('t', 0, batch('x'), 1).firstOffset).toBe(0);
  });

  it('keeps metadata whole when two processes create topics at once', async () => {
    const dir = tempDir();
    Cluster.open(dir);
    const script = `
      import { Cluster } from ${JSON.stringify(join(ROOT, 'dist/engine/cluster/cluster.js'))};
      const c = Cluster.open(process.argv[1]);
      let exists = 0;
      for (let i = 0; i < 20; i++) {
        try { c.createTopic({ name: process.argv[2] + '-' + i }); } catch (e) { if (e.name !== 'TopicExistsError') throw e; }
        try { c.createTopic({ name: 'shared-' + i }); } catch (e) { if (e.name === 'TopicExistsError') exists++; else throw e; }
      }
      process.stdout.write(String(exists));
    `;
    const runOne = (tag: string) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir, tag]);
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
      });
    const [a, b] = await Promise.all([runOne('a'), runOne('b')]);
    // each shared topic was created exactly once; the loser got TopicExistsError
    expect(Number(a) + Number(b)).toBe(20);
    const names = Cluster.open(dir).topics().map((t) => t.name);
    expect(names.length).toBe(60);
    expect(JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8')).topics['a-19'].name).toBe('a-19');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
