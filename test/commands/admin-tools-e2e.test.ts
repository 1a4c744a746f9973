// kafka-configs, kafka-broker-api-versions and kafka-log-dirs: the real bins, embedded and through
// kafka-server-start with --bootstrap-server.
import { statSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { bin, cleanTempDirs, tempDir } from '../helpers.js';
import { startServerProcess } from '../server/server-process.js';

afterEach(cleanTempDirs);

async function ordersDir(): Promise<string> {
  const dir = tempDir();
  expect((await bin('kafka-topics', ['--create', '--topic', 'orders', '--partitions', '2', '--replication-factor', '2'], dir)).code).toBe(0);
  return dir;
}

const segmentBytes = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.log')).reduce((sum, n) => sum + statSync(join(dir, n)).size, 0);

describe('kafka-configs (embedded)', () => {
  it('alters and describes topic configs with Kafka 4.1 text', async () => {
    const dir = await ordersDir();
    const alter = await bin('kafka-configs', ['--alter', '--entity-type', 'topics', '--entity-name', 'orders', '--add-config', 'retention.ms=1000,cleanup.policy=[delete,compact]'], dir);
    expect(alter).toEqual({ code: 0, stdout: 'Completed updating config for topic orders.\n', stderr: '' });
    const d = await bin('kafka-configs', ['--describe', '--topic', 'orders'], dir);
    expect(d.stdout).toBe(
      'Dynamic configs for topic orders are:\n' +
        '  cleanup.policy=delete,compact sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:cleanup.policy=delete,compact, DEFAULT_CONFIG:log.cleanup.policy=delete}\n' +
        '  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000, DEFAULT_CONFIG:log.retention.hours=168}\n',
    );
    // kafka-topics sees the same override.
    expect((await bin('kafka-topics', ['--describe', '--topic', 'orders'], dir)).stdout).toContain('Configs: cleanup.policy=delete,compact,retention.ms=1000');
    const all = await bin('kafka-configs', ['--describe', '--topic', 'orders', '--all'], dir);
    expect(all.stdout.split('\n')[0]).toBe('All configs for topic orders are:');
    expect(all.stdout).toContain('  segment.bytes=1073741824 sensitive=false synonyms={DEFAULT_CONFIG:log.segment.bytes=1073741824}\n');
    const file = join(tempDir(), 'add.properties');
    writeFileSync(file, 'max.message.bytes=2000\n');
    expect((await bin('kafka-configs', ['--alter', '--topic', 'orders', '--add-config-file', file, '--delete-config', 'retention.ms,cleanup.policy'], dir)).stdout).toBe('Completed updating config for topic orders.\n');
    expect((await bin('kafka-configs', ['--describe', '--topic', 'orders'], dir)).stdout).toBe(
      'Dynamic configs for topic orders are:\n  max.message.bytes=2000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:max.message.bytes=2000, DEFAULT_CONFIG:message.max.bytes=1048588}\n',
    );
  });

  it('broker and cluster-default configs: --broker, --broker-defaults, and every broker when none is named', async () => {
    const dir = await ordersDir();
    expect((await bin('kafka-configs', ['--alter', '--broker-defaults', '--add-config', 'num.partitions=3'], dir)).stdout).toBe('Completed updating default config for brokers in the cluster.\n');
    expect((await bin('kafka-configs', ['--alter', '--broker', '2', '--add-config', 'log.retention.bytes=100'], dir)).stdout).toBe('Completed updating config for broker 2.\n');
    const d = await bin('kafka-configs', ['--describe', '--entity-type', 'brokers'], dir);
    expect(d.stdout).toBe(
      'Dynamic configs for broker 1 are:\n' +
        'Dynamic configs for broker 2 are:\n' +
        '  log.retention.bytes=100 sensitive=false synonyms={DYNAMIC_BROKER_CONFIG:log.retention.bytes=100, DEFAULT_CONFIG:log.retention.bytes=-1}\n' +
        'Dynamic configs for broker 3 are:\n' +
        'Default configs for brokers in the cluster are:\n' +
        '  num.partitions=3 sensitive=false synonyms={DYNAMIC_DEFAULT_BROKER_CONFIG:num.partitions=3, DEFAULT_CONFIG:num.partitions=1}\n',
    );
    // The cluster default is the engine's: a new topic gets 3 partitions.
    expect((await bin('kafka-topics', ['--create', '--topic', 'p3'], dir)).code).toBe(0);
    expect((await bin('kafka-topics', ['--describe', '--topic', 'p3'], dir)).stdout).toContain('PartitionCount: 3');
    expect((await bin('kafka-configs', ['--describe', '--broker', '9'], dir)).stdout).toBe("The broker '9' doesn't exist and doesn't have dynamic config.\n");
  });

  it('group configs', async () => {
    const dir = tempDir();
    expect((await bin('kafka-configs', ['--alter', '--group', 'g1', '--add-config', 'consumer.session.timeout.ms=50000'], dir)).stdout).toBe('Completed updating config for group g1.\n');
    expect((await bin('kafka-configs', ['--describe', '--entity-type', 'groups', '--entity-name', 'g1'], dir)).stdout).toBe(
      'Dynamic configs for group g1 are:\n  consumer.session.timeout.ms=50000 sensitive=false synonyms={DYNAMIC_GROUP_CONFIG:consumer.session.timeout.ms=50000, DEFAULT_CONFIG:consumer.session.timeout.ms=45000}\n',
    );
    const bad = await bin('kafka-configs', ['--alter', '--group', 'g1', '--add-config', 'foo=1'], dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      "Error while executing config command with args '--alter --group g1 --add-config foo=1'\njava.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown group config name: foo\n",
    );
  });

  it("Kafka's error texts for bad input, on stderr with exit 1", async () => {
    const dir = await ordersDir();
    const cases: Array<[string[], string]> = [
      [['--describe', '--entity-type', 'topic'], 'Invalid entity type topic, the entity type must be one of broker-loggers, topics, clients, users, brokers, ips, client-metrics, groups with a --bootstrap-server or --bootstrap-controller argument\n'],
      [['--alter', '--entity-type', 'topics', '--add-config', 'a=1'], 'An entity name must be specified with --alter of topics\n'],
      [['--alter', '--topic', 'orders', '--delete-config', 'retention.ms'], 'Invalid config(s): retention.ms\n'],
      [['--alter', '--topic', 'orders', '--add-config', 'a'], 'Invalid entity config: all configs to be added must be in the format "key=val" or  "key=[val1,val2]" to group values which contain commas.\n'],
      [['--alter', '--topic', 'orders', '--add-config', 'a b=1'], 'Invalid character found for config key: a b\n'],
      [
        ['--alter', '--topic', 'orders', '--add-config', 'retention.mss=1'],
        "Error while executing config command with args '--alter --topic orders --add-config retention.mss=1'\njava.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: retention.mss\n",
      ],
    ];
    for (const [argv, stderr] of cases) expect(await bin('kafka-configs', argv, dir)).toEqual({ code: 1, stdout: '', stderr });
    expect(await bin('kafka-configs', ['--describe', '--topic', 'nope'], dir)).toEqual({ code: 0, stdout: "The topic 'nope' doesn't exist and doesn't have dynamic config.\n", stderr: '' });
  });
});

describe('kafka-log-dirs and kafka-broker-api-versions (embedded)', () => {
  it("kafka-log-dirs prints every replica's size and lag, per broker log dir", async () => {
    const dir = await ordersDir();
    expect((await bin('kafka-console-producer', ['--topic', 'orders', '--property', 'parse.key=true'], dir, 'a\t1\nb\t2\nc\t3\nd\t4\n')).code).toBe(0);
    const r = await bin('kafka-log-dirs', ['--describe'], dir);
    expect(r.code).toBe(0);
    const [l1, l2, json] = r.stdout.split('\n');
    expect(l1).toBe('Querying brokers for log directories information');
    expect(l2).toBe('Received log directory information from brokers 1,2,3');
    const parsed = JSON.parse(json) as { version: number; brokers: Array<{ broker: number; logDirs: Array<{ logDir: string; error: null; partitions: Array<{ partition: string; size: number; offsetLag: number; isFuture: boolean }> }> }> };
    expect(json.startsWith('{"brokers":[{"broker":1,"logDirs":[{"partitions":[')).toBe(true);
    expect(json.endsWith('],"version":1}')).toBe(true);
    expect(parsed.brokers.map((b) => b.broker)).toEqual([1, 2, 3]);
    let replicas = 0;
    for (const b of parsed.brokers) {
      expect(b.logDirs).toHaveLength(1);
      expect(b.logDirs[0].logDir).toBe(join(dir, `broker-${b.broker}`));
      for (const p of b.logDirs[0].partitions) {
        replicas++;
        expect(p.size).toBe(segmentBytes(join(dir, `broker-${b.broker}`, p.partition)));
        expect(p).toMatchObject({ offsetLag: 0, isFuture: false });
      }
    }
    expect(replicas).toBe(4);
    expect(parsed.brokers.flatMap((b) => b.logDirs[0].partitions).reduce((s, p) => s + p.size, 0)).toBeGreaterThan(0);
    const only = await bin('kafka-log-dirs', ['--describe', '--broker-list', '2', '--topic-list', 'nope'], dir);
    expect(only.stdout).toBe(`Querying brokers for log directories information\nReceived log directory information from brokers 2\n{"brokers":[{"broker":2,"logDirs":[{"partitions":[],"error":null,"logDir":${JSON.stringify(join(dir, 'broker-2'))}}]}],"version":1}\n`);
    expect(await bin('kafka-log-dirs', ['--describe', '--broker-list', '1,5'], dir)).toEqual({ code: 1, stdout: '', stderr: 'ERROR: The given brokers do not exist from --broker-list: 5. Current existent brokers: 1,2,3\n' });
  });

  it('kafka-broker-api-versions without --bootstrap-server prints what kafka-server-start serves', async () => {
    const dir = tempDir();
    const r = await bin('kafka-broker-api-versions', [], dir);
    expect(r.code).toBe(0);
    const blocks = r.stdout.split(/\n(?=127)/);
    expect(blocks).toHaveLength(3);
    expect(blocks[0].startsWith('127.0.0.1:9092 (id: 1 rack: null isFenced: false) -> (\n\tProduce(0): ')).toBe(true);
    expect(blocks[2].startsWith('127.0.0.1:9094 (id: 3 rack: null isFenced: false) -> (\n')).toBe(true);
    expect(r.stdout).toContain('\tApiVersions(18): 0 to 4 [usable: 4],\n');
    expect(r.stdout).toContain('\tDescribeLogDirs(35): 1 to 4 [usable: 4],\n');
    expect(r.stdout).toContain('\tSaslHandshake(17): UNSUPPORTED,\n');
    expect(r.stdout.endsWith('\n)\n')).toBe(true);
  });
});

describe('through kafka-server-start (--bootstrap-server)', () => {
  it('all three tools', async () => {
    const dir = await ordersDir();
    expect((await bin('kafka-console-producer', ['--topic', 'orders'], dir, 'a\nb\n')).code).toBe(0);
    const server = await startServerProcess(dir);
    try {
      const b = ['--bootstrap-server', server.bootstrap.split(',')[0]];
      expect((await bin('kafka-configs', [...b, '--alter', '--topic', 'orders', '--add-config', 'retention.ms=1000'], dir)).stdout).toBe('Completed updating config for topic orders.\n');
      expect((await bin('kafka-configs', [...b, '--describe', '--topic', 'orders'], dir)).stdout).toBe(
        'Dynamic configs for topic orders are:\n  retention.ms=1000 sensitive=false synonyms={DYNAMIC_TOPIC_CONFIG:retention.ms=1000}\n',
      );
      const bad = await bin('kafka-configs', [...b, '--alter', '--topic', 'orders', '--add-config', 'foo=1'], dir);
      expect(bad.code).toBe(1);
      expect(bad.stderr.split('\n')[1]).toBe('java.util.concurrent.ExecutionException: org.apache.kafka.common.errors.InvalidConfigurationException: Unknown topic config name: foo');

      const embedded = JSON.parse((await bin('kafka-log-dirs', ['--describe'], dir)).stdout.split('\n')[2]);
      const viaServer = await bin('kafka-log-dirs', [...b, '--describe'], dir);
      expect(viaServer.code).toBe(0);
      expect(viaServer.stdout.split('\n').slice(0, 2)).toEqual(['Querying brokers for log directories information', 'Received log directory information from brokers 1,2,3']);
      expect(JSON.parse(viaServer.stdout.split('\n')[2])).toEqual(embedded);

      const versions = await bin('kafka-broker-api-versions', b, dir);
      expect(versions.code).toBe(0);
      const ports = server.bootstrap.split(',').map((hp) => hp.split(':')[1]);
      expect(versions.stdout).toContain(`127.0.0.1:${ports[0]} (id: 1 rack: null isFenced: false) -> (\n\tProduce(0): `);
      expect(versions.stdout.match(/ -> \(\n/g)).toHaveLength(3);
      // The same API table as the embedded answer, broker for broker.
      const table = (s: string) => s.split(/\n(?=127)/).map((x) => x.slice(x.indexOf(' -> ')));
      expect(table(versions.stdout)).toEqual(table((await bin('kafka-broker-api-versions', [], dir)).stdout));
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
